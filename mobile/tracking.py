"""Duty tracking on the phone (plain Python, no UI): record GPS breadcrumbs while on duty,
freeze them into batches, upload the batches to `POST /tracks`.

- The officer's on/off duty state lives in the store (`duty` row), so it survives restarts;
  nothing is recorded off duty, and the recorder does not even ask the GPS then (battery).
- A fix is kept only when on duty, its accuracy is at most `max_accuracy_m` (default 50 m,
  the same rule as at the door), at least `interval_s` passed since the last kept point and
  it is at least `min_distance_m` away from it (standing still records nothing).
- Each duty change is a row too; it travels in the next batch with the points.
- `freeze_batches` turns pending rows into batches with a fresh UUID and a fixed body
  (compact encoding of `api_client.domain.track`); retries send the same id and body, so the
  server stores each batch once. Sent batches' points are deleted from the phone.

Production feeds the recorder from flet_geolocator (mobile/services/location.py) through a
`FixSource` callable; tests feed it a list of fake fixes.

    recorder = BreadcrumbRecorder(db, source)
    recorder.go_on_duty()
    recorder.tick()                       # from a timer every few seconds, or recorder.run(stop)
    recorder.go_off_duty()
    sync_tracks(db, client)               # the sync engine calls this after the outbox
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

import sqlite_utils

from api_client import APIConnectionError, APIStatusError, AuthenticationError, Client, ConflictError
from api_client import ValidationError as ApiValidationError
from api_client.domain.clock import now_utc
from api_client.domain.geo import MAX_ACCURACY_M, distance_m
from api_client.domain.track import TrackPoint, encode_points
from api_client.models import DutyChange, TrackBatch

from .store.db import transaction

SENT_BATCHES_KEPT = 200  # rows of sent batches kept as a log; their points are gone already


@dataclass(frozen=True)
class Fix:
    """One GPS fix: position, accuracy in metres and the time it was taken."""

    lat: float
    lon: float
    accuracy_m: float
    at: datetime


# Returns a fresh fix, or None / raises when there is none (no permission, no signal, timeout).
FixSource = Callable[[], Fix | None]


@dataclass(frozen=True)
class TrackingConfig:
    """How often and how precisely to record."""

    interval_s: float = 30.0
    min_distance_m: float = 20.0
    max_accuracy_m: float = MAX_ACCURACY_M
    batch_max_points: int = 500


class Offer(str, Enum):
    """What happened to one fix."""

    RECORDED = "recorded"
    OFF_DUTY = "off_duty"
    NO_FIX = "no_fix"
    POOR_ACCURACY = "poor_accuracy"
    TOO_SOON = "too_soon"
    TOO_CLOSE = "too_close"


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def _iso(value: datetime) -> str:
    return _utc(value).isoformat(timespec="seconds")


def is_on_duty(db: sqlite_utils.Database) -> bool:
    """The stored duty state."""
    rows = list(db.query("SELECT on_duty FROM duty WHERE id = 1"))
    return bool(rows and rows[0]["on_duty"])


class BreadcrumbRecorder:
    """Keeps good, spaced fixes while the officer is on duty; one per phone store."""

    def __init__(self, db: sqlite_utils.Database, source: FixSource, config: TrackingConfig | None = None,
                 clock: Callable[[], datetime] = now_utc) -> None:
        self.db = db
        self.source = source
        self.config = config or TrackingConfig()
        self.clock = clock
        self._last: Fix | None = self._last_stored()

    def _last_stored(self) -> Fix | None:
        # only a point of the current duty period counts: a new period starts with a fresh point
        rows = list(self.db.query(
            "SELECT b.* FROM breadcrumbs b, duty d WHERE d.id = 1 AND d.on_duty = 1 "
            "AND b.recorded_at >= COALESCE(d.changed_at, '') ORDER BY b.id DESC LIMIT 1"))
        if not rows:
            return None
        r = rows[0]
        return Fix(r["lat"], r["lon"], r["accuracy_m"], datetime.fromisoformat(r["recorded_at"]))

    @property
    def on_duty(self) -> bool:
        """Whether the officer is on duty (stored, so it survives an app restart)."""
        return is_on_duty(self.db)

    def _set_duty(self, on: bool, at: datetime | None) -> bool:
        when = _iso(at or self.clock())
        with transaction(self.db):
            if is_on_duty(self.db) == on:
                return False
            self.db.execute("UPDATE duty SET on_duty = ?, changed_at = ? WHERE id = 1", [int(on), when])
            self.db.execute("INSERT INTO duty_changes (at, on_duty) VALUES (?, ?)", [when, int(on)])
        self._last = None
        return True

    def go_on_duty(self, at: datetime | None = None) -> bool:
        """Start recording; False when already on duty."""
        return self._set_duty(True, at)

    def go_off_duty(self, at: datetime | None = None) -> bool:
        """Stop recording; False when already off duty."""
        return self._set_duty(False, at)

    def offer(self, fix: Fix | None) -> Offer:
        """Keep the fix if on duty, precise enough, late enough and far enough from the last one."""
        if not self.on_duty:
            return Offer.OFF_DUTY
        if fix is None:
            return Offer.NO_FIX
        if fix.accuracy_m > self.config.max_accuracy_m:
            return Offer.POOR_ACCURACY
        last = self._last
        if last is not None:
            if (_utc(fix.at) - _utc(last.at)).total_seconds() < self.config.interval_s:
                return Offer.TOO_SOON
            if distance_m(last.lat, last.lon, fix.lat, fix.lon) < self.config.min_distance_m:
                return Offer.TOO_CLOSE
        with transaction(self.db):
            self.db.execute("INSERT INTO breadcrumbs (recorded_at, lat, lon, accuracy_m) VALUES (?, ?, ?, ?)",
                            [_iso(fix.at), round(fix.lat, 6), round(fix.lon, 6), float(fix.accuracy_m)])
        self._last = fix
        return Offer.RECORDED

    def tick(self) -> Offer:
        """Ask the GPS once (only on duty) and offer the fix."""
        if not self.on_duty:
            return Offer.OFF_DUTY
        try:
            fix = self.source()
        except Exception:  # a GPS failure must never stop the recorder; the next tick retries
            fix = None
        return self.offer(fix)

    def run(self, stop: threading.Event) -> None:
        """Tick every `interval_s` until `stop` is set or the officer goes off duty."""
        while not stop.is_set() and self.on_duty:
            self.tick()
            stop.wait(self.config.interval_s)


def pending_points(db: sqlite_utils.Database) -> int:
    """Breadcrumbs not yet uploaded (batched or not)."""
    return int(next(iter(db.query("SELECT COUNT(*) AS n FROM breadcrumbs")))["n"])


def freeze_batches(db: sqlite_utils.Database, max_points: int = 500,
                   now: datetime | None = None) -> list[str]:
    """Put unbatched breadcrumbs and duty changes into batches with fixed ids and bodies; their ids."""
    made: list[str] = []
    with transaction(db):
        duty = list(db.query("SELECT * FROM duty_changes WHERE batch_id IS NULL ORDER BY id"))
        while True:
            rows = list(db.query("SELECT * FROM breadcrumbs WHERE batch_id IS NULL ORDER BY recorded_at, id "
                                 "LIMIT ?", [max_points]))
            if not rows and not duty:
                break
            batch_id = str(uuid.uuid4())
            points = [TrackPoint(datetime.fromisoformat(r["recorded_at"]), r["lat"], r["lon"],
                                 r["accuracy_m"]) for r in rows]
            t0 = points[0].at if points else None
            batch = TrackBatch(id=uuid.UUID(batch_id), t0=t0, points=encode_points(t0, points) if t0 else "",
                               duty=[DutyChange(at=datetime.fromisoformat(d["at"]),
                                                on_duty=bool(d["on_duty"])) for d in duty])
            db.execute("INSERT INTO track_batches (id, body, points, created_at) VALUES (?, ?, ?, ?)",
                       [batch_id, batch.model_dump_json(), len(rows), _iso(now or now_utc())])
            if rows:
                db.execute(f"UPDATE breadcrumbs SET batch_id = ? WHERE id IN ({','.join('?' * len(rows))})",
                           [batch_id, *[r["id"] for r in rows]])
            for d in duty:
                db.execute("UPDATE duty_changes SET batch_id = ? WHERE id = ?", [batch_id, d["id"]])
            duty = []
            made.append(batch_id)
            if len(rows) < max_points:
                break
    return made


@dataclass
class TrackUpload:
    """What one upload round did."""

    sent: int = 0
    duplicates: int = 0
    dead: int = 0
    offline: bool = False
    auth_required: bool = False
    error: str | None = None


def _mark_sent(db: sqlite_utils.Database, batch_id: str) -> None:
    with transaction(db):
        db.execute("UPDATE track_batches SET state = 'sent', sent_at = ? WHERE id = ?",
                   [_iso(now_utc()), batch_id])
        db.execute("DELETE FROM breadcrumbs WHERE batch_id = ?", [batch_id])
        db.execute("DELETE FROM duty_changes WHERE batch_id = ?", [batch_id])
        db.execute("DELETE FROM track_batches WHERE state = 'sent' AND id NOT IN "
                   "(SELECT id FROM track_batches WHERE state = 'sent' ORDER BY sent_at DESC LIMIT ?)",
                   [SENT_BATCHES_KEPT])


def upload_batches(db: sqlite_utils.Database, client: Client) -> TrackUpload:
    """Send queued batches oldest first; stop at the first connection or auth failure."""
    out = TrackUpload()
    queued = db.query("SELECT id, body FROM track_batches WHERE state = 'queued' ORDER BY created_at, id")
    for row in list(queued):
        try:
            result = client.push_tracks(json.loads(row["body"]))
        except AuthenticationError:
            out.auth_required = True
            return out
        except APIConnectionError:
            out.offline = True
            return out
        except (ConflictError, ApiValidationError) as exc:
            # can never succeed as is (the id was used for another body / the body is invalid):
            # keep it out of the queue, visible in the table, never silently retried forever
            db.execute("UPDATE track_batches SET state = 'dead', attempts = attempts + 1, last_error = ? "
                       "WHERE id = ?", [exc.detail, row["id"]])
            out.dead += 1
            continue
        except APIStatusError as exc:
            db.execute("UPDATE track_batches SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                       [exc.detail, row["id"]])
            out.error = exc.detail
            return out
        _mark_sent(db, row["id"])
        if result.status.value == "duplicate":
            out.duplicates += 1
        else:
            out.sent += 1
    return out


def sync_tracks(db: sqlite_utils.Database, client: Client, max_points: int = 500) -> TrackUpload:
    """Freeze pending breadcrumbs into batches, then upload every queued batch."""
    freeze_batches(db, max_points)
    return upload_batches(db, client)
