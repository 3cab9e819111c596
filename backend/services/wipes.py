"""Remote wipe: a supervisor orders an officer's phone wiped; the phone applies it at its next sync."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select, update

from api_client.models import OfficerPublic, WipeOrderCreate, WipeOrderPublic

from ..db.schema import wipe_orders
from ..errors import not_found
from .clock import now_iso
from .staff import scoped_officer


def _public(row: Any) -> WipeOrderPublic:
    return WipeOrderPublic.model_validate(dict(row))


def _get(conn: Connection, order_id: int) -> Any:
    return conn.execute(select(wipe_orders).where(wipe_orders.c.id == order_id)).mappings().first()


def order_wipe(engine: Engine, supervisor: OfficerPublic, officer_id: int,
               body: WipeOrderCreate) -> WipeOrderPublic:
    """Record the order (only for an officer the supervisor oversees; 404 otherwise)."""
    with engine.begin() as conn:
        scoped_officer(conn, supervisor, officer_id)
        inserted = conn.execute(insert(wipe_orders).values(
            officer_id=officer_id, device_id=body.device_id, force=body.force, ordered_by=supervisor.id,
            ordered_at=now_iso())).inserted_primary_key
        assert inserted is not None
        order_id = inserted[0]
        return _public(_get(conn, int(order_id)))


def pending_wipe(engine: Engine, officer: OfficerPublic, device_id: str | None) -> WipeOrderPublic | None:
    """The unapplied order for this officer's phone (a forced one first, then the oldest), or None."""
    which: Any = wipe_orders.c.device_id.is_(None)
    if device_id:
        which = or_(which, wipe_orders.c.device_id == device_id)
    with engine.connect() as conn:
        row = conn.execute(select(wipe_orders).where(
            wipe_orders.c.officer_id == officer.id, wipe_orders.c.applied_at.is_(None), which)
            .order_by(wipe_orders.c.force.desc(), wipe_orders.c.id).limit(1)).mappings().first()
    return _public(row) if row else None


def wipe_applied(engine: Engine, officer: OfficerPublic, order_id: int, device_id: str) -> WipeOrderPublic:
    """The phone says it wiped itself (repeating this is harmless)."""
    with engine.begin() as conn:
        row = _get(conn, order_id)
        if row is None or row["officer_id"] != officer.id:
            raise not_found("Không tìm thấy lệnh xóa dữ liệu")
        if row["applied_at"] is None:
            # one wipe satisfies every order still pending for this phone
            conn.execute(update(wipe_orders).where(
                wipe_orders.c.officer_id == officer.id, wipe_orders.c.applied_at.is_(None),
                or_(wipe_orders.c.id == order_id, wipe_orders.c.device_id.is_(None),
                    wipe_orders.c.device_id == device_id)
            ).values(applied_at=now_iso(), applied_device=device_id))
        return _public(_get(conn, order_id))
