"""Encryption at rest (issue 9): a lost phone's files hold no citizen's name, ID number or photo.

A real login (AuthService) against a live server, the real sync engine, a recorded pickup with a
real JPEG; then the store's files are read raw, as a thief copying them would.
"""

from __future__ import annotations

import hashlib
import io
import socket
from pathlib import Path
from typing import Any

import pytest
from phone_events import photo_ref, pickup
from PIL import Image
from sqlalchemy import select

from api_client.domain.text import fold
from backend.db.schema import event_evidence
from mobile import store
from mobile.services.auth import AuthService, LoginFailed
from mobile.sync import SyncEngine, session_client_factory
from tests import builders

JPEG_MAGIC = b"\xff\xd8\xff"
FORM_VALUE = "Nguyễn Thị Hoa Sen"  # a name typed into the declaration (viết hộ)


def jpeg() -> bytes:
    img = Image.new("RGB", (320, 240), (200, 180, 160))
    for x in range(0, 320, 16):
        img.putpixel((x, 100), (0, 0, 0))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80)
    return out.getvalue()


def dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def raw_files(folder: Path) -> dict[str, bytes]:
    """What a thief copies: the database, its WAL and shared memory, every blob file."""
    files = [*folder.glob("doorstep.db*"), *(folder / "blobs").glob("*")]
    return {str(p.relative_to(folder)): p.read_bytes() for p in files if p.is_file()}


def needles(world: builders.World) -> dict[str, bytes]:
    """The citizen's data as it would appear in the clear."""
    name = "Nguyễn Văn An"
    return {"id_number": world.citizen_ids["an"].encode(), "name": name.encode(),
            "folded_name": fold(name).encode(), "form": FORM_VALUE.encode(), "jpeg": JPEG_MAGIC}


def found(folder: Path, world: builders.World) -> dict[str, list[str]]:
    hits: dict[str, list[str]] = {}
    for name, data in raw_files(folder).items():
        for what, needle in needles(world).items():
            if needle in data:
                hits.setdefault(what, []).append(name)
    return hits


async def full_pickup(server: Any, folder: Path, *,
                      encrypted: bool = True) -> tuple[Any, Any, builders.World]:
    """Log in, first sync, a pickup with a photo and a form value, a draft of another visit, sync."""
    world = builders.world(server.engine)
    db = store.open_store(folder)
    auth = AuthService(db, server.url)
    if encrypted:
        await auth.login("can_bo_a", builders.PASSWORD)
    else:  # what a store without the login's key setup (before issue 9) holds: the control case
        from api_client import Client

        token = Client(server.url).login("can_bo_a", builders.PASSWORD)
        store.save_session(db, token, server.url)
    engine = SyncEngine(db, session_client_factory(db))
    assert engine.run_once().ok
    photo = jpeg()
    event = pickup(world.visits["pickup_a"], world.citizen_ids["an"],
                   photos=[photo_ref(hashlib.sha256(photo).hexdigest(), len(photo), "to_khai")])
    event["payload"]["form"] = {"nguoi_khai": FORM_VALUE}
    store.record_action(db, event, blobs=[photo])
    store.save_draft(db, world.visits["pickup_a2"], "identify",
                     {"identity": {"full_name": "Nguyễn Văn An", "id_number": world.citizen_ids["an"]}})
    report = engine.run_once()
    assert report.applied == 1 and report.blobs_uploaded == 1, report
    return db, auth, world


async def test_the_control_case_a_plaintext_store_shows_everything(server: Any, tmp_path: Path) -> None:
    db, _, world = await full_pickup(server, tmp_path / "plain", encrypted=False)
    db.close()
    assert set(found(tmp_path / "plain", world)) == set(needles(world))  # so the check below can fail


async def test_a_lost_phone_after_a_full_pickup_reveals_nothing(server: Any, tmp_path: Path) -> None:
    folder = tmp_path / "phone"
    db, auth, world = await full_pickup(server, folder)
    assert found(folder, world) == {}
    # ... and yet everything works in memory: the route search finds the citizen by a folded name
    assert [v.id for v in store.list_visits(db, q="nguyen van an")] == sorted(
        [world.visits["pickup_a"], world.visits["pickup_a2"]])
    assert store.get_citizen(db, world.citizens["an"]).id_number == world.citizen_ids["an"]  # type: ignore[union-attr]
    # the evidence went out sealed (its key is encrypted at rest too)
    with server.engine.connect() as conn:
        statuses = set(conn.execute(select(event_evidence.c.status)).scalars())
    assert statuses == {"verified"}
    db.close()
    assert found(folder, world) == {}  # checkpointed or not


