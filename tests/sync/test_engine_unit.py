"""Engine behaviour that needs no server: no session, one run at a time, backoff schedule."""

from __future__ import annotations

from datetime import UTC, datetime

from mobile import store
from mobile.sync import SyncEngine, session_client_factory
from mobile.sync.backoff import next_attempt_at


def test_no_session_reports_auth_required_and_keeps_everything() -> None:
    db = store.open_store(":memory:")
    engine = SyncEngine(db, session_client_factory(db))
    report = engine.run_once()
    assert report.auth_required and not report.ok
    assert store.get_sync_state(db).last_error == "auth_required"


def test_a_second_concurrent_run_is_skipped() -> None:
    db = store.open_store(":memory:")
    engine = SyncEngine(db, session_client_factory(db))
    engine._lock.acquire()  # a run in progress on another thread
    try:
        assert engine.run_once().skipped
    finally:
        engine._lock.release()
    assert not engine.run_once().skipped


def test_backoff_doubles_and_is_capped() -> None:
    now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert next_attempt_at(now, 0) == "2026-11-26T08:00:30+00:00"
    assert next_attempt_at(now, 2) == "2026-11-26T08:02:00+00:00"
    assert next_attempt_at(now, 30) == "2026-11-26T09:00:00+00:00"
