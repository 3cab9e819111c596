"""Tamper-evident evidence (issue 9): a phone seals each action; the server and `doorstep verify` check.

Real phone store, real sync engine, real server over HTTP, real database (SQLite and PostgreSQL).
Tampering is done the way an attacker would: by editing the phone's SQLite file before sync, or
the server's database after.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from phone_events import en_route, failed, photo_ref, pickup
from sqlalchemy import delete, select, update

from api_client import Client, RetryPolicy
from api_client.domain import evidence as ev
from backend.cli import main as cli
from backend.db.schema import dossiers, event_evidence, events, visits
from mobile import store
from mobile.sync import SyncEngine
from tests import builders

PHOTO = b"\xff\xd8\xff\xe0to_khai" * 300
OTHER_PHOTO = b"\xff\xd8\xff\xe0another page" * 280


@dataclass
class Phone:
    """A logged-in phone with a registered evidence key."""

    db: sqlite_utils.Database
    api: Client
    engine: SyncEngine
    world: builders.World
    server: Any


def make_phone(server: Any, tmp_path: Path) -> Iterator[Phone]:
    """Officer a's phone, logged in, its evidence key registered by the first sync."""
    world = builders.world(server.engine)
    api = Client(server.url, timeout=10, retry=RetryPolicy.none())
    token = api.login("can_bo_a", builders.PASSWORD)
    db = store.open_store(tmp_path / "phone")
    store.save_session(db, token, server.url)
    store.ensure_device_key(db, token.officer.id)  # what AuthService.login does at first login
    engine = SyncEngine(db, api)
    assert engine.run_once().ok  # the first sync registers the key
    assert store.get_device_key(db).registered  # type: ignore[union-attr]
    yield Phone(db, api, engine, world, server)
    api.close()
    db.close()


@pytest.fixture
def phone(server: Any, tmp_path: Path) -> Iterator[Phone]:
    yield from make_phone(server, tmp_path)


def stored(server: Any, event_id: str) -> dict[str, Any]:
    with server.engine.connect() as conn:
        query = select(event_evidence).where(event_evidence.c.event_id == event_id)
        row = conn.execute(query).mappings().one()
    return dict(row)


def outbox_body(db: sqlite_utils.Database, event_id: str) -> dict[str, Any]:
    return json.loads(next(iter(db.query("SELECT body FROM outbox WHERE event_id = ?", [event_id])))["body"])


def rewrite_outbox(db: sqlite_utils.Database, event_id: str, body: dict[str, Any]) -> None:
    """An attacker with the phone's file edits a queued event."""
    db.execute("UPDATE outbox SET body = ?, blob_shas = ? WHERE event_id = ?",
               [json.dumps(body), json.dumps(store.outbox.referenced_blobs(body)), event_id])


def record_pickup(p: Phone) -> str:
    sha = hashlib.sha256(PHOTO).hexdigest()
    return store.record_action(
        p.db, pickup(p.world.visits["pickup_a"], p.world.citizen_ids["an"],
                     photos=[photo_ref(sha, len(PHOTO), "to_khai")]), blobs=[PHOTO])


def verify(server: Any, *args: str) -> int:
    settings = server.settings
    db = ["--data-dir", str(settings.data_dir)]
    if settings.database_url:
        db += ["--database-url", settings.database_url]
    return cli(["verify", *db, *args])


def dossier_code(server: Any, dossier_id: int) -> str:
    with server.engine.connect() as conn:
        return str(conn.execute(select(dossiers.c.code).where(dossiers.c.id == dossier_id)).scalar_one())


def test_sealed_actions_arrive_verified_and_chained(phone: Phone, capsys: pytest.CaptureFixture[str]) -> None:
    w = phone.world
    ids = [store.record_action(phone.db, en_route(w.visits["pickup_a"])), record_pickup(phone),
           store.record_action(phone.db, failed(w.visits["pickup_a2"]))]
    blocks = [outbox_body(phone.db, i)["evidence"] for i in ids]
    assert [b["seq"] for b in blocks] == [1, 2, 3]
    assert blocks[0]["prev"] == ev.GENESIS and blocks[1]["prev"] == blocks[0]["digest"]
    assert phone.engine.run_once().ok
    rows = [stored(phone.server, i) for i in ids]
    assert [(r["status"], r["flags"]) for r in rows] == [("verified", [])] * 3
    assert rows[2]["prev"] == rows[1]["digest"]
    # the supervisor's dossier view says so
    boss = Client(phone.server.url, timeout=10, retry=RetryPolicy.none())
    boss.login("giam_sat_x", builders.PASSWORD)
    integrity = boss.get_dossier(w.dossiers["pickup_a"]).integrity
    assert [(c.type, c.status, c.reason) for c in integrity] == [
        ("visit.en_route", "verified", ev.REASONS["verified"]),
        ("visit.pickup_completed", "verified", ev.REASONS["verified"])]
    assert verify(phone.server, "--dossier", dossier_code(phone.server, w.dossiers["pickup_a"])) == 0
    assert verify(phone.server, "--device", store.get_device_key(phone.db).device_id) == 0  # type: ignore[union-attr]
    out = capsys.readouterr().out
    assert "3 đạt, 0 có vấn đề" in out


