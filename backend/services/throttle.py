"""Login throttling: consecutive failures lock an account, bursts of failures block an address.

One row per key ("account:<username>", "address:<ip>"). Each lock lasts twice as long as the one
before (capped) until a success or a supervisor's lift resets the count. Times come from the
server clock, so tests can move it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..db.schema import auth_throttle
from .clock import iso, parse_iso


@dataclass(frozen=True)
class Policy:
    """How many failures within `window` lock a key, for how long at first, and at most."""

    limit: int
    window: timedelta
    first_lock: timedelta
    max_lock: timedelta


def account_key(username: str) -> str:
    """The throttle key of an account (exists or not: the answer never tells which)."""
    return f"account:{username.strip().lower()[:100]}"


def address_key(address: str | None) -> str:
    """The throttle key of a client address."""
    return f"address:{address or 'unknown'}"


def locked_until(conn: Connection, key: str, now: datetime) -> datetime | None:
    """When the key's lock ends, if it is locked now."""
    value = conn.execute(select(auth_throttle.c.locked_until).where(auth_throttle.c.key == key)).scalar()
    if value is None:
        return None
    until = parse_iso(value)
    return until if until > now else None


def _row(conn: Connection, key: str, now: datetime) -> dict:
    q = select(auth_throttle).where(auth_throttle.c.key == key).with_for_update()
    row = conn.execute(q).mappings().first()
    if row is not None:
        return dict(row)
    try:
        with conn.begin_nested():  # two first failures at once: the second one reads the first's row
            conn.execute(insert(auth_throttle).values(key=key, failures=0, lockouts=0, window_start=iso(now),
                                                      updated_at=iso(now)))
    except IntegrityError:
        pass
    return dict(conn.execute(q).mappings().one())


def fail(conn: Connection, key: str, policy: Policy, now: datetime) -> datetime | None:
    """Count one failure; returns the end of the lock this failure started, if it started one."""
    row = _row(conn, key, now)
    failures = row["failures"]
    if row["window_start"] is None or parse_iso(row["window_start"]) < now - policy.window:
        failures, window_start = 0, iso(now)  # old failures no longer count
    else:
        window_start = row["window_start"]
    failures += 1
    values = {"failures": failures, "window_start": window_start, "updated_at": iso(now)}
    until = None
    if failures >= policy.limit:
        lockouts = row["lockouts"] + 1
        until = now + min(policy.first_lock * 2 ** (lockouts - 1), policy.max_lock)
        values |= {"failures": 0, "window_start": None, "lockouts": lockouts, "locked_until": iso(until)}
    conn.execute(update(auth_throttle).where(auth_throttle.c.key == key).values(**values))
    return until


def state(conn: Connection, key: str, now: datetime) -> tuple[int, datetime | None]:
    """(failures counted now, lock end if locked)."""
    row = conn.execute(select(auth_throttle).where(auth_throttle.c.key == key)).mappings().first()
    if row is None:
        return 0, None
    return int(row["failures"]), locked_until(conn, key, now)


def reset(conn: Connection, key: str, now: datetime) -> bool:
    """Forget the key's failures and lock (a success, or a supervisor's lift); True if it was locked."""
    was_locked = locked_until(conn, key, now) is not None
    conn.execute(update(auth_throttle).where(auth_throttle.c.key == key).values(
        failures=0, lockouts=0, locked_until=None, window_start=None, updated_at=iso(now)))
    return was_locked
