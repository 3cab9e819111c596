"""Send queued notices through a gateway and record each outcome on the notice row.

The HTTP call happens outside any transaction (a slow gateway must not hold row locks); the
row is then updated only if still queued, so the desk marking it sent meanwhile wins. One
dispatcher per deployment is assumed: two running at once could both send the same notice.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, select, update

from api_client.models import NoticeState

from ..config import Settings
from ..db.schema import dossiers, notices
from ..services.clock import now_iso
from .gateway import NoticeGateway, OutgoingNotice, SendOutcome
from .outbox import OutboxGateway
from .webhook import WebhookGateway

log = logging.getLogger("doorstep.notify")
DEFAULT_MAX_ATTEMPTS = 6


def gateway_for(settings: Settings) -> NoticeGateway:
    """The webhook when a URL is configured, else the desk's outbox."""
    if settings.notice_webhook_url:
        return WebhookGateway(settings.notice_webhook_url)
    return OutboxGateway()


def dispatch_pending(engine: Engine, gateway: NoticeGateway, limit: int = 50,
                     max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> dict[str, int]:
    """Send up to `limit` queued notices, oldest first; returns counts per outcome."""
    counts = {o.value: 0 for o in SendOutcome}
    with engine.connect() as conn:
        q = (select(notices, dossiers.c.code).join(dossiers, dossiers.c.id == notices.c.dossier_id)
             .where(notices.c.state == NoticeState.QUEUED.value).order_by(notices.c.id).limit(limit))
        rows = list(conn.execute(q).mappings())
    for row in rows:
        notice = OutgoingNotice(id=row["id"], phone=row["phone"], text=row["text"], dossier_code=row["code"],
                                kind=row["kind"])
        result = gateway.send(notice)
        counts[result.outcome.value] += 1
        attempts = row["attempts"] + result.attempts
        values: dict[str, object] = {"attempts": attempts, "gateway_response": result.response}
        if result.outcome == SendOutcome.SENT:
            values |= {"state": NoticeState.SENT.value, "sent_at": now_iso(), "last_error": None}
        elif result.outcome == SendOutcome.FAILED:
            values |= {"state": NoticeState.FAILED.value, "last_error": result.error}
        elif result.outcome == SendOutcome.RETRY:
            # give up after max_attempts tries in total; the desk still sees it (state=failed)
            values |= {"last_error": result.error}
            if attempts >= max_attempts:
                values["state"] = NoticeState.FAILED.value
        with engine.begin() as conn:
            conn.execute(update(notices).where(notices.c.id == row["id"],
                                               notices.c.state == NoticeState.QUEUED.value).values(**values))
    if rows:
        log.info("notices dispatched: %s", counts)
    return counts