@pytest.mark.parametrize("tamper", ["photo", "gps", "time", "device_time"])
def test_evidence_altered_on_the_phone_before_sync_is_flagged(phone: Phone, tamper: str) -> None:
    event_id = record_pickup(phone)
    body = outbox_body(phone.db, event_id)
    if tamper == "photo":  # swap the document photo for another one, consistently everywhere
        other = store.save_blob(phone.db, OTHER_PHOTO)
        body["payload"]["photos"][0] |= {"sha256": other, "size": len(OTHER_PHOTO)}
    elif tamper == "gps":
        body["payload"]["gps"]["fix"]["lat"] += 0.01
    elif tamper == "time":
        body["occurred_at"] = "2026-01-05T02:00:00+00:00"
    else:
        body["evidence"]["device_time"] = "2026-01-05T02:00:00.000000Z"
    rewrite_outbox(phone.db, event_id, body)
    report = phone.engine.run_once()
    assert report.applied == 1, report  # accepted: no work is lost ...
    row = stored(phone.server, event_id)
    assert row["status"] == "digest_mismatch" and "digest_mismatch" in row["flags"]  # ... but flagged
    code = dossier_code(phone.server, phone.world.dossiers["pickup_a"])
    assert verify(phone.server, "--dossier", code) == 1


def test_photo_bytes_altered_on_the_phone_never_reach_the_server_as_that_photo(phone: Phone) -> None:
    event_id = record_pickup(phone)
    sha = outbox_body(phone.db, event_id)["payload"]["photos"][0]["sha256"]
    path = Path(next(iter(phone.db.query("SELECT path FROM blobs WHERE sha256 = ?", [sha])))["path"])
    path.write_bytes(OTHER_PHOTO)  # same name, other bytes
    report = phone.engine.run_once(force=True)
    assert report.applied == 0  # the server checks every blob against its SHA-256 and the seal names it
    assert phone.api.blob_status(sha).complete is False


def test_a_forged_signature_and_a_missing_link_are_flagged(phone: Phone) -> None:
    w = phone.world
    first = store.record_action(phone.db, en_route(w.visits["pickup_a"]))
    second = store.record_action(phone.db, failed(w.visits["pickup_a2"]))
    third = store.record_action(phone.db, en_route(w.visits["delivery_a"]))
    body = outbox_body(phone.db, third)
    body["evidence"]["sig"] = ev.sign_digest(ev.new_private_key(), body["evidence"]["digest"])
    rewrite_outbox(phone.db, third, body)
    phone.db.execute("DELETE FROM outbox WHERE event_id = ?", [first])  # an action made to vanish
    assert phone.engine.run_once().applied == 2
    assert stored(phone.server, second)["flags"] == ["gap"]
    assert stored(phone.server, third)["flags"] == ["bad_signature"]


def test_events_from_old_phones_are_applied_and_flagged_unsigned(phone: Phone) -> None:
    phone.db.execute("DELETE FROM device_key")  # what a phone from before issue 9 has
    event_id = store.record_action(phone.db, failed(phone.world.visits["pickup_a2"]))
    assert "evidence" not in outbox_body(phone.db, event_id)
    assert phone.engine.run_once().applied == 1
    row = stored(phone.server, event_id)
    assert (row["status"], row["device_id"]) == ("unsigned", None)


