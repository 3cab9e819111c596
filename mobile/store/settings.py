"""This device's own settings (the server it talks to) and the cached settings of its communes."""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from api_client.models import UnitSettingsPublic

from .db import now_iso, transaction

SERVER_URL = "server_url"  # where this phone's API lives, set on the first-run screen
PROVISIONED_UNIT = "provisioned_unit"  # the unit code of the supervisor's provisioning QR, if any


def get_setting(db: sqlite_utils.Database, key: str) -> str | None:
    """One device setting, or None when it was never set."""
    row = db.execute("SELECT value FROM device_settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_setting(db: sqlite_utils.Database, key: str, value: str | None) -> None:
    """Set (or, with None, clear) one device setting."""
    with transaction(db):
        if value is None:
            db.execute("DELETE FROM device_settings WHERE key = ?", [key])
        else:
            db.execute(
                "INSERT INTO device_settings (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                [key, value, now_iso()],
            )


def upsert_unit_settings(db: sqlite_utils.Database, items: Iterable[UnitSettingsPublic]) -> None:
    """Replace the cached settings of these communes (the server sends them whole)."""
    with transaction(db):
        for s in items:
            db.execute(
                "INSERT INTO unit_settings (unit_id, body) VALUES (?, ?)"
                " ON CONFLICT(unit_id) DO UPDATE SET body = excluded.body",
                [s.unit_id, s.model_dump_json()],
            )


def list_unit_settings(db: sqlite_utils.Database) -> list[UnitSettingsPublic]:
    """Every cached commune's settings, by commune id."""
    return [UnitSettingsPublic.model_validate(json.loads(r["body"]))
            for r in db.query("SELECT body FROM unit_settings ORDER BY unit_id")]


def unit_settings_for(db: sqlite_utils.Database, unit_id: int | None) -> UnitSettingsPublic | None:
    """The settings of the commune a unit (a commune or one of its hamlets) belongs to.

    A unit of another commune gets None (never that commune's neighbour's account). With no unit
    at all, the only cached commune when there is exactly one (a hamlet officer works for one).
    None when nothing was synced yet.
    """
    every = list_unit_settings(db)
    if unit_id is None:
        return every[0] if len(every) == 1 else None
    return next((s for s in every if s.unit_id == unit_id or unit_id in s.hamlet_ids), None)
