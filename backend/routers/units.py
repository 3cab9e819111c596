"""GET /units: the whole unit tree (public data)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from api_client.models import UnitPublic

from ..db.schema import units
from ..deps import CurrentOfficer, EngineDep
from ..services.views import unit_public

router = APIRouter(tags=["units"])


@router.get("/units")
def list_units(engine: EngineDep, _: CurrentOfficer) -> list[UnitPublic]:
    """Every unit, province -> commune -> hamlet, by id."""
    with engine.connect() as conn:
        return [unit_public(r) for r in conn.execute(select(units).order_by(units.c.id)).mappings()]
