"""Logout: what is still unsynced, and wiping every personal record from the phone."""

from __future__ import annotations

import sqlite_utils

from .blobs import delete_blob_files
from .crypto import destroy_keys
from .db import transaction
from .outbox import counts
from .sync_state import reset_cursor

# Citizens' data and the officer's work; catalogues and units are public and stay.
PERSONAL_TABLES = ("session", "visits", "dossiers", "citizens", "outbox", "blobs", "drafts",
                   "visit_overrides", "breadcrumbs", "duty_changes", "track_batches",
                   "device_key")  # the evidence key goes with the officer's session


def pending_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """What a logout would lose: queued events, conflicts, dead letters, unsent blobs, drafts."""
    events = counts(db)
    blobs = next(iter(db.query("SELECT COUNT(*) AS n FROM blobs WHERE state != 'uploaded'")))["n"]
    drafts = next(iter(db.query("SELECT COUNT(*) AS n FROM drafts")))["n"]
    tracks = next(iter(db.query("SELECT COUNT(*) AS n FROM breadcrumbs")))["n"]  # GPS points not sent
    result = {"queued": events["queued"], "conflict": events["conflict"], "dead": events["dead"],
              "blobs": blobs, "drafts": drafts, "tracks": tracks}
    result["total"] = sum(result.values())
    return result


def wipe_personal_data(db: sqlite_utils.Database) -> dict[str, int]:
    """Delete session, caches, outbox, blobs (rows and files) and drafts; reset the cursor.

    The UI must first show `pending_counts` and let the officer cancel: anything unsynced
    is gone after this. Returns rows deleted per table.
    """
    deleted: dict[str, int] = {}
    with transaction(db):
        for table in PERSONAL_TABLES:
            deleted[table] = db.execute(f"DELETE FROM {table}").rowcount
        reset_cursor(db)
        db.execute("UPDATE duty SET on_duty = 0, changed_at = NULL WHERE id = 1")  # logged out: off duty
        destroy_keys(db)  # anything sealed that survived (a crash mid-wipe) can never be read again
    # Files after the commit: a crash in between leaves orphan files, never rows without bytes.
    deleted["blob_files"] = delete_blob_files(db)
    db.execute("VACUUM")  # freed pages would otherwise still hold citizens' data on disk
    return deleted