async def test_restart_needs_the_password_and_it_works_offline(server: Any, tmp_path: Path) -> None:
    folder = tmp_path / "phone"
    db, _, world = await full_pickup(server, folder)
    store.crypto.lock(db)  # the app process ended: the key was only in memory
    offline = AuthService(db, dead_url())
    assert offline.session() is None and offline.is_locked()
    assert offline.saved_username() == "can_bo_a"
    assert SyncEngine(db, session_client_factory(db)).run_once().auth_required
    with pytest.raises(Exception):  # noqa: B017 - sqlite wraps the StoreLocked of dec()
        store.get_citizen(db, world.citizens["an"])
    with pytest.raises(LoginFailed) as wrong:
        await offline.login("can_bo_a", "not-the-password")
    assert wrong.value.kind == "bad" and offline.is_locked()
    session = await offline.login("can_bo_a", builders.PASSWORD)  # no network: the password is enough
    assert session.officer.username == "can_bo_a" and offline.session() is not None
    assert store.get_citizen(db, world.citizens["an"]).full_name == "Nguyễn Văn An"  # type: ignore[union-attr]


async def test_logout_destroys_the_keys_with_the_data(server: Any, tmp_path: Path) -> None:
    folder = tmp_path / "phone"
    db, auth, world = await full_pickup(server, folder)
    sealed_draft = next(iter(db.query("SELECT data FROM drafts")))["data"]
    assert auth.unsynced_count() == 1  # the draft: the UI warns and the officer confirms the loss
    auth.logout()
    assert not store.crypto.has_keys(db) and list(db.query("SELECT * FROM device_key")) == []
    assert list((folder / "blobs").iterdir()) == []
    assert found(folder, world) == {}
    with pytest.raises(store.crypto.StoreLocked):
        store.crypto.open_bytes(db, bytes(sealed_draft))  # a copy taken before cannot be opened now
    # the next officer gets a fresh key
    await auth.login("can_bo_b", builders.PASSWORD)
    assert store.crypto.keys_owner(db) == "can_bo_b" and not store.crypto.is_locked(db)


def supervisor_api(server: Any, username: str = "giam_sat_x") -> Any:
    from api_client import Client

    api = Client(server.url)
    api.login(username, builders.PASSWORD)
    return api


async def test_remote_wipe_sends_what_is_unsent_then_destroys_data_and_keys(server: Any,
                                                                             tmp_path: Path) -> None:
    from phone_events import failed

    folder = tmp_path / "phone"
    db, auth, world = await full_pickup(server, folder)
    boss = supervisor_api(server)
    order = boss.order_wipe(world.officer_a)
    # the phone recorded an action before it was lost; its next sync sends it, then wipes
    event_id = store.record_action(db, failed(world.visits["pickup_a2"]))
    report = SyncEngine(db, session_client_factory(db)).run_once()
    assert report.wiped and report.applied == 1, report
    assert boss.get_visit(world.visits["pickup_a2"]).status.value == "failed"  # the work was not lost
    assert auth.session() is None and not store.crypto.has_keys(db)
    assert list((folder / "blobs").iterdir()) == [] and store.outbox.get_item(db, event_id) is None
    assert found(folder, world) == {}
    applied = supervisor_api(server).order_wipe(world.officer_a)  # a new order is a new order...
    assert applied.id != order.id and applied.applied_at is None
    with server.engine.connect() as conn:
        from backend.db.schema import wipe_orders

        first = conn.execute(select(wipe_orders).where(wipe_orders.c.id == order.id)).mappings().one()
    assert first["applied_at"] and first["applied_device"]


async def test_a_wipe_waits_for_queued_work_unless_forced(server: Any, tmp_path: Path) -> None:
    from phone_events import failed

    db, auth, world = await full_pickup(server, tmp_path / "phone")
    boss = supervisor_api(server)
    store.record_action(db, failed(world.visits["pickup_a2"]))
    from api_client import Client, RetryPolicy

    session = store.load_session(db)
    assert session is not None
    offline = SyncEngine(db, Client(dead_url(), session.token, timeout=2, retry=RetryPolicy.none()))
    assert offline.run_once().offline  # the action now waits out its backoff
    boss.order_wipe(world.officer_a)
    waiting = SyncEngine(db, session_client_factory(db)).run_once()
    assert waiting.wipe_waiting and not waiting.wiped and auth.session() is not None
    assert waiting.applied == 0  # not due yet: the wipe does not jump the queue
    boss.order_wipe(world.officer_a, force=True)  # the supervisor accepts the loss
    forced = SyncEngine(db, session_client_factory(db)).run_once()
    assert forced.wiped and forced.applied == 0, forced
    assert boss.get_visit(world.visits["pickup_a2"]).status.value == "planned"  # lost, as accepted
    assert auth.session() is None and not store.crypto.has_keys(db)
    with server.engine.connect() as conn:
        from backend.db.schema import wipe_orders

        assert all(conn.execute(select(wipe_orders.c.applied_at)).scalars())  # both orders satisfied


async def test_only_the_officers_supervisor_may_order_a_wipe(server: Any, tmp_path: Path) -> None:
    from api_client.errors import NotFoundError, PermissionDeniedError

    _, _, world = await full_pickup(server, tmp_path / "phone")
    with pytest.raises(NotFoundError):
        supervisor_api(server, "giam_sat_y").order_wipe(world.officer_a)
    with pytest.raises(PermissionDeniedError):
        supervisor_api(server, "can_bo_b").order_wipe(world.officer_a)
