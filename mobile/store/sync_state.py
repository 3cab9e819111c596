"""The pull cursor and the outcome of the last sync, for the status bar."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from .db import now_iso


@dataclass(frozen=True)
class SyncState:
    """Pull cursor and when sync last worked / failed."""

    cursor: str
    last_success_at: str | None
    last_attempt_at: str | None
    last_error: str | None


def get_sync_state(db: sqlite_utils.Database) -> SyncState:
    """The current sync state (an empty cursor means the next pull is a full first sync)."""
    rows = list(db.query("SELECT * FROM sync_state WHERE id = 1"))
    if not rows:
        return SyncState("", None, None, None)
    r = rows[0]
    return SyncState(r["cursor"] or "", r["last_success_at"], r["last_attempt_at"], r["last_error"])


def get_cursor(db: sqlite_utils.Database) -> str:
    """The pull cursor."""
    return get_sync_state(db).cursor


def set_cursor(db: sqlite_utils.Database, cursor: str) -> None:
    """Advance the pull cursor (call in the same transaction as the page it acknowledges)."""
    db.execute("INSERT INTO sync_state (id, cursor) VALUES (1, ?)"
               " ON CONFLICT(id) DO UPDATE SET cursor = excluded.cursor", [cursor])


def record_attempt(db: sqlite_utils.Database, *, ok: bool, error: str | None = None) -> None:
    """Note a sync run: success clears the error, failure keeps the last success time."""
    now = now_iso()
    if ok:
        db.execute("UPDATE sync_state SET last_attempt_at = ?, last_success_at = ?, last_error = NULL"
                   " WHERE id = 1", [now, now])
    else:
        db.execute("UPDATE sync_state SET last_attempt_at = ?, last_error = ? WHERE id = 1", [now, error])


def reset_cursor(db: sqlite_utils.Database) -> None:
    """Forget the cursor so the next pull is a full sync (after a wipe)."""
    db.execute("UPDATE sync_state SET cursor = '', last_success_at = NULL, last_attempt_at = NULL,"
               " last_error = NULL WHERE id = 1")
