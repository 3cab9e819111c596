"""Visits: list / read (own or in units), plan and reassign (supervisors)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api_client.models import VisitAssign, VisitCreate, VisitKind, VisitPublic, VisitStatus

from ..deps import CurrentOfficer, EngineDep, SupervisorOnly
from ..services import visits as service

router = APIRouter(tags=["visits"])

DateQuery = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")]


@router.get("/visits")
def list_visits(
    response: Response, engine: EngineDep, officer: CurrentOfficer,
    date: DateQuery = None, status: VisitStatus | None = None, kind: VisitKind | None = None,
    assignee_id: int | None = None, dossier_id: int | None = None,
    page: Annotated[int, Query(ge=1)] = 1, page_size: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[VisitPublic]:
    """Visible visits (officer: own; supervisor: units), total in X-Total-Count."""
    filters = {"date": date, "status": status.value if status else None,
               "kind": kind.value if kind else None, "assignee_id": assignee_id,
               "dossier_id": dossier_id}
    items, total = service.list_visits(engine, officer, filters, page, page_size)
    response.headers["X-Total-Count"] = str(total)
    return items


@router.get("/visits/{visit_id}", responses={404: {"description": "not found or not yours"}})
def get_visit(visit_id: int, engine: EngineDep, officer: CurrentOfficer) -> VisitPublic:
    """One visit, or 404 when it is not visible to this officer."""
    return service.get_visit(engine, officer, visit_id)


@router.post("/visits", status_code=201)
def create_visit(body: VisitCreate, engine: EngineDep, supervisor: SupervisorOnly) -> VisitPublic:
    """Plan a visit for a dossier in the supervisor's units."""
    return service.create_visit(engine, supervisor, body)


@router.patch("/visits/{visit_id}")
def assign_visit(visit_id: int, body: VisitAssign, engine: EngineDep,
                 supervisor: SupervisorOnly) -> VisitPublic:
    """Reassign, reschedule or cancel an open visit (tombstone for the officer who lost it)."""
    return service.assign_visit(engine, supervisor, visit_id, body)
