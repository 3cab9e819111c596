"""GET /me and POST /officers."""

from __future__ import annotations

from fastapi import APIRouter

from api_client.models import OfficerCreate, OfficerPublic

from ..deps import CurrentOfficer, EngineDep, SupervisorOnly
from ..services.auth import create_officer

router = APIRouter(tags=["officers"])


@router.get("/me")
def me(officer: CurrentOfficer) -> OfficerPublic:
    """The signed-in officer."""
    return officer


@router.post("/officers", status_code=201)
def new_officer(body: OfficerCreate, engine: EngineDep, supervisor: SupervisorOnly) -> OfficerPublic:
    """Create an officer account (supervisors, within their units)."""
    return create_officer(engine, supervisor, body)
