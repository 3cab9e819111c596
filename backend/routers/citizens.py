"""GET /citizens/{id}."""

from __future__ import annotations

from fastapi import APIRouter

from api_client.models import CitizenPublic

from ..deps import CurrentOfficer, EngineDep
from ..services.dossiers import get_citizen

router = APIRouter(tags=["citizens"])


@router.get("/citizens/{citizen_id}")
def citizen(citizen_id: int, engine: EngineDep, officer: CurrentOfficer) -> CitizenPublic:
    """A citizen reachable through a visible dossier or visit, or 404."""
    return get_citizen(engine, officer, citizen_id)
