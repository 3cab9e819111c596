"""POST /auth/login, /auth/refresh, /auth/logout, /auth/password."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api_client.models import LoginRequest, PasswordChange, RefreshRequest, TokenPublic

from ..deps import ClientDep, CurrentSession, EngineDep, SettingsDep
from ..services import auth as service
from ..services import sessions

router = APIRouter(tags=["auth"])


@router.post("/auth/login", responses={401: {"description": "wrong username or password"},
                                       423: {"description": "account locked after repeated failures"},
                                       429: {"description": "too many failures from this address"}})
def login(body: LoginRequest, engine: EngineDep, settings: SettingsDep, client: ClientDep) -> TokenPublic:
    """Exchange username + password (+ the phone's device id) for an access and a refresh token."""
    return service.login(engine, settings, body, client)


@router.post("/auth/refresh", responses={401: {"description": "refresh token invalid, expired, reused "
                                                             "or its session revoked"}})
def refresh(body: RefreshRequest, engine: EngineDep, settings: SettingsDep, client: ClientDep) -> TokenPublic:
    """Trade a refresh token for a new access + refresh pair (the old refresh token is spent)."""
    return sessions.refresh(engine, settings, body.refresh_token, client)


@router.post("/auth/logout", status_code=204, response_class=Response)
def logout(session: CurrentSession, engine: EngineDep, client: ClientDep) -> Response:
    """End this session: its access and refresh tokens stop working at once."""
    service.logout(engine, session.officer, session.session_id, session.device_id, client)
    return Response(status_code=204)


@router.post("/auth/password", responses={403: {"description": "current password wrong"},
                                          423: {"description": "account locked"}})
def change_password(body: PasswordChange, session: CurrentSession, engine: EngineDep, settings: SettingsDep,
                    client: ClientDep) -> TokenPublic:
    """Change the caller's password; every session ends and this device gets a fresh token pair."""
    return service.change_password(engine, settings, session.officer, session.device_id, body, client)
