"""GET /citizens/{id}; a supervisor's PATCH of the address or of the pin (issue 10)."""

from __future__ import annotations

from fastapi import APIRouter

from api_client.models import CitizenLocationUpdate, CitizenPublic, CitizenUpdate

from ..deps import CurrentOfficer, EngineDep, GeocoderDep, SupervisorOnly
from ..services.citizens import edit_citizen, move_pin
from ..services.dossiers import get_citizen

router = APIRouter(tags=["citizens"])


@router.get("/citizens/{citizen_id}")
def citizen(citizen_id: int, engine: EngineDep, officer: CurrentOfficer) -> CitizenPublic:
    """A citizen reachable through a visible dossier or visit, or 404."""
    return get_citizen(engine, officer, citizen_id)


@router.patch("/citizens/{citizen_id}")
def update_citizen(citizen_id: int, body: CitizenUpdate, engine: EngineDep, geocoder: GeocoderDep,
                   supervisor: SupervisorOnly) -> CitizenPublic:
    """Correct address, hamlet or phone; a new address is geocoded (else the hamlet's centre)."""
    return edit_citizen(engine, geocoder, supervisor, citizen_id, body)


@router.patch("/citizens/{citizen_id}/location")
def update_citizen_location(citizen_id: int, body: CitizenLocationUpdate, engine: EngineDep,
                            supervisor: SupervisorOnly) -> CitizenPublic:
    """Move the household's pin (source supervisor); the officer's phone gets it at its next pull."""
    return move_pin(engine, supervisor, citizen_id, body)
