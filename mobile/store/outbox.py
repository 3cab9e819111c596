"""The outbox: every officer action as an event waiting to be pushed, in creation order.

States: queued (to push; also kept queued while its photos upload) -> sent (applied or
duplicate), conflict (server state disagrees: shown to the officer, never overwritten),
dead (rejected: will never apply), discarded (the officer dropped a conflict/dead item).
Rows are never deleted by sync, so nothing the officer did disappears silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from .db import now_iso

QUEUED, SENT, CONFLICT, DEAD, DISCARDED = "queued", "sent", "conflict", "dead", "discarded"


@dataclass(frozen=True)
class OutboxItem:
    """One recorded action and where it stands."""

    seq: int
    event_id: str
    type: str
    visit_id: int | None
    body: dict[str, Any]
    blob_shas: list[str]
    state: str
    attempts: int
    last_error: str | None
    result: dict[str, Any] | None
    next_attempt_at: str | None
    created_at: str
    sent_at: str | None

    @property
    def server_visit(self) -> dict[str, Any] | None:
        """The server's state of the visit returned with a conflict, if any."""
        return (self.result or {}).get("visit")


# every column, the encrypted ones decrypted (in memory only)
_COLUMNS = ("seq, event_id, type, visit_id, dec(body) AS body, blob_shas, state, attempts, last_error,"
            " dec(result) AS result, next_attempt_at, created_at, sent_at")


def _item(r: dict[str, Any]) -> OutboxItem:
    return OutboxItem(
        seq=r["seq"], event_id=r["event_id"], type=r["type"], visit_id=r["visit_id"],
        body=json.loads(r["body"]), blob_shas=json.loads(r["blob_shas"] or "[]"), state=r["state"],
        attempts=r["attempts"], last_error=r["last_error"],
        result=json.loads(r["result"]) if r["result"] else None,
        next_attempt_at=r["next_attempt_at"], created_at=r["created_at"], sent_at=r["sent_at"])


def referenced_blobs(event: dict[str, Any]) -> list[str]:
    """SHA-256 of every blob an event body points at (photos, authorisation paper)."""
    payload = event.get("payload") or {}
    shas = [p["sha256"] for p in payload.get("photos") or [] if p.get("sha256")]
    recipient = payload.get("recipient") or {}
    if recipient.get("authorisation_photo"):
        shas.append(recipient["authorisation_photo"])
    return list(dict.fromkeys(shas))


def enqueue(db: sqlite_utils.Database, event: dict[str, Any]) -> str:
    """Append a validated event body (JSON-ready dict) to the outbox; return its id.

    Call inside the caller's transaction (see actions.record_action). Re-enqueueing the
    same id is an error: an action is recorded once and retried under the same id.
    """
    event_id = str(event["id"])
    db.execute(
        "INSERT INTO outbox (event_id, type, visit_id, body, blob_shas, state, created_at)"
        " VALUES (?,?,?,enc(?),?, 'queued', ?)",
        [event_id, event["type"], event.get("visit_id"), json.dumps(event, ensure_ascii=False),
         json.dumps(referenced_blobs(event)), now_iso()])
    return event_id


def get_item(db: sqlite_utils.Database, event_id: str) -> OutboxItem | None:
    """One outbox row by event id, or None."""
    rows = list(db.query(f"SELECT {_COLUMNS} FROM outbox WHERE event_id = ?", [event_id]))
    return _item(rows[0]) if rows else None


def items(db: sqlite_utils.Database, state: str | None = None,
          visit_id: int | None = None) -> list[OutboxItem]:
    """Outbox rows in creation order, optionally of one state and/or one visit."""
    where: list[str] = ["1=1"]
    params: list[Any] = []
    if state:
        where.append("state = ?")
        params.append(state)
    if visit_id is not None:
        where.append("visit_id = ?")
        params.append(visit_id)
    return [_item(r) for r in db.query(f"SELECT {_COLUMNS} FROM outbox WHERE {' AND '.join(where)}"
                                       " ORDER BY seq",
                                       params)]


def mark_sent(db: sqlite_utils.Database, event_id: str, result: dict[str, Any] | None = None) -> None:
    """The server applied the event (now or before)."""
    db.execute("UPDATE outbox SET state = 'sent', sent_at = ?, result = enc(?), last_error = NULL,"
               " next_attempt_at = NULL WHERE event_id = ?",
               [now_iso(), json.dumps(result, ensure_ascii=False) if result else None, event_id])


def mark_conflict(db: sqlite_utils.Database, event_id: str, message: str,
                  result: dict[str, Any] | None = None) -> None:
    """The server state disagrees: keep the event for the officer to see and resolve."""
    db.execute("UPDATE outbox SET state = 'conflict', last_error = ?, result = COALESCE(enc(?), result),"
               " next_attempt_at = NULL WHERE event_id = ?",
               [message, json.dumps(result, ensure_ascii=False) if result else None, event_id])


def mark_dead(db: sqlite_utils.Database, event_id: str, message: str,
              result: dict[str, Any] | None = None) -> None:
    """The server rejected the event for good: it moves to the dead letters with the reason."""
    db.execute("UPDATE outbox SET state = 'dead', last_error = ?, result = enc(?), next_attempt_at = NULL"
               " WHERE event_id = ?",
               [message, json.dumps(result, ensure_ascii=False) if result else None, event_id])


def mark_retry(db: sqlite_utils.Database, event_id: str, error: str, next_attempt_at: str | None) -> None:
    """Count a failed attempt; the event stays queued until `next_attempt_at`."""
    db.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
               " WHERE event_id = ? AND state = 'queued'", [error, next_attempt_at, event_id])


def requeue(db: sqlite_utils.Database, event_id: str) -> bool:
    """Put a conflict or dead event back in the queue (fresh attempts); True when it was changed."""
    return db.execute("UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = NULL"
                      " WHERE event_id = ? AND state IN ('conflict', 'dead')", [event_id]).rowcount > 0


def discard(db: sqlite_utils.Database, event_id: str) -> bool:
    """The officer gives up a conflict or dead event (kept for audit); True when it was changed."""
    return db.execute("UPDATE outbox SET state = 'discarded' WHERE event_id = ?"
                      " AND state IN ('conflict', 'dead')", [event_id]).rowcount > 0


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Number of outbox rows per state (every state present, zero when none)."""
    out = dict.fromkeys((QUEUED, SENT, CONFLICT, DEAD, DISCARDED), 0)
    for r in db.query("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state"):
        out[r["state"]] = r["n"]
    return out
