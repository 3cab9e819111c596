"""GET /me, GET /officers, GET /officers/{id} and POST /officers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api_client.models import OfficerCreate, OfficerPublic, Role

from ..deps import CurrentOfficer, EngineDep, SupervisorOnly
from ..services import directory
from ..services.auth import create_officer

router = APIRouter(tags=["officers"])


@router.get("/me")
def me(officer: CurrentOfficer) -> OfficerPublic:
    """The signed-in officer."""
    return officer


@router.get("/officers")
def list_officers(
    response: Response,
    engine: EngineDep,
    officer: CurrentOfficer,
    role: Role | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[OfficerPublic]:
    """Field officers: the desk accounts of their communes; supervisors: their units' officers.

    Total in X-Total-Count."""
    items, total = directory.list_officers(engine, officer, role, page, page_size)
    response.headers["X-Total-Count"] = str(total)
    return items


@router.get("/officers/{officer_id}", responses={404: {"description": "no such officer in your scope"}})
def get_officer(officer_id: int, engine: EngineDep, officer: CurrentOfficer) -> OfficerPublic:
    """One officer the caller may list: a supervisor's own units' officers, or oneself."""
    return directory.get_officer(engine, officer, officer_id)


@router.post("/officers", status_code=201)
def new_officer(body: OfficerCreate, engine: EngineDep, supervisor: SupervisorOnly) -> OfficerPublic:
    """Create an officer account (supervisors, within their units)."""
    return create_officer(engine, supervisor, body)
