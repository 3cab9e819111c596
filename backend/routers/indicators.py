"""GET /indicators: the national indicators per commune, hamlet or officer (supervisors)."""

from __future__ import annotations

from fastapi import APIRouter

from api_client.models import IndicatorReport

from ..deps import EngineDep, SupervisorOnly
from ..services import indicators as service
from .params import IndicatorParams

router = APIRouter(tags=["indicators"])


@router.get("/indicators", responses={404: {"description": "unit not in your scope"}})
def indicators(engine: EngineDep, supervisor: SupervisorOnly, query: IndicatorParams) -> IndicatorReport:
    """Counts and rates per group over the range (default: the last 30 days); see services/indicators.py."""
    r = query.days
    return service.indicators(engine, supervisor, query.unit_id, r.start, r.end, query.group_by)
