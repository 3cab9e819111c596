"""The phone's store + sync engine against a live server (SQLite and PostgreSQL).

Everything goes over real HTTP; the only doubles are transports that cut the link.
"""

from __future__ import annotations

import hashlib
import random
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlite_utils
from phone_events import en_route, failed, photo_ref, pickup
from sqlalchemy import func, select

from api_client import Client, RetryPolicy
from api_client.models import EventStatus
from backend.db.schema import events, visits
from mobile import store
from mobile.store import outbox
from mobile.sync import SyncEngine
from tests import builders

NO_RETRY = RetryPolicy.none()


def closed_port_url() -> str:
    """A URL where nothing listens: what 'no signal' looks like to the phone."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@dataclass
class Phone:
    """One officer's phone: its store directory, database, API client and engine."""

    dir: Path
    db: sqlite_utils.Database
    api: Client
    engine: SyncEngine
    world: builders.World
    server: Any

    def reopen(self) -> None:
        """What an app restart does: close the database and open it again from disk."""
        self.db.close()
        self.db = store.open_store(self.dir)
        self.engine = SyncEngine(self.db, self.api)

    def offline_engine(self) -> SyncEngine:
        """An engine whose client cannot reach any server."""
        client = Client(closed_port_url(), self.api.token, timeout=2, retry=NO_RETRY)
        return SyncEngine(self.db, client)


@pytest.fixture
def phone(server: Any, tmp_path: Path) -> Iterator[Phone]:
    world = builders.world(server.engine)
    api = Client(server.url, timeout=10, retry=NO_RETRY)
    token = api.login("can_bo_a", builders.PASSWORD)
    db = store.open_store(tmp_path / "phone")
    store.save_session(db, token, server.url)
    engine = SyncEngine(db, api)
    first = engine.run_once()
    assert first.ok and first.pulled_visits >= 3, first
    yield Phone(tmp_path / "phone", db, api, engine, world, server)
    api.close()
    db.close()


def supervisor(server: Any) -> Client:
    api = Client(server.url, timeout=10, retry=NO_RETRY)
    api.login("giam_sat_x", builders.PASSWORD)
    return api


def event_rows(server: Any, ids: list[str]) -> int:
    with server.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(events).where(events.c.id.in_(ids)))
                   .scalar_one())


def test_first_sync_fills_the_cache(phone: Phone) -> None:
    w = phone.world
    cached = {v.id for v in store.list_visits(phone.db)}
    assert cached == {w.visits["pickup_a"], w.visits["pickup_a2"], w.visits["delivery_a"]}
    assert store.get_citizen(phone.db, w.citizens["an"]) is not None
    assert store.get_catalogue(phone.db, 1) is not None
    assert store.get_sync_state(phone.db).cursor not in ("", "0")
    assert [v.id for v in store.list_visits(phone.db, q="nguyen van an")] == sorted(
        [w.visits["pickup_a"], w.visits["pickup_a2"]])


