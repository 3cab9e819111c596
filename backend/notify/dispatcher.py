"""Send queued notices through a gateway and record each outcome on the notice row.

Any number of dispatchers may run at once (API workers, `doorstep dispatch` processes): each
claims a batch with a lease (one atomic UPDATE; on PostgreSQL its row pick is FOR UPDATE SKIP
LOCKED), so two never hold the same notice. Before each send the lease is renewed, and a
dispatcher whose lease ran out (it was too slow, or crashed and came back) skips the notice:
someone else has it. A crashed dispatcher's notices are retried once its lease expires. The HTTP
call happens outside any transaction (a slow gateway must not hold row locks); the row is then
updated only if still queued, so the desk marking it sent meanwhile wins, and a sent notice is
never claimed again. The one window left is a crash after the gateway accepted a notice but
before the row says so: the retry carries the same Idempotency-Key, so the receiver can drop it.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, or_, select, true, update

from api_client.models import NoticeState

from ..config import Settings
from ..db.schema import dossiers, notices
from ..services.clock import now_iso, now_utc
from .gateway import NoticeGateway, OutgoingNotice, SendOutcome
from .outbox import OutboxGateway
from .webhook import WebhookGateway

log = logging.getLogger("doorstep.notify")
DEFAULT_MAX_ATTEMPTS = 6
# Longer than one send can take (webhook: 3 tries x 5 s timeout + backoff), renewed before each send.
DEFAULT_LEASE_S = 120.0
_QUEUED = NoticeState.QUEUED.value


def gateway_for(settings: Settings) -> NoticeGateway:
    """The webhook when a URL is configured, else the desk's outbox."""
    if settings.notice_webhook_url:
        return WebhookGateway(settings.notice_webhook_url)
    return OutboxGateway()


def new_owner() -> str:
    """A name for one dispatcher, unique across hosts and processes: host:pid:random."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _stamp(value: datetime) -> str:
    # fixed width (always microseconds), so stored leases compare correctly as text
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _lease_until(lease_s: float) -> str:
    return _stamp(now_utc() + timedelta(seconds=lease_s))


def claim_notices(engine: Engine, owner: str, limit: int, lease_s: float = DEFAULT_LEASE_S) -> list[int]:
    """Lease up to `limit` queued notices nobody holds (oldest first) to `owner`; returns their ids."""
    free = or_(notices.c.lease_until.is_(None), notices.c.lease_until < _stamp(now_utc()))
    pick = select(notices.c.id).where(notices.c.state == _QUEUED, free).order_by(notices.c.id).limit(limit)
    if engine.dialect.name == "postgresql":
        # rows another dispatcher is claiming right now are skipped, not waited for
        pick = pick.with_for_update(skip_locked=True)
    claim = (update(notices).where(notices.c.id.in_(pick.scalar_subquery()))
             .values(lease_owner=owner, lease_until=_lease_until(lease_s)).returning(notices.c.id))
    with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE makes this one statement the only writer
        return sorted(int(i) for i in conn.execute(claim).scalars())


def _renew(engine: Engine, notice_id: int, owner: str, lease_s: float) -> bool:
    """Extend our lease just before sending; False when it lapsed and another dispatcher took it."""
    with engine.begin() as conn:
        result = conn.execute(update(notices).where(
            notices.c.id == notice_id, notices.c.state == _QUEUED, notices.c.lease_owner == owner,
        ).values(lease_until=_lease_until(lease_s)))
    return result.rowcount == 1


def _claimed_rows(engine: Engine, ids: list[int]) -> list[Any]:
    with engine.connect() as conn:
        q = (select(notices, dossiers.c.code).join(dossiers, dossiers.c.id == notices.c.dossier_id)
             .where(notices.c.id.in_(ids)).order_by(notices.c.id))
        return list(conn.execute(q).mappings())


def dispatch_pending(engine: Engine, gateway: NoticeGateway, limit: int = 50,
                     max_attempts: int = DEFAULT_MAX_ATTEMPTS, *, lease_s: float = DEFAULT_LEASE_S,
                     owner: str | None = None) -> dict[str, int]:
    """Claim and send up to `limit` queued notices, oldest first; returns counts per outcome."""
    owner = owner or new_owner()
    ids = claim_notices(engine, owner, limit, lease_s)
    return send_claimed(engine, gateway, ids, owner, lease_s=lease_s, max_attempts=max_attempts)


def send_claimed(engine: Engine, gateway: NoticeGateway, ids: list[int], owner: str, *,
                 lease_s: float = DEFAULT_LEASE_S,
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> dict[str, int]:
    """Send the notices `owner` claimed, skipping any whose lease it lost; returns counts per outcome."""
    counts = {o.value: 0 for o in SendOutcome}
    for row in _claimed_rows(engine, ids) if ids else []:
        if not _renew(engine, row["id"], owner, lease_s):
            log.warning("notice %s: lease lost before sending, left to its new holder", row["id"])
            continue
        notice = OutgoingNotice(id=row["id"], phone=row["phone"], text=row["text"], dossier_code=row["code"],
                                kind=row["kind"])
        result = gateway.send(notice)
        counts[result.outcome.value] += 1
        attempts = row["attempts"] + result.attempts
        values: dict[str, object] = {"attempts": attempts, "gateway_response": result.response,
                                     "lease_owner": None, "lease_until": None}
        mine: ColumnElement[bool] = notices.c.lease_owner == owner
        if result.outcome == SendOutcome.SENT:
            values |= {"state": NoticeState.SENT.value, "sent_at": now_iso(), "last_error": None}
            mine = true()  # it went out: record that even if our lease lapsed meanwhile
        elif result.outcome == SendOutcome.FAILED:
            values |= {"state": NoticeState.FAILED.value, "last_error": result.error}
        elif result.outcome == SendOutcome.RETRY:
            # give up after max_attempts tries in total; the desk still sees it (state=failed)
            values |= {"last_error": result.error}
            if attempts >= max_attempts:
                values["state"] = NoticeState.FAILED.value
        with engine.begin() as conn:
            conn.execute(update(notices).where(notices.c.id == row["id"], notices.c.state == _QUEUED, mine)
                         .values(**values))
    if ids:
        log.info("notices dispatched by %s: %s", owner, counts)
    return counts
