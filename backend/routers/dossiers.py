"""Dossiers: list / read, and supervisor status moves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api_client.models import DossierPublic, DossierStatus, StatusChange

from ..deps import CurrentOfficer, EngineDep, SupervisorOnly
from ..services import dossiers as service

router = APIRouter(tags=["dossiers"])


@router.get("/dossiers")
def list_dossiers(
    response: Response, engine: EngineDep, officer: CurrentOfficer,
    status: DossierStatus | None = None, q: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1)] = 1, page_size: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DossierPublic]:
    """Visible dossiers (officer: of own visits; supervisor: units), total in X-Total-Count."""
    items, total = service.list_dossiers(engine, officer, int(status) if status else None, q, page, page_size)
    response.headers["X-Total-Count"] = str(total)
    return items


@router.get("/dossiers/{dossier_id}")
def get_dossier(dossier_id: int, engine: EngineDep, officer: CurrentOfficer) -> DossierPublic:
    """One dossier or 404."""
    return service.get_dossier(engine, officer, dossier_id)


@router.post("/dossiers/{dossier_id}/status", responses={409: {"description": "illegal life-cycle move"}})
def change_status(dossier_id: int, body: StatusChange, engine: EngineDep,
                  supervisor: SupervisorOnly) -> DossierPublic:
    """Move a dossier along the life cycle; an illegal move is 409 naming the move and why."""
    return service.change_status(engine, supervisor, dossier_id, body)
