"""POST /auth/login."""

from __future__ import annotations

from fastapi import APIRouter

from api_client.models import LoginRequest, TokenPublic

from ..deps import EngineDep, SettingsDep
from ..services.auth import login as do_login

router = APIRouter(tags=["auth"])


@router.post("/auth/login", responses={401: {"description": "wrong username or password"}})
def login(body: LoginRequest, engine: EngineDep, settings: SettingsDep) -> TokenPublic:
    """Exchange username + password for a bearer token (valid token_ttl_hours)."""
    return do_login(engine, settings, body)
