"""Who may see what: officers see their own visits; supervisors everything under their units."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, false, or_, select

from api_client.models import OfficerPublic, Role

from ..db.schema import dossiers, units, visits


def is_supervisor(officer: OfficerPublic) -> bool:
    """True for the supervisor role."""
    return officer.role == Role.SUPERVISOR


def unit_scope(conn: Connection, unit_ids: list[int]) -> set[int]:
    """The given units plus every descendant (communes and hamlets below a province, etc.)."""
    children: dict[int, list[int]] = {}
    for uid, parent in conn.execute(select(units.c.id, units.c.parent_id)):
        if parent is not None:
            children.setdefault(parent, []).append(uid)
    scope: set[int] = set()
    todo = list(unit_ids)
    while todo:
        uid = todo.pop()
        if uid in scope:
            continue
        scope.add(uid)
        todo.extend(children.get(uid, []))
    return scope


def visit_filter(conn: Connection, officer: OfficerPublic) -> ColumnElement[bool]:
    """WHERE clause on visits for what this officer may see."""
    if is_supervisor(officer):
        scope = unit_scope(conn, officer.unit_ids)
        return visits.c.unit_id.in_(scope) if scope else false()
    return visits.c.assignee_id == officer.id


def dossier_filter(conn: Connection, officer: OfficerPublic) -> ColumnElement[bool]:
    """WHERE clause on dossiers: supervisor by unit/hamlet scope, officer through their visits."""
    if is_supervisor(officer):
        scope = unit_scope(conn, officer.unit_ids)
        if not scope:
            return false()
        return or_(dossiers.c.unit_id.in_(scope), dossiers.c.hamlet_id.in_(scope))
    own = select(visits.c.dossier_id).where(visits.c.assignee_id == officer.id)
    return dossiers.c.id.in_(own)


def can_see_visit(conn: Connection, officer: OfficerPublic, visit_id: int) -> bool:
    """Whether this officer may see the visit."""
    q = select(visits.c.id).where(visits.c.id == visit_id, visit_filter(conn, officer))
    return conn.execute(q).first() is not None


def can_see_dossier(conn: Connection, officer: OfficerPublic, dossier_id: int) -> bool:
    """Whether this officer may see the dossier."""
    q = select(dossiers.c.id).where(dossiers.c.id == dossier_id, dossier_filter(conn, officer))
    return conn.execute(q).first() is not None


def can_see_citizen(conn: Connection, officer: OfficerPublic, citizen_id: int) -> bool:
    """A citizen is visible through any visible dossier of theirs (or a visible visit to them)."""
    q = select(dossiers.c.id).where(dossiers.c.citizen_id == citizen_id, dossier_filter(conn, officer))
    if conn.execute(q.limit(1)).first() is not None:
        return True
    q2 = select(visits.c.id).where(visits.c.citizen_id == citizen_id, visit_filter(conn, officer))
    return conn.execute(q2.limit(1)).first() is not None
