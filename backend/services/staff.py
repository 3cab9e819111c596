"""Field officers within a supervisor's units (the people a board, a track or an export may show)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, false, select

from api_client.models import OfficerPublic, Role

from ..db.schema import officer_units, officers, units
from ..errors import not_found
from .access import unit_scope

OFFICER_NOT_FOUND = "Không tìm thấy cán bộ (officer not found)"


def field_officer_filter(conn: Connection, supervisor: OfficerPublic) -> ColumnElement[bool]:
    """WHERE on officers: active field officers belonging to a unit in the supervisor's scope."""
    scope = unit_scope(conn, supervisor.unit_ids)
    if not scope:
        return false()
    linked = select(officer_units.c.officer_id).where(officer_units.c.unit_id.in_(scope))
    return (
        officers.c.id.in_(linked) & (officers.c.role != Role.SUPERVISOR.value) & officers.c.active.is_(True)
    )


def scoped_officer(conn: Connection, supervisor: OfficerPublic, officer_id: int) -> dict[str, Any]:
    """The officer's row if the supervisor may see them, else 404 (never saying they exist)."""
    row = (
        conn.execute(
            select(officers).where(officers.c.id == officer_id, field_officer_filter(conn, supervisor))
        )
        .mappings()
        .first()
    )
    if row is None:
        raise not_found(OFFICER_NOT_FOUND)
    return dict(row)


def units_of(conn: Connection, officer_ids: list[int]) -> dict[int, list[int]]:
    """Unit ids per officer."""
    out: dict[int, list[int]] = {oid: [] for oid in officer_ids}
    if officer_ids:
        q = select(officer_units).where(officer_units.c.officer_id.in_(officer_ids))
        for r in conn.execute(q.order_by(officer_units.c.unit_id)):
            out[r.officer_id].append(r.unit_id)
    return out


def unit_centres(conn: Connection) -> dict[int, tuple[float, float, str]]:
    """(lat, lon, level) of every unit with a known centre."""
    q = select(units.c.id, units.c.lat, units.c.lon, units.c.level).where(
        units.c.lat.is_not(None), units.c.lon.is_not(None)
    )
    return {r.id: (r.lat, r.lon, r.level) for r in conn.execute(q)}
