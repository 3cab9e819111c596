"""The security audit log: logins, token refreshes, revocations, lockout lifts and every refusal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, func, insert, or_, select

from api_client.models import AuditEntry, OfficerPublic

from ..db.schema import audit_log, officer_units, units
from . import clock
from .access import unit_scope

REFUSAL_STATUSES = frozenset({401, 403, 423, 429})
# an access token past its 15 minutes is the protocol, not an incident: the phone refreshes at once
# (and the refresh is logged); logging each would add a row per phone every quarter hour
ROUTINE_CODES = frozenset({"token_expired"})


@dataclass(frozen=True)
class ClientInfo:
    """Where a request came from and what it asked for (what every audit row records)."""

    address: str | None = None
    user_agent: str | None = None
    method: str | None = None
    path: str | None = None


def record(conn: Connection, event: str, client: ClientInfo, **values: Any) -> None:
    """Append one audit row in the caller's transaction (`values`: officer_id, username, status, ...)."""
    conn.execute(insert(audit_log).values(
        at=clock.iso(clock.now_utc()), event=event, address=client.address, method=client.method,
        path=(client.path or "")[:300] or None, **values))


def record_now(engine: Engine, event: str, client: ClientInfo, **values: Any) -> None:
    """Append one audit row in its own transaction (for refusals, after the request failed)."""
    with engine.begin() as conn:
        record(conn, event, client, **values)


def _visible(conn: Connection, supervisor: OfficerPublic) -> ColumnElement[bool]:
    """Rows about officers of the supervisor's units; anonymous rows only for province supervisors."""
    scope = unit_scope(conn, supervisor.unit_ids)
    people = select(officer_units.c.officer_id).where(officer_units.c.unit_id.in_(scope or {-1}))
    cond = or_(audit_log.c.officer_id.in_(people), audit_log.c.target_officer_id.in_(people))
    levels = set(conn.execute(select(units.c.level).where(units.c.id.in_(supervisor.unit_ids or [-1])))
                 .scalars())
    if "province" in levels:
        # attempts against unknown usernames and calls without a token belong to nobody's unit
        cond = or_(cond, audit_log.c.officer_id.is_(None) & audit_log.c.target_officer_id.is_(None))
    return cond


def read(engine: Engine, supervisor: OfficerPublic, *, officer_id: int | None, event: str | None,
         page: int, page_size: int) -> tuple[list[AuditEntry], int]:
    """One page of the audit rows this supervisor may read, newest first, and the total."""
    with engine.connect() as conn:
        q = select(audit_log).where(_visible(conn, supervisor))
        if officer_id is not None:
            q = q.where(or_(audit_log.c.officer_id == officer_id,
                            audit_log.c.target_officer_id == officer_id))
        if event is not None:
            q = q.where(audit_log.c.event == event)
        total = int(conn.execute(select(func.count()).select_from(q.subquery())).scalar_one())
        rows = conn.execute(q.order_by(audit_log.c.id.desc()).offset((page - 1) * page_size)
                            .limit(page_size)).mappings()
        return [AuditEntry.model_validate(dict(r)) for r in rows], total
