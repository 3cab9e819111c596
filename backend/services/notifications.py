"""Supervisor notifications: things the desk must act on (e.g. a result sent back to it)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, insert, select, update

from api_client.models import NotificationPublic, OfficerPublic, Role

from ..db.schema import notifications, officer_units, officers, units
from ..errors import not_found
from .clock import now_iso


def _ancestors(conn: Connection, unit_id: int) -> list[int]:
    """The unit and every unit above it (commune -> province)."""
    parents: dict[int, int | None] = {int(r.id): r.parent_id for r in conn.execute(
        select(units.c.id, units.c.parent_id))}
    chain: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def supervisors_of(conn: Connection, unit_id: int) -> list[int]:
    """Active supervisors whose units cover this unit (its own or any unit above it)."""
    q = (select(officers.c.id).distinct().join(officer_units, officer_units.c.officer_id == officers.c.id)
         .where(officer_units.c.unit_id.in_(_ancestors(conn, unit_id)),
                officers.c.role == Role.SUPERVISOR.value, officers.c.active.is_(True))
         .order_by(officers.c.id))
    return [int(i) for i in conn.execute(q).scalars()]


def notify_supervisors(conn: Connection, unit_id: int, kind: str, text: str, *,
                       dossier_id: int | None = None, handover_id: int | None = None) -> list[int]:
    """One notification row per supervisor of the unit; returns their ids."""
    at = now_iso()
    ids = []
    for officer_id in supervisors_of(conn, unit_id):
        ids.append(int(conn.execute(insert(notifications).values(
            officer_id=officer_id, kind=kind, text=text, dossier_id=dossier_id, handover_id=handover_id,
            created_at=at).returning(notifications.c.id)).scalar_one()))
    return ids


def list_notifications(engine: Engine, officer: OfficerPublic,
                       unread: bool | None) -> list[NotificationPublic]:
    """The officer's own notifications, newest first."""
    with engine.connect() as conn:
        q = select(notifications).where(notifications.c.officer_id == officer.id)
        if unread:
            q = q.where(notifications.c.read_at.is_(None))
        rows = conn.execute(q.order_by(notifications.c.id.desc())).mappings()
        return [NotificationPublic.model_validate(dict(r)) for r in rows]


def mark_read(engine: Engine, officer: OfficerPublic, notification_id: int) -> NotificationPublic:
    """Mark one of the officer's notifications read (again: no change)."""
    with engine.begin() as conn:
        where = (notifications.c.id == notification_id, notifications.c.officer_id == officer.id)
        row = conn.execute(select(notifications).where(*where)).mappings().first()
        if row is None:
            raise not_found("Không tìm thấy thông báo (notification not found)")
        if row["read_at"] is None:
            conn.execute(update(notifications).where(*where).values(read_at=now_iso()))
        new = conn.execute(select(notifications).where(*where)).mappings().one()
        return NotificationPublic.model_validate(dict(new))
