"""GET /indicators: the national indicators per commune, hamlet or officer (supervisors)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from api_client.models import GroupBy, IndicatorReport

from ..deps import EngineDep, SupervisorOnly
from ..services import indicators as service
from ..services.supervision import today_vn
from .params import DbIdQuery

router = APIRouter(tags=["indicators"])


@router.get("/indicators", responses={404: {"description": "unit not in your scope"}})
def indicators(
    engine: EngineDep,
    supervisor: SupervisorOnly,
    unit_id: DbIdQuery = None,
    date_from: date | None = None,
    date_to: date | None = None,
    group_by: GroupBy = GroupBy.COMMUNE,
) -> IndicatorReport:
    """Counts and rates per group over the range (default: the last 30 days); see services/indicators.py."""
    start, end = service.check_range(date_from, date_to, today_vn())
    return service.indicators(engine, supervisor, unit_id, start, end, group_by)
