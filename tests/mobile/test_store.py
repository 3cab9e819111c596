"""The phone's store: migrations, atomic actions, overrides, search, drafts, session, wipe."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from phone_events import en_route, failed, photo_ref, pickup

from api_client.domain.clock import now_utc
from api_client.models import CataloguePublic, CitizenPublic, DossierPublic, TokenPublic, VisitPublic
from mobile import store
from mobile.store import actions, cache, outbox
from mobile.store.crypto import install_functions

ID_NUMBER = "089085000123"


def _seed(db: sqlite_utils.Database) -> None:
    cache.upsert_citizens(db, [CitizenPublic(id=1, full_name="Nguyễn Văn Ân", id_number=ID_NUMBER,
                                             address="Ấp Phước Khánh, xã Đa Phước")])
    cache.upsert_dossiers(db, [DossierPublic(id=10, code="000.00.21.H01-261126-0001",
                                             procedure_code="khai_sinh", catalogue_version=1, citizen_id=1,
                                             unit_id=1, status=1, registered_at="2026-11-26T08:00:00+00:00")])
    cache.upsert_visits(db, [
        VisitPublic(id=100, kind="pickup", dossier_id=10, citizen_id=1, planned_date="2026-11-26",
                    status="planned", assignee_id=7),
        VisitPublic(id=101, kind="delivery", dossier_id=10, citizen_id=1, planned_date="2026-11-27",
                    status="planned", assignee_id=7),
    ])
    cache.upsert_catalogues(db, [CataloguePublic(version=1, procedures=[])])


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    database = store.open_store(tmp_path / "phone")
    _seed(database)
    return database


def test_migrations_apply_once_and_reopen_is_idempotent(tmp_path: Path) -> None:
    first = store.open_store(tmp_path)
    assert first.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = [r["name"] for r in first.query("SELECT name FROM _migrations")]
    assert names == [name for name, _ in store.MIGRATIONS]
    first.close()
    again = store.open_store(tmp_path / "doorstep.db")
    assert store.migrate(again) == []
    assert again.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0] == len(store.MIGRATIONS)


def test_failing_migration_rolls_back_and_is_not_recorded() -> None:
    db = store.open_store(":memory:")

    def broken(d: sqlite_utils.Database) -> None:
        d.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.migrate(db, [*store.MIGRATIONS, ("0099_broken", broken)])
    assert "half_done" not in db.table_names()
    assert store.migrate(db, [*store.MIGRATIONS, ("0099_ok", lambda d: d.execute("CREATE TABLE ok (x)"))]) \
        == ["0099_ok"]


def test_record_action_writes_override_outbox_blob_and_clears_draft(db: sqlite_utils.Database) -> None:
    photo = b"\xff\xd8 fake jpeg bytes" * 100
    sha = store.blobs.stage_blob(db, photo).sha256
    store.save_draft(db, 100, "photos", {"checked": ["to_khai"]})
    event = pickup(100, ID_NUMBER, photos=[photo_ref(sha, len(photo), "to_khai")])
    event_id = store.record_action(db, event, blobs=[photo])
    assert event_id == event["id"]
    [item] = outbox.items(db, outbox.QUEUED)
    assert item.event_id == event_id and item.blob_shas == [sha] and item.body["visit_id"] == 100
    assert store.read_blob(db, sha) == photo
    assert (Path(db_dir(db)) / "blobs" / sha).read_bytes() == photo
    visit = store.get_visit(db, 100)
    assert visit is not None and visit.status.value == "completed"
    dossier = store.get_dossier(db, 10)
    assert dossier is not None and int(dossier.status) == 2
    assert [v.id for v in store.list_visits(db, status="planned")] == [101]
    assert store.load_draft(db, 100) is None
    # The cache itself still mirrors the server until it answers.
    assert next(iter(db.query("SELECT status FROM visits WHERE id = 100")))["status"] == "planned"


def db_dir(db: sqlite_utils.Database) -> Path:
    path = store.db.store_dir(db)
    assert path is not None
    return path


def test_failure_inside_the_transaction_leaves_nothing(db: sqlite_utils.Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store.save_draft(db, 100, "sign", {"x": 1})
    photo = b"photo-bytes" * 50

    def crash(*args: object, **kwargs: object) -> bool:
        raise sqlite3.OperationalError("disk I/O error")  # the last step, after the outbox insert

    monkeypatch.setattr(actions, "delete_draft", crash)
    sha = store.blobs.stage_blob(db, photo).sha256
    with pytest.raises(sqlite3.OperationalError):
        store.record_action(db, pickup(100, ID_NUMBER, photos=[photo_ref(sha, len(photo), "to_khai")]),
                            blobs=[photo])
    assert outbox.items(db) == []
    assert list(db.query("SELECT * FROM blobs")) == []
    assert list(db.query("SELECT * FROM visit_overrides")) == []
    assert store.get_visit(db, 100).status.value == "planned"  # type: ignore[union-attr]
    assert store.load_draft(db, 100) is not None


def test_same_event_twice_is_refused_and_keeps_the_first(db: sqlite_utils.Database) -> None:
    event = en_route(100)
    store.record_action(db, event)
    with pytest.raises(sqlite3.IntegrityError):
        store.record_action(db, {**event}, local_visit_update={"status": "failed"})
    assert store.get_visit(db, 100).status.value == "en_route"  # type: ignore[union-attr]
    assert len(outbox.items(db)) == 1


def test_event_referencing_an_unsaved_photo_is_refused(db: sqlite_utils.Database) -> None:
    with pytest.raises(store.MissingBlobError):
        store.record_action(db, pickup(100, ID_NUMBER, photos=[photo_ref("a" * 64, 10, "to_khai")]))
    assert outbox.items(db) == []


def test_invalid_event_never_reaches_the_outbox(db: sqlite_utils.Database) -> None:
    bad = failed(100)
    bad["payload"]["reason"] = "aliens"
    with pytest.raises(ValueError):
        store.record_action(db, bad)
    assert outbox.items(db) == []


def test_later_action_merges_override_and_failed_shows_reason(db: sqlite_utils.Database) -> None:
    store.record_action(db, en_route(100))
    store.record_action(db, failed(100))
    visit = store.get_visit(db, 100)
    assert visit is not None and visit.status.value == "failed"
    assert visit.failure_reason is not None and visit.failure_reason.value == "nobody_home"
    assert [i.type for i in outbox.items(db)] == ["visit.en_route", "visit.failed"]


def test_search_ignores_diacritics_and_matches_code_id_and_address(db: sqlite_utils.Database) -> None:
    assert [v.id for v in store.list_visits(db, q="nguyen van an")] == [100, 101]
    assert [v.id for v in store.list_visits(db, q="261126-0001")] == [100, 101]
    assert [v.id for v in store.list_visits(db, q=ID_NUMBER[-6:])] == [100, 101]
    assert [v.id for v in store.list_visits(db, q="da phuoc", kind="delivery")] == [101]
    assert store.list_visits(db, q="tran thi") == []
    assert [v.id for v in store.list_visits(db, date="2026-11-27")] == [101]
    # A renamed citizen refreshes the visits' search text.
    cache.upsert_citizens(db, [CitizenPublic(id=1, full_name="Trần Thị Bé", id_number=ID_NUMBER,
                                             address="Ấp 1")])
    assert [v.id for v in store.list_visits(db, q="TRAN thi be")] == [100, 101]
    assert [d.id for d in store.list_dossiers(db, q="tran")] == [10]


def test_drafts_round_trip(db: sqlite_utils.Database) -> None:
    data = {"checklist": {"to_khai": True}, "strokes": "10,10 5,5", "name": "Lê Thị Hoa"}
    store.save_draft(db, 100, "signature", data)
    store.save_draft(db, 101, "recipient", {})
    draft = store.load_draft(db, 100)
    assert draft is not None and draft.step == "signature" and draft.data == data
    assert {d.visit_id for d in store.list_drafts(db)} == {100, 101}
    assert store.delete_draft(db, 100) and store.load_draft(db, 100) is None


def test_session_round_trip_and_expiry(db: sqlite_utils.Database) -> None:
    expires = (now_utc() + timedelta(days=7)).isoformat()
    token = TokenPublic.model_validate({
        "access_token": "abc", "expires_at": expires,
        "officer": {"id": 7, "username": "can_bo_a", "full_name": "Cán bộ A", "role": "hamlet_officer"}})
    store.save_session(db, token, "http://10.0.2.2:8000")
    session = store.load_session(db)
    assert session is not None and session.token == "abc" and session.officer.id == 7
    assert not session.is_expired()
    assert session.is_expired(now_utc() + timedelta(days=8))
    store.clear_session(db)
    assert store.load_session(db) is None


def test_pending_counts_then_wipe_removes_personal_data_and_files(db: sqlite_utils.Database) -> None:
    photo = b"jpeg" * 300
    sha = store.save_blob(db, photo)
    store.record_action(db, en_route(100))
    store.save_draft(db, 101, "start", {})
    counts = store.pending_counts(db)
    assert counts["queued"] == 1 and counts["blobs"] == 1 and counts["drafts"] == 1 and counts["total"] == 3
    blob_file = db_dir(db) / "blobs" / sha
    assert blob_file.exists()
    deleted = store.wipe_personal_data(db)
    assert deleted["outbox"] == 1 and deleted["blob_files"] == 1
    for table in ("visits", "dossiers", "citizens", "outbox", "blobs", "drafts", "visit_overrides",
                  "session"):
        assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    assert not blob_file.exists()
    assert store.pending_counts(db)["total"] == 0
    assert store.get_catalogue(db) is not None  # public data stays
    assert store.get_sync_state(db).cursor == ""


def test_in_memory_store_keeps_blob_bytes_inline() -> None:
    db = store.open_store(":memory:")
    sha = store.save_blob(db, b"abc")
    assert store.read_blob(db, sha) == b"abc"
    assert store.db.blob_dir(db) is None


def test_two_connections_wait_for_each_other_instead_of_failing(tmp_path: Path) -> None:
    import threading
    import time

    ui = store.open_store(tmp_path)
    _seed(ui)
    engine_side = store.open_store(tmp_path)  # what the sync worker thread uses
    holding = threading.Event()

    def long_sync_transaction() -> None:
        with store.db.transaction(engine_side):
            engine_side.execute("UPDATE sync_state SET cursor = '42'")
            holding.set()
            time.sleep(0.3)

    worker = threading.Thread(target=long_sync_transaction)
    worker.start()
    holding.wait(5)
    event_id = store.record_action(ui, en_route(100))  # waits for the lock, then commits
    worker.join()
    assert [i.event_id for i in outbox.items(engine_side)] == [event_id]
    assert store.get_sync_state(ui).cursor == "42"


def test_a_session_saved_before_refresh_tokens_upgrades_and_device_id_survives_logout(tmp_path: Path) -> None:
    old = [m for m in store.MIGRATIONS if m[0] < "0005"]
    db = sqlite_utils.Database(tmp_path / "old.db")
    install_functions(db, str(tmp_path / "old.db"))  # what open_store does: the store reads through dec()
    store.migrate(db, old)
    t0 = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    db.execute("INSERT INTO session (id, officer, token, expires_at, backend_url, saved_at) VALUES "
               "(1, ?, 'old-token', ?, 'http://x', ?)",
               ['{"id": 7, "username": "a", "full_name": "A", "role": "hamlet_officer"}',
                (t0 + timedelta(days=7)).isoformat(), t0.isoformat()])
    assert store.migrate(db) == ["0005_refresh_token_device_id"] + [
        m[0] for m in store.MIGRATIONS if m[0] > "0005_refresh_token_device_id"]
    s = store.load_session(db)
    assert s is not None and s.token == "old-token" and s.refresh_token is None
    assert not s.is_expired(t0 + timedelta(days=6)) and s.is_expired(t0 + timedelta(days=8))
    device = store.device_id(db)
    assert len(device) == 32
    # a refreshed pair replaces the tokens; the session then lives as long as the refresh token
    store.update_tokens(db, TokenPublic.model_validate({
        "access_token": "new", "expires_at": (t0 + timedelta(minutes=15)).isoformat(),
        "refresh_token": "r2", "refresh_expires_at": (t0 + timedelta(days=14)).isoformat(),
        "officer": {"id": 7, "username": "a", "full_name": "A", "role": "hamlet_officer"}}))
    s = store.load_session(db)
    assert s is not None and (s.token, s.refresh_token) == ("new", "r2")
    assert not s.is_expired(t0 + timedelta(days=13)) and s.is_expired(t0 + timedelta(days=15))
    store.wipe_personal_data(db)
    assert store.load_session(db) is None and store.device_id(db) == device
