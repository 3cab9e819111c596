"""Who an officer may look up: the desk (supervisor) accounts of the communes they serve; supervisors
see every officer of their units. Used by the phone's handover picker."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, Engine, false, func, select

from api_client.models import OfficerPublic, Role

from ..db.schema import officer_units, officers, units
from ..errors import ApiError
from .access import is_supervisor, unit_scope
from .staff import units_of

FIELD_LISTS_DESKS_ONLY = (
    "Cán bộ hiện trường chỉ xem được tài khoản bộ phận một cửa (field officers may list desk accounts only)"
)


def served_communes(conn: Connection, unit_ids: list[int]) -> set[int]:
    """The given units and those above them up to their commune (a hamlet's desk sits there; a
    province's supervisors are not a commune's desk)."""
    q = select(units.c.id, units.c.parent_id, units.c.level)
    rows = {r.id: (r.parent_id, r.level) for r in conn.execute(q)}
    out: set[int] = set()
    for uid in unit_ids:
        cur: int | None = uid
        while cur is not None and cur in rows and cur not in out:
            out.add(cur)
            parent, level = rows[cur]
            cur = None if level != "hamlet" else parent
    return out


def _visible(conn: Connection, officer: OfficerPublic, role: Role | None) -> ColumnElement[bool]:
    """WHERE on officers: active accounts this officer may list (404s are not needed: it is a list)."""
    if is_supervisor(officer):
        # a supervisor manages everyone linked to a unit at or below their own
        scope = unit_scope(conn, officer.unit_ids)
    else:
        if role not in (None, Role.SUPERVISOR):
            raise ApiError(403, "forbidden", FIELD_LISTS_DESKS_ONLY)
        role = Role.SUPERVISOR
        # the desk of a hamlet officer sits at the commune above: look up the tree, not down it
        scope = served_communes(conn, officer.unit_ids)
    if not scope:
        return false()
    linked = select(officer_units.c.officer_id).where(officer_units.c.unit_id.in_(scope))
    cond = officers.c.id.in_(linked) & officers.c.active.is_(True)
    return cond & (officers.c.role == role.value) if role is not None else cond


def list_officers(
    engine: Engine, officer: OfficerPublic, role: Role | None, page: int, page_size: int
) -> tuple[list[OfficerPublic], int]:
    """One page of the accounts this officer may list (by name), and the total."""
    with engine.connect() as conn:
        q = select(officers).where(_visible(conn, officer, role))
        total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        q = q.order_by(officers.c.full_name, officers.c.id).offset((page - 1) * page_size).limit(page_size)
        rows = [dict(r) for r in conn.execute(q).mappings()]
        unit_ids = units_of(conn, [r["id"] for r in rows])
    # no phone numbers: the list says who, it is not a contact book
    items = [
        OfficerPublic(
            id=r["id"],
            username=r["username"],
            full_name=r["full_name"],
            role=r["role"],
            unit_ids=unit_ids[r["id"]],
        )
        for r in rows
    ]
    return items, int(total)


OFFICER_NOT_FOUND = "Không tìm thấy cán bộ"


def get_officer(engine: Engine, officer: OfficerPublic, officer_id: int) -> OfficerPublic:
    """One account this officer may list (themselves included), or 404 (never says it exists)."""
    if officer_id == officer.id:
        return officer
    with engine.connect() as conn:
        row = conn.execute(
            select(officers).where(officers.c.id == officer_id, _visible(conn, officer, None))
        ).mappings().first()
        if row is None:
            raise ApiError(404, "not_found", OFFICER_NOT_FOUND)
        unit_ids = units_of(conn, [row["id"]])
    return OfficerPublic(id=row["id"], username=row["username"], full_name=row["full_name"],
                         role=row["role"], unit_ids=unit_ids[row["id"]])
