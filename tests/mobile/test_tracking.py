"""Duty tracking on the phone: filtering (accuracy, interval, distance), the off-duty rule,
batching with fixed ids, the compact encoding round trip, and upload through the sync engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import builders
import pytest
from sqlalchemy import select

from api_client import Client, RetryPolicy
from api_client.domain.clock import now_utc
from api_client.domain.track import TrackFormatError, TrackPoint, decode_points, encode_points
from api_client.models import TrackBatch
from backend.db.schema import breadcrumbs, duty_changes
from mobile import store, tracking
from mobile.sync import SyncEngine
from mobile.tracking import BreadcrumbRecorder, Fix, Offer, TrackingConfig

T0 = datetime(2026, 3, 9, 0, 30, tzinfo=UTC)  # the day before the tests' pinned today (testkit.TEST_NOW)
STEP = 0.0003  # ≈ 33 m of latitude


def at(seconds: int, north: int = 0, acc: float = 5.0) -> Fix:
    """A fix `seconds` after T0, `north` steps north of 10.87 N."""
    return Fix(10.87 + north * STEP, 105.09, acc, T0 + timedelta(seconds=seconds))


class FakeGps:
    """A LocationService stand-in: hands out a fixed sequence, then nothing; counts calls."""

    def __init__(self, fixes: list[Fix | None]) -> None:
        self.fixes = list(fixes)
        self.calls = 0

    def __call__(self) -> Fix | None:
        self.calls += 1
        return self.fixes.pop(0) if self.fixes else None


@pytest.fixture
def db() -> Iterator[Any]:
    phone = store.open_store(":memory:")
    yield phone
    phone.close()


def stored(db: Any) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM breadcrumbs ORDER BY id"))


def test_migration_adds_the_tables_and_duty_starts_off(db: Any) -> None:
    names = {r["name"] for r in db.query("SELECT name FROM _migrations")}
    assert {"0001_initial", "0002_breadcrumbs"} <= names
    assert not tracking.is_on_duty(db)


def test_filters_accuracy_interval_and_distance(db: Any) -> None:
    rec = BreadcrumbRecorder(
        db, FakeGps([]), TrackingConfig(interval_s=30, min_distance_m=20, max_accuracy_m=50)
    )
    rec.go_on_duty(T0)
    assert rec.offer(at(0, acc=51)) == Offer.POOR_ACCURACY
    assert rec.offer(at(0)) == Offer.RECORDED  # first good fix of the duty period
    assert rec.offer(at(10, north=3)) == Offer.TOO_SOON  # 10 s < 30 s
    assert rec.offer(at(40)) == Offer.TOO_CLOSE  # 0 m moved
    assert rec.offer(at(45, north=1)) == Offer.RECORDED  # 33 m, 45 s
    assert rec.offer(at(90, north=2, acc=50)) == Offer.RECORDED  # 50 m is still good enough
    assert rec.offer(None) == Offer.NO_FIX
    assert [(r["recorded_at"], r["accuracy_m"]) for r in stored(db)] == [
        (T0.isoformat(), 5.0),
        ((T0 + timedelta(seconds=45)).isoformat(), 5.0),
        ((T0 + timedelta(seconds=90)).isoformat(), 50.0),
    ]


def test_nothing_is_recorded_off_duty_and_gps_is_not_even_asked(db: Any) -> None:
    gps = FakeGps([at(0), at(60, 2), at(120, 4), at(180, 6)])
    rec = BreadcrumbRecorder(db, gps)
    assert rec.tick() == Offer.OFF_DUTY and gps.calls == 0
    rec.go_on_duty(T0)
    assert rec.tick() == Offer.RECORDED and rec.tick() == Offer.RECORDED
    rec.go_off_duty(T0 + timedelta(seconds=90))
    assert rec.tick() == Offer.OFF_DUTY and rec.offer(at(200, 8)) == Offer.OFF_DUTY
    assert gps.calls == 2 and len(stored(db)) == 2
    # the state is in the store: a restarted app (new recorder) is still off duty
    assert BreadcrumbRecorder(db, gps).on_duty is False
    assert rec.go_off_duty() is False  # already off: no second change recorded
    changes = [(r["on_duty"], r["at"]) for r in db.query("SELECT * FROM duty_changes ORDER BY id")]
    assert changes == [(1, T0.isoformat()), (0, (T0 + timedelta(seconds=90)).isoformat())]


def test_a_new_duty_period_starts_with_a_fresh_point(db: Any) -> None:
    rec = BreadcrumbRecorder(db, FakeGps([]))
    rec.go_on_duty(T0)
    assert rec.offer(at(0)) == Offer.RECORDED
    rec.go_off_duty(T0 + timedelta(seconds=5))
    rec.go_on_duty(T0 + timedelta(seconds=10))
    assert rec.offer(at(12)) == Offer.RECORDED  # same place, 12 s later: a new period, kept


def test_run_loop_stops_when_off_duty(db: Any) -> None:
    import threading

    rec = BreadcrumbRecorder(db, FakeGps([at(i * 60, i) for i in range(5)]), TrackingConfig(interval_s=0))
    rec.go_on_duty(T0)
    stop = threading.Event()
    original = rec.tick

    def tick() -> Offer:
        result = original()
        if len(stored(db)) == 3:
            rec.go_off_duty()
        return result

    rec.tick = tick  # type: ignore[method-assign]
    rec.run(stop)
    assert len(stored(db)) == 3


def test_encoding_round_trip_is_exact_to_1e5_degrees_and_seconds() -> None:
    points = [
        TrackPoint(T0 + timedelta(seconds=s), lat, lon, acc)
        for s, lat, lon, acc in [
            (0, 10.87123, 105.09001, 4.2),
            (31, 10.87156, 105.08999, 12.0),
            (95, 10.9, 105.1, 49.5),
        ]
    ]
    text = encode_points(T0, points)
    assert text == "0,1087123,10509001,5 31,33,-2,12 64,2844,1001,50"
    back = decode_points(T0, text)
    assert [(p.at, p.lat, p.lon) for p in back] == [(p.at, p.lat, p.lon) for p in points]
    assert [p.accuracy_m for p in back] == [5.0, 12.0, 50.0]  # rounded up, never flattered
    for bad in ("0,1,2", "a,b,c,d", "-1,0,0,0", "0,9000001,0,0"):
        with pytest.raises(TrackFormatError):
            decode_points(T0, bad)


def test_batches_have_fixed_ids_and_bodies_and_carry_duty_changes(db: Any) -> None:
    rec = BreadcrumbRecorder(db, FakeGps([]), TrackingConfig(interval_s=1, min_distance_m=1))
    rec.go_on_duty(T0)
    for i in range(5):
        assert rec.offer(at(i * 60, i)) == Offer.RECORDED
    rec.go_off_duty(T0 + timedelta(seconds=300))
    ids = tracking.freeze_batches(db, max_points=2)
    assert len(ids) == 3 and tracking.freeze_batches(db, max_points=2) == []
    rows = {r["id"]: r for r in db.query("SELECT * FROM track_batches")}
    bodies = [TrackBatch.model_validate(json.loads(rows[i]["body"])) for i in ids]
    assert [len(b.decoded()) for b in bodies] == [2, 2, 1]
    assert [d.on_duty for d in bodies[0].duty] == [True, False] and bodies[1].duty == []
    decoded = [p for b in bodies for p in b.decoded()]
    assert [round((p.lat - 10.87) / STEP) for p in decoded] == [0, 1, 2, 3, 4]
    assert decoded[-1].at == T0 + timedelta(seconds=240)


def test_duty_change_alone_makes_a_batch(db: Any) -> None:
    rec = BreadcrumbRecorder(db, FakeGps([]))
    rec.go_on_duty(T0)
    [batch_id] = tracking.freeze_batches(db)
    body = TrackBatch.model_validate_json(next(iter(db.query("SELECT body FROM track_batches")))["body"])
    assert str(body.id) == batch_id and body.t0 is None and body.points == "" and len(body.duty) == 1


@pytest.fixture
def phone(sqlite_server: Any, tmp_path: Path) -> Iterator[tuple[Any, Client, Any]]:
    builders.world(sqlite_server.engine)
    api = Client(sqlite_server.url, timeout=10, retry=RetryPolicy.none())
    token = api.login("can_bo_a", builders.PASSWORD)
    phone_db = store.open_store(tmp_path / "phone")
    store.save_session(phone_db, token, sqlite_server.url)
    yield phone_db, api, sqlite_server
    api.close()
    phone_db.close()


def test_sync_engine_uploads_batches_once_and_clears_them(phone: tuple[Any, Client, Any]) -> None:
    phone_db, api, server = phone
    now = now_utc().replace(microsecond=0) - timedelta(hours=1)
    rec = BreadcrumbRecorder(phone_db, FakeGps([]), TrackingConfig(interval_s=1, min_distance_m=1))
    rec.go_on_duty(now)
    for i in range(3):
        rec.offer(Fix(10.87 + i * STEP, 105.09, 6, now + timedelta(seconds=60 * i)))
    report = SyncEngine(phone_db, api).run_once()
    assert report.ok, report
    with server.engine.connect() as conn:
        got = [(r.lat, r.recorded_at) for r in conn.execute(select(breadcrumbs).order_by(breadcrumbs.c.id))]
        duty = conn.execute(select(duty_changes.c.on_duty)).scalars().all()
    assert got == [
        (round(10.87 + i * STEP, 5), (now + timedelta(seconds=60 * i)).isoformat()) for i in range(3)
    ]
    assert duty == [True]
    assert tracking.pending_points(phone_db) == 0
    assert [r["state"] for r in phone_db.query("SELECT state FROM track_batches")] == ["sent"]
    # a batch whose answer was lost is sent again: the server says duplicate, nothing doubles
    body = json.loads(next(iter(phone_db.query("SELECT body FROM track_batches")))["body"])
    phone_db.execute("UPDATE track_batches SET state = 'queued'")
    again = tracking.upload_batches(phone_db, api)
    assert (again.sent, again.duplicates) == (0, 1)
    with server.engine.connect() as conn:
        assert len(conn.execute(select(breadcrumbs.c.id)).all()) == 3
    assert api.push_tracks(body).status.value == "duplicate"


def test_offline_upload_keeps_the_batches(phone: tuple[Any, Client, Any]) -> None:
    phone_db, api, _ = phone
    rec = BreadcrumbRecorder(phone_db, FakeGps([]))
    rec.go_on_duty()
    rec.offer(Fix(10.87, 105.09, 5, now_utc() - timedelta(minutes=5)))
    dead_link = Client("http://127.0.0.1:9", api.token, timeout=1, retry=RetryPolicy.none())
    out = tracking.sync_tracks(phone_db, dead_link)
    assert out.offline and out.sent == 0
    assert [r["state"] for r in phone_db.query("SELECT state FROM track_batches")] == ["queued"]
    assert tracking.pending_points(phone_db) == 1
    assert tracking.upload_batches(phone_db, api).sent == 1


def test_logout_wipe_counts_and_removes_the_track_and_ends_duty(db: Any) -> None:
    rec = BreadcrumbRecorder(db, FakeGps([]))
    rec.go_on_duty(T0)
    rec.offer(at(0))
    assert store.pending_counts(db)["tracks"] == 1 and store.pending_counts(db)["total"] == 1
    deleted = store.wipe_personal_data(db)
    assert deleted["breadcrumbs"] == 1 and deleted["duty_changes"] == 1
    assert tracking.pending_points(db) == 0 and not tracking.is_on_duty(db)
