"""A supervisor corrects a household: its address (geocoded again) or its pin on the map.

Either change bumps the citizen's seq and the seq of its open visits, in one transaction: the
phone's pull is keyed on visits, so that is how the officer's phone gets the new place at its
next pull.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, select, update

from api_client.models import CitizenLocationUpdate, CitizenPublic, CitizenUpdate, OfficerPublic

from ..db.changes import next_seq
from ..db.schema import citizens, dossiers, units, visits
from ..errors import ApiError, not_found
from .access import can_see_citizen
from .clock import now_iso
from .geocoding import Geocode, Locator
from .views import citizen_public

CITIZEN_NOT_FOUND = "Không tìm thấy công dân (citizen not found)"
OPEN_STATUSES = ("planned", "en_route")


def _visible(conn: Connection, supervisor: OfficerPublic, citizen_id: int) -> Any:
    q = select(citizens).where(citizens.c.id == citizen_id).with_for_update()
    row = conn.execute(q).mappings().first()
    if row is None or not can_see_citizen(conn, supervisor, citizen_id):
        raise not_found(CITIZEN_NOT_FOUND)
    return row


def _write(conn: Connection, citizen_id: int, values: dict[str, Any]) -> CitizenPublic:
    """Update the citizen and restamp its open visits with the same new seq."""
    seq = next_seq(conn)
    conn.execute(update(citizens).where(citizens.c.id == citizen_id).values(**values, updated_at=now_iso(),
                                                                             seq=seq))
    conn.execute(update(visits).where(visits.c.citizen_id == citizen_id, visits.c.status.in_(OPEN_STATUSES))
                 .values(seq=seq))
    row = conn.execute(select(citizens).where(citizens.c.id == citizen_id)).mappings().one()
    return citizen_public(row)


def move_pin(engine: Engine, supervisor: OfficerPublic, citizen_id: int,
             body: CitizenLocationUpdate) -> CitizenPublic:
    """Set the household's location by hand: source supervisor, exact."""
    with engine.begin() as conn:
        _visible(conn, supervisor, citizen_id)
        return _write(conn, citizen_id, {"lat": body.lat, "lon": body.lon,
                                         "location_source": body.source.value,
                                         "location_precision": "exact", "location_note": None})


def _commune_of(conn: Connection, citizen_id: int) -> int | None:
    return conn.execute(select(dossiers.c.unit_id).where(dossiers.c.citizen_id == citizen_id)
                        .order_by(dossiers.c.id.desc()).limit(1)).scalar()


def edit_citizen(engine: Engine, geocoder: Geocode | None, supervisor: OfficerPublic, citizen_id: int,
                 body: CitizenUpdate) -> CitizenPublic:
    """Change address / hamlet / phone; a new address or hamlet is geocoded before the write."""
    changes = body.model_dump(exclude_unset=True)
    with engine.connect() as conn:
        current = _visible(conn, supervisor, citizen_id)
        hamlet_id = changes.get("hamlet_id", current["hamlet_id"])
        if "hamlet_id" in changes and hamlet_id is not None:
            level = conn.execute(select(units.c.level).where(units.c.id == hamlet_id)).scalar()
            if level != "hamlet":
                raise ApiError(422, "unknown_hamlet", f"Không có ấp/khóm số {hamlet_id} (unknown hamlet)")
        commune_id = _commune_of(conn, citizen_id)
    values: dict[str, Any] = {k: v for k, v in changes.items() if k in ("address", "hamlet_id", "phone")}
    if ("address" in changes and changes["address"] != current["address"]) or (
            "hamlet_id" in changes and hamlet_id != current["hamlet_id"]):
        # asked outside the transaction: a slow geocoder never holds the citizen's row lock
        found = Locator(engine, geocoder).resolve(changes.get("address", current["address"]), hamlet_id,
                                                  commune_id)
        if found.source is not None:
            values.update(lat=found.lat, lon=found.lon, location_source=found.source,
                          location_precision=found.precision, location_note=found.note)
        elif current["lat"] is not None:
            # nowhere to put the new address: the old pin stays, no longer trusted
            values.update(location_precision="approximate", location_note=f"{found.note}; previous_pin")
    if not values:
        return citizen_public(current)
    with engine.begin() as conn:
        _visible(conn, supervisor, citizen_id)
        return _write(conn, citizen_id, values)