def test_offline_queue_then_reconnect_applies_everything(phone: Phone) -> None:
    w = phone.world
    photos = [b"\xff\xd8to_khai" * 400, b"\xff\xd8giay_chung_sinh" * 300]
    refs = [photo_ref(hashlib.sha256(p).hexdigest(), len(p), code)
            for p, code in zip(photos, ["to_khai", "giay_chung_sinh"])]
    ids = [
        store.record_action(phone.db, en_route(w.visits["pickup_a"])),
        store.record_action(phone.db, pickup(w.visits["pickup_a"], w.citizen_ids["an"], photos=refs),
                            blobs=photos),
        store.record_action(phone.db, failed(w.visits["pickup_a2"])),
    ]
    offline = phone.offline_engine().run_once()
    assert offline.offline and not offline.ok
    assert offline.applied == 0 and offline.blobs_uploaded == 0
    queued = outbox.items(phone.db, outbox.QUEUED)
    assert [i.event_id for i in queued] == ids
    # Events held for their photos are not attempted; the others count one failed try each.
    assert {i.event_id: i.attempts for i in queued} == {ids[0]: 1, ids[1]: 0, ids[2]: 1}
    assert all(i.next_attempt_at for i in queued if i.attempts)
    assert store.pending_counts(phone.db)["blobs"] == 2
    assert store.get_visit(phone.db, w.visits["pickup_a"]).status.value == "completed"  # type: ignore[union-attr]
    assert store.get_sync_state(phone.db).last_error == "offline"

    # Back online: backoff keeps the failed ones waiting until the user forces a sync.
    online = phone.engine.run_once(force=True)
    assert online.ok, online
    assert (online.blobs_uploaded, online.applied, online.conflicts, online.rejected) == (2, 3, 0, 0)
    assert outbox.items(phone.db, outbox.QUEUED) == []
    assert event_rows(phone.server, ids) == 3
    server_visit = phone.api.get_visit(w.visits["pickup_a"])
    assert server_visit.status.value == "completed"
    dossier = phone.api.get_dossier(w.dossiers["pickup_a"])
    assert int(dossier.status) == 2 and int(dossier.digitization) == 1
    assert phone.api.get_blob(refs[0]["sha256"]) == photos[0]
    # The failure created a new planned visit; the pull brought it to the phone.
    planned = [v for v in store.list_visits(phone.db, status="planned")
               if v.dossier_id == w.dossiers["pickup_a2"]]
    assert len(planned) == 1 and planned[0].attempts == 1
    assert store.pending_counts(phone.db)["total"] == 0


def test_backoff_holds_items_until_due(phone: Phone) -> None:
    store.record_action(phone.db, en_route(phone.world.visits["pickup_a"]))
    assert phone.offline_engine().run_once().offline
    later = phone.engine.run_once()  # not forced: the item's next attempt is in the future
    assert later.pushed == 0 and len(outbox.items(phone.db, outbox.QUEUED)) == 1


def test_same_batch_pushed_twice_is_all_duplicate_and_changes_nothing(phone: Phone) -> None:
    w = phone.world
    batch = [en_route(w.visits["pickup_a"]), failed(w.visits["pickup_a2"]),
             en_route(w.visits["delivery_a"])]
    first = phone.api.push(batch)
    assert [r.status for r in first.results] == [EventStatus.APPLIED] * 3
    before = {v: phone.api.get_visit(v).model_dump() for v in w.visits.values() if v != w.visits["pickup_b"]
              and v != w.visits["y_pickup"]}
    with phone.server.engine.connect() as conn:
        visit_count = conn.execute(select(func.count()).select_from(visits)).scalar_one()
    second = phone.api.push(batch)
    assert [r.status for r in second.results] == [EventStatus.DUPLICATE] * 3
    assert [r.id for r in second.results] == [e["id"] for e in batch]
    assert second.results[1].visit == first.results[1].visit
    after = {v: phone.api.get_visit(v).model_dump() for v in before}
    assert after == before
    with phone.server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(visits)).scalar_one() == visit_count


