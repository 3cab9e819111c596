"""Supervisors: the board, an officer's track and day, at-risk dossiers, bulk assignment, suggestions."""

from __future__ import annotations

from datetime import date as Date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api_client.models import (
    AtRiskDossier,
    AtRiskKind,
    Board,
    BulkAssign,
    BulkAssignResult,
    OfficerDay,
    OfficerTrack,
    SuggestedAssignee,
)

from ..deps import EngineDep, SupervisorOnly
from ..services import dispatch, supervision
from ..services.clock import today_vn
from .params import Capacity, Day, DbId, SuggestLimit

router = APIRouter(tags=["supervision"])

Page = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=500)]
NOT_YOURS: dict[int | str, dict[str, Any]] = {404: {"description": "officer / visit not in your units"}}


@router.get("/board")
def board(
    engine: EngineDep,
    supervisor: SupervisorOnly,
    day: Day,
    page: Page = 1,
    page_size: PageSize = 100,
) -> Board:
    """Officers in scope with last position, the day's visits with colours, counts (officers paged)."""
    return supervision.board(engine, supervisor, day, page, page_size)


@router.get("/officers/{officer_id}/track", responses=NOT_YOURS)
def officer_track(
    officer_id: DbId, engine: EngineDep, supervisor: SupervisorOnly, day: Day
) -> OfficerTrack:
    """The day's breadcrumbs in order, the planned route and the order visits ended in."""
    return supervision.officer_track(engine, supervisor, officer_id, day)


@router.get("/officers/{officer_id}/day", responses=NOT_YOURS)
def officer_day(
    officer_id: DbId, engine: EngineDep, supervisor: SupervisorOnly, day: Day
) -> OfficerDay:
    """Visits in order with arrival, time spent, distance travelled, failures and GPS flags."""
    return supervision.officer_day(engine, supervisor, officer_id, day)


@router.get("/dossiers/at-risk")
def dossiers_at_risk(
    response: Response,
    engine: EngineDep,
    supervisor: SupervisorOnly,
    kind: AtRiskKind,
    day: Day,
    page: Page = 1,
    page_size: PageSize = 100,
) -> list[AtRiskDossier]:
    """Open dossiers due today / overdue / unassigned / failed twice or more; total in X-Total-Count."""
    items, total = dispatch.at_risk(engine, supervisor, kind, day, page, page_size)
    response.headers["X-Total-Count"] = str(total)
    return items


@router.post("/visits/assign")
def assign_visits(body: BulkAssign, engine: EngineDep, supervisor: SupervisorOnly) -> BulkAssignResult:
    """Give open visits to one officer; each officer who loses one gets a tombstone."""
    return dispatch.assign_many(engine, supervisor, body)


@router.get("/visits/{visit_id}/suggested-assignees", responses=NOT_YOURS)
def suggested_assignees(
    visit_id: DbId,
    engine: EngineDep,
    supervisor: SupervisorOnly,
    date: Date | None = None,
    capacity: Capacity = dispatch.DEFAULT_CAPACITY,
    limit: SuggestLimit = 10,
) -> list[SuggestedAssignee]:
    """Every field officer in scope with their load that day: the hamlet's officer first, then the least
    busy (nearest first among equals), those at capacity last."""
    return dispatch.suggested_assignees(engine, supervisor, visit_id, date, capacity, limit)


@router.get("/dossiers/{dossier_id}/suggested-assignees", responses=NOT_YOURS)
def suggested_for_dossier(
    dossier_id: DbId,
    engine: EngineDep,
    supervisor: SupervisorOnly,
    date: Date | None = None,
    capacity: Capacity = dispatch.DEFAULT_CAPACITY,
    limit: SuggestLimit = 10,
) -> list[SuggestedAssignee]:
    """As for a visit, for a dossier with no open visit yet (default day: today in Vietnam)."""
    day = date or today_vn()
    return dispatch.suggested_for_dossier(engine, supervisor, dossier_id, day, capacity, limit)