@pytest.mark.parametrize("tamper", ["visit_gps", "visit_photo", "material", "status", "delete_seal"])
def test_rows_altered_on_the_server_after_sync_are_found_by_verify(
        phone: Phone, tamper: str, capsys: pytest.CaptureFixture[str]) -> None:
    w = phone.world
    event_id = record_pickup(phone)
    assert phone.engine.run_once().applied == 1
    code = dossier_code(phone.server, w.dossiers["pickup_a"])
    assert verify(phone.server, "--dossier", code) == 0
    material = json.loads(stored(phone.server, event_id)["material"])
    with phone.server.engine.begin() as conn:
        if tamper in ("visit_gps", "visit_photo"):
            query = select(visits.c.evidence).where(visits.c.id == w.visits["pickup_a"])
            evidence = conn.execute(query).scalar_one()
            entry = evidence["visit.pickup_completed"]
            if tamper == "visit_gps":
                entry["gps"]["fix"]["lon"] = 105.2
            else:
                entry["photos"][0]["sha256"] = "0" * 64
            conn.execute(update(visits).where(visits.c.id == w.visits["pickup_a"]).values(evidence=evidence))
        elif tamper == "material":
            material["gps"]["lat_e7"] += 1000
            conn.execute(update(event_evidence).where(event_evidence.c.event_id == event_id)
                         .values(material=ev.canonical_bytes(material).decode()))
        elif tamper == "status":  # hiding a flag does not help: verify recomputes everything
            conn.execute(update(event_evidence).where(event_evidence.c.event_id == event_id)
                         .values(prev="1" * 64, status="verified", flags=[]))
        else:
            conn.execute(delete(event_evidence).where(event_evidence.c.event_id == event_id))
    capsys.readouterr()
    assert verify(phone.server, "--dossier", code) == 1
    out = capsys.readouterr().out
    expected = {"visit_gps": "record_mismatch", "visit_photo": "record_mismatch",
                "material": "digest_mismatch", "status": "digest_mismatch",
                "delete_seal": "missing_record"}[tamper]
    assert expected in out and "LỖI" in out
    with phone.server.engine.connect() as conn:
        assert conn.execute(select(events.c.status).where(events.c.id == event_id)).scalar_one() == "applied"


def test_device_keys_cannot_be_replaced(phone: Phone) -> None:
    key = store.get_device_key(phone.db)
    assert key is not None
    same = phone.api.register_device_key(key.device_id, key.public_key)
    assert same.device_id == key.device_id
    other = ev.public_b64(ev.new_private_key())
    from api_client.errors import APIStatusError

    with pytest.raises(APIStatusError) as err:
        phone.api.register_device_key(key.device_id, other)
    assert err.value.status_code == 409


def test_verify_of_unknown_dossier_is_a_clear_error(phone: Phone, capsys: pytest.CaptureFixture[str]) -> None:
    assert verify(phone.server, "--dossier", "NO-SUCH-CODE") == 2
    assert "Không tìm thấy hồ sơ" in capsys.readouterr().err


async def test_a_handover_is_sealed_into_the_same_chain(phone: Phone, tmp_path: Path) -> None:
    from mobile.services.handovers import HandoverService
    from mobile.services.receipts import ReceiptStore

    w = phone.world
    queued = store.record_action(phone.db, en_route(w.visits["delivery_a"]))  # link 1, not sent yet
    dead = HandoverService(phone.db, "http://127.0.0.1:9", ReceiptStore(tmp_path / "r"), lambda v: [])
    with pytest.raises(Exception):  # noqa: B017 - offline: the service says it needs the network
        await dead.create("desk_to_officer", [w.dossiers["delivery_a"]], w.supervisor_x)
    assert store.get_device_key(phone.db).seq == 1  # type: ignore[union-attr]  # no hole for a failed send
    svc = HandoverService(phone.db, phone.server.url, ReceiptStore(tmp_path / "r"), lambda v: [])
    handover = await svc.create("desk_to_officer", [w.dossiers["delivery_a"]], w.supervisor_x, "Kết quả")
    assert store.get_device_key(phone.db).seq == 2  # type: ignore[union-attr]
    with phone.server.engine.connect() as conn:
        query = select(event_evidence).where(event_evidence.c.type == ev.HANDOVER)
        row = conn.execute(query).mappings().one()
    assert row["seq"] == 2 and row["flags"] == ["gap"]  # link 1 is still on the phone
    assert phone.engine.run_once().applied == 1
    assert stored(phone.server, row["event_id"])["flags"] == []  # the late link 1 closed the gap
    assert stored(phone.server, queued)["status"] == "verified"
    assert handover.dossier_ids == [w.dossiers["delivery_a"]]
    assert verify(phone.server, "--device", store.get_device_key(phone.db).device_id) == 0  # type: ignore[union-attr]
