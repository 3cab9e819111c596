"""The phone's evidence key (Ed25519) and its hash chain: every recorded action is sealed here.

One key pair per officer on this phone, made at first login; the public half is registered
with the server (at login, or by the next sync when login had no network). The chain state
(`seq`, `last_digest`) advances in the same transaction that writes the outbox row, so the
chain on the phone and the events in the outbox can never disagree.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from api_client.domain import evidence as ev

from .crypto import open_bytes
from .db import now_iso, transaction


@dataclass(frozen=True)
class DeviceKey:
    """The public side of this phone's evidence key and where its chain stands."""

    device_id: str
    officer_id: int
    public_key: str
    registered: bool
    seq: int
    last_digest: str


def boot_monotonic_ms() -> int:
    """Milliseconds since boot, counting sleep (CLOCK_BOOTTIME where the OS has it): no user can set it."""
    clock = getattr(time, "CLOCK_BOOTTIME", None)
    if clock is not None:
        try:
            return int(time.clock_gettime(clock) * 1000)
        except OSError:
            pass
    return time.monotonic_ns() // 1_000_000


_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")  # Linux and Android: a new value at every boot


def boot_id() -> str | None:
    """This boot's id (monotonic times compare only within one boot), or None where unreadable."""
    try:
        return _BOOT_ID.read_text().strip()[:64] or None
    except OSError:
        return None


def clock_reading(db: sqlite_utils.Database, now: datetime) -> dict[str, Any] | None:
    """What a push carries about this phone's clocks (None before the first login)."""
    key = get_device_key(db)
    if key is None:
        return None
    return {"device_id": key.device_id, "device_time": now.isoformat(), "monotonic_ms": boot_monotonic_ms(),
            "boot": boot_id()}


def _row(db: sqlite_utils.Database) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM device_key WHERE id = 1"))
    return rows[0] if rows else None


def get_device_key(db: sqlite_utils.Database) -> DeviceKey | None:
    """This phone's key for the logged-in officer, or None before the first login."""
    row = _row(db)
    if row is None:
        return None
    return DeviceKey(row["device_id"], row["officer_id"], row["public_key"], bool(row["registered_at"]),
                     row["seq"], row["last_digest"])


def ensure_device_key(db: sqlite_utils.Database, officer_id: int) -> DeviceKey:
    """The officer's key on this phone, made now when there is none (or it was another officer's)."""
    current = get_device_key(db)
    if current is not None and current.officer_id == officer_id:
        return current
    key = ev.new_private_key()
    with transaction(db):
        db.execute("DELETE FROM device_key")
        db.execute("INSERT INTO device_key (id, device_id, officer_id, private_key, public_key, seq,"
                   " last_digest, created_at) VALUES (1, ?, ?, enc(?), ?, 0, ?, ?)",
                   [uuid.uuid4().hex, officer_id, ev.private_bytes(key), ev.public_b64(key), ev.GENESIS,
                    now_iso()])
    made = get_device_key(db)
    assert made is not None
    return made


def mark_registered(db: sqlite_utils.Database, device_id: str) -> None:
    """The server holds this device's public key."""
    db.execute("UPDATE device_key SET registered_at = ? WHERE device_id = ?", [now_iso(), device_id])


def next_seal(db: sqlite_utils.Database, event: dict[str, Any], device_time: datetime,
              monotonic_ms: int | None = None) -> dict[str, Any] | None:
    """The evidence block the next link of the chain would be (nothing stored); None without a key."""
    row = _row(db)
    if row is None:
        return None  # no login on this store yet (tests, or a store from before issue 9)
    private = ev.load_private(open_bytes(db, bytes(row["private_key"])))  # sealed at rest like citizens' data
    return ev.seal(event, private, row["device_id"], int(row["seq"]) + 1, row["last_digest"], device_time,
                   boot_monotonic_ms() if monotonic_ms is None else monotonic_ms, boot_id())


def advance_chain(db: sqlite_utils.Database, block: dict[str, Any]) -> bool:
    """Make `block` the chain's head, if it is still the next link (False: another link got there first)."""
    return db.execute("UPDATE device_key SET seq = ?, last_digest = ? WHERE id = 1 AND seq = ?",
                      [block["seq"], block["digest"], block["seq"] - 1]).rowcount == 1


def seal_event(db: sqlite_utils.Database, body: dict[str, Any], device_time: datetime,
               monotonic_ms: int | None = None) -> dict[str, Any]:
    """The event with its `evidence` block, advancing the chain; unchanged when there is no key.

    Call inside the transaction that enqueues the event (actions.record_action).
    """
    block = next_seal(db, body, device_time, monotonic_ms)
    if block is None:
        return body
    advance_chain(db, block)
    return {**body, "evidence": block}