def test_crash_between_push_and_acknowledgement_then_restart(phone: Phone,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    w = phone.world
    ids = [store.record_action(phone.db, en_route(w.visits["pickup_a"])),
           store.record_action(phone.db, failed(w.visits["pickup_a2"]))]

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt("app killed before it could mark the events sent")

    with monkeypatch.context() as m:
        m.setattr(outbox, "mark_sent", killed)
        with pytest.raises(KeyboardInterrupt):
            phone.engine.run_once()
    # The server applied both, the phone still has them queued.
    assert event_rows(phone.server, ids) == 2
    phone.reopen()
    assert [i.event_id for i in outbox.items(phone.db, outbox.QUEUED)] == ids
    report = phone.engine.run_once()
    assert (report.applied, report.duplicates) == (0, 2), report
    assert outbox.counts(phone.db)["sent"] == 2
    assert event_rows(phone.server, ids) == 2
    # Exactly one effect: one failed attempt, one replacement visit.
    with phone.server.engine.connect() as conn:
        rows = conn.execute(select(visits.c.status, visits.c.attempts)
                            .where(visits.c.dossier_id == w.dossiers["pickup_a2"])).all()
    assert sorted(rows) == [("failed", 1), ("planned", 1)]


def test_visit_cancelled_or_reassigned_while_offline_becomes_visible_conflict(phone: Phone) -> None:
    w = phone.world
    boss = supervisor(phone.server)
    boss.update_visit(w.visits["pickup_a"], {"cancel": True})
    boss.update_visit(w.visits["pickup_a2"], {"assignee_id": w.officer_b})
    boss.close()
    # The officer, offline, kept working on both.
    cancelled_id = store.record_action(phone.db, en_route(w.visits["pickup_a"]))
    reassigned_id = store.record_action(phone.db, failed(w.visits["pickup_a2"]))
    # Pull first (as on app start): the tombstone drops the visit and flags the queued action.
    from mobile.sync.report import SyncReport

    report = SyncReport()
    phone.engine.pull(phone.api, report)
    assert report.tombstones >= 1
    assert store.get_visit(phone.db, w.visits["pickup_a2"]) is None
    conflicts = {c.event_id: c for c in phone.engine.conflicts()}
    assert reassigned_id in conflicts and "reassigned" in (conflicts[reassigned_id].last_error or "")
    # The cancelled visit: whichever way the server tells us, the action ends as a conflict.
    phone.engine.run_once()
    conflicts = {c.event_id: c for c in phone.engine.conflicts()}
    assert set(conflicts) == {cancelled_id, reassigned_id}
    assert store.get_visit(phone.db, w.visits["pickup_a"]) is None or \
        store.get_visit(phone.db, w.visits["pickup_a"]).status.value == "cancelled"  # type: ignore[union-attr]
    assert outbox.items(phone.db, outbox.QUEUED) == []
    assert event_rows(phone.server, [cancelled_id, reassigned_id]) == 0
    # The officer acknowledges; nothing is pushed again.
    assert phone.engine.resolve_conflict(cancelled_id, "discard")
    assert phone.engine.resolve_conflict(reassigned_id, "discard")
    assert phone.engine.conflicts() == [] and store.pending_counts(phone.db)["conflict"] == 0


class CutAfterFirstChunk(httpx.HTTPTransport):
    """A real transport that drops the link on the second blob chunk (the first one lands)."""

    def __init__(self, cut: bool) -> None:
        super().__init__()
        self.cut = cut
        self.put_bytes = 0
        self.puts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            self.puts += 1
            if self.cut and self.puts > 1:
                raise httpx.WriteError("signal lost", request=request)
            self.put_bytes += len(request.read())
        return super().handle_request(request)


def test_blob_upload_cut_in_the_middle_resumes_and_small_records_still_go(phone: Phone) -> None:
    w = phone.world
    photo = random.Random(3).randbytes(700 * 1024)  # three 256 KB chunks
    sha = hashlib.sha256(photo).hexdigest()
    pickup_id = store.record_action(
        phone.db, pickup(w.visits["pickup_a"], w.citizen_ids["an"],
                         photos=[photo_ref(sha, len(photo), "to_khai")]), blobs=[photo])
    small_id = store.record_action(phone.db, en_route(w.visits["delivery_a"]))

    weak = CutAfterFirstChunk(cut=True)
    with Client(phone.server.url, phone.api.token, retry=NO_RETRY, transport=weak) as client:
        report = SyncEngine(phone.db, client).run_once()
    assert report.blobs_failed == 1 and report.held_for_blobs == 1
    assert weak.put_bytes == 256 * 1024
    assert phone.api.blob_status(sha).received == 256 * 1024
    # The small record went through; the pickup waits for its photo.
    assert outbox.get_item(phone.db, small_id).state == "sent"  # type: ignore[union-attr]
    assert outbox.get_item(phone.db, pickup_id).state == "queued"  # type: ignore[union-attr]

    good = CutAfterFirstChunk(cut=False)
    with Client(phone.server.url, phone.api.token, retry=NO_RETRY, transport=good) as client:
        report = SyncEngine(phone.db, client).run_once(force=True)
    assert report.ok and report.blobs_uploaded == 1 and report.applied == 1, report
    assert good.put_bytes == len(photo) - 256 * 1024  # only the rest was sent
    assert phone.api.get_blob(sha) == photo
    assert outbox.get_item(phone.db, pickup_id).state == "sent"  # type: ignore[union-attr]


def test_rejected_event_in_the_middle_goes_to_dead_letters_others_apply(phone: Phone) -> None:
    w = phone.world
    ok_first = store.record_action(phone.db, en_route(w.visits["pickup_a"]))
    wrong_id = store.record_action(phone.db, pickup(w.visits["pickup_a2"], "089085999999"))
    ok_last = store.record_action(phone.db, en_route(w.visits["delivery_a"]))
    report = phone.engine.run_once()
    assert (report.applied, report.rejected) == (2, 1), report
    [dead] = phone.engine.dead_letters()
    assert dead.event_id == wrong_id and "căn cước" in (dead.last_error or "")
    assert {outbox.get_item(phone.db, i).state for i in (ok_first, ok_last)} == {"sent"}  # type: ignore[union-attr]
    assert phone.api.get_visit(w.visits["delivery_a"]).status.value == "en_route"
    # The optimistic local state is rolled back to the server's truth.
    assert store.get_visit(phone.db, w.visits["pickup_a2"]).status.value == "planned"  # type: ignore[union-attr]
    assert store.get_dossier(phone.db, w.dossiers["pickup_a2"]).status == 1  # type: ignore[union-attr]
    assert phone.engine.pending_summary().dead == 1


def test_missing_blob_conflict_requeues_the_photo_and_never_drops_the_event(phone: Phone) -> None:
    w = phone.world
    photo = b"\xff\xd8lost on the server" * 200
    sha = store.save_blob(phone.db, photo)
    store.blobs.mark_uploaded(phone.db, sha)  # the phone believes it, the server lost it
    event_id = store.record_action(phone.db, pickup(w.visits["pickup_a"], w.citizen_ids["an"],
                                                    photos=[photo_ref(sha, len(photo), "to_khai")]))
    first = phone.engine.run_once()
    assert first.applied == 0 and first.retried_later == 1 and first.conflicts == 0
    item = outbox.get_item(phone.db, event_id)
    assert item is not None and item.state == "queued" and item.last_error == "missing_blobs"
    assert store.blobs.get_blob_row(phone.db, sha).state == "queued"  # type: ignore[union-attr]
    second = phone.engine.run_once(force=True)
    assert second.blobs_uploaded == 1 and second.applied == 1, second
    assert outbox.get_item(phone.db, event_id).state == "sent"  # type: ignore[union-attr]


def test_photo_over_the_server_cap_becomes_a_visible_conflict(live_server: Any, settings_factory: Any,
                                                               tmp_path: Path) -> None:
    srv = live_server(settings_factory(None, max_blob_bytes=4096))
    w = builders.world(srv.engine)
    with Client(srv.url, retry=NO_RETRY) as api:
        token = api.login("can_bo_a", builders.PASSWORD)
        db = store.open_store(tmp_path / "phone")
        store.save_session(db, token, srv.url)
        engine = SyncEngine(db, api)
        assert engine.run_once().ok
        photo = b"\xff\xd8" + bytes(8000)
        sha = hashlib.sha256(photo).hexdigest()
        big = store.record_action(db, pickup(w.visits["pickup_a"], w.citizen_ids["an"],
                                             photos=[photo_ref(sha, len(photo), "to_khai")]), blobs=[photo])
        small = store.record_action(db, en_route(w.visits["delivery_a"]))
        report = engine.run_once()
        assert report.blobs_failed == 1 and report.applied == 1 and report.conflicts == 1
        assert "MB" in report.errors[0]  # the server's message names the limit
        [conflict] = engine.conflicts()
        assert conflict.event_id == big and "Ảnh không gửi được" in (conflict.last_error or "")
        assert outbox.get_item(db, small).state == "sent"  # type: ignore[union-attr]
        assert store.blobs.get_blob_row(db, sha).state == "failed"  # type: ignore[union-attr]
        db.close()
