"""Short access tokens on a live server: the phone's sync renews them with the stored refresh token
and keeps working for days; a revoked device's next sync is refused with the server's reason."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from phone_events import en_route

from api_client import Client, RetryPolicy
from mobile import store
from mobile.services.auth import AuthService
from mobile.store import outbox
from mobile.sync import SyncEngine, session_client_factory
from tests import builders

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))
from accountkit import MovableClock, pin_clock  # noqa: E402  (the backend tests' helper)

NO_RETRY = RetryPolicy.none()


@pytest.fixture
def server_clock(clock: MovableClock) -> MovableClock:
    """The server's clock, pinned (access tokens live 15 minutes of it)."""
    return pin_clock(clock)


def _phone(server: Any, tmp_path: Path) -> Any:
    db = store.open_store(tmp_path / "phone")
    asyncio.run(AuthService(db, server.url).login("can_bo_a", builders.PASSWORD))
    return db


def _supervisor(server: Any) -> Client:
    api = Client(server.url, timeout=10, retry=NO_RETRY)
    api.login("giam_sat_x", builders.PASSWORD)
    return api


def test_sync_renews_expired_access_tokens_for_days(sqlite_server: Any, tmp_path: Path,
                                                    server_clock: MovableClock) -> None:
    w = builders.world(sqlite_server.engine)
    db = _phone(sqlite_server, tmp_path)
    first = store.load_session(db)
    assert first is not None and first.refresh_token and first.refresh_expires_at
    engine = SyncEngine(db, session_client_factory(db, retry=NO_RETRY))
    assert engine.run_once().ok
    tokens_seen = {first.refresh_token}
    for day in range(1, 4):
        # the phone works offline all day, then syncs: its access token died hours ago
        server_clock.advance(hours=23, minutes=50)
        assert store.load_session(db).is_expired(server_clock.now()) is False  # type: ignore[union-attr]
        event_id = store.record_action(db, en_route(w.visits["pickup_a"])) if day == 1 else None
        with sqlite_server.engine.begin() as conn:  # a new dossier a day (one pickup per dossier)
            dossier_id = builders.dossier(conn, w.citizens["an"], w.x["commune"], hamlet_id=w.x["hamlets"][0])
        sup = _supervisor(sqlite_server)
        new_visit = sup.create_visit({"kind": "pickup", "dossier_id": dossier_id,
                                      "assignee_id": w.officer_a, "planned_date": f"2030-01-0{day}"})
        sup.close()
        report = engine.run_once(force=True)
        assert report.ok, report
        assert store.get_visit(db, new_visit.id) is not None
        if event_id:
            assert outbox.items(db, outbox.QUEUED) == [] and report.applied == 1
        renewed = store.load_session(db)
        assert renewed is not None and renewed.refresh_token not in tokens_seen
        assert renewed.token != first.token
        tokens_seen.add(renewed.refresh_token)
    # the server saw one device, renewing once a day
    sup = _supervisor(sqlite_server)
    devices = sup.officer_devices(w.officer_a)
    assert [d.device_id for d in devices] == [store.device_id(db)]
    assert len(sup.audit_log(officer_id=w.officer_a, event="refresh")) == 3
    # the supervisor revokes the phone: the next sync is refused, saying why; nothing is lost
    sup.revoke_device(w.officer_a, store.device_id(db))
    store.record_action(db, en_route(w.visits["pickup_a2"]))
    report = engine.run_once(force=True)
    assert report.auth_required and "thu hồi" in report.auth_error
    assert len(outbox.items(db, outbox.QUEUED)) == 1
    sup.close()


def test_two_clients_of_one_phone_do_not_spend_the_refresh_token_twice(
        sqlite_server: Any, tmp_path: Path, server_clock: MovableClock) -> None:
    w = builders.world(sqlite_server.engine)
    db = _phone(sqlite_server, tmp_path)
    make = session_client_factory(db, retry=NO_RETRY)
    sync_client, screen_client = make(), make()  # both hold the same tokens
    server_clock.advance(minutes=20)
    assert sync_client.get_visit(w.visits["pickup_a"]).id == w.visits["pickup_a"]  # renews
    # the screen's client still holds the spent refresh token: it takes the stored pair instead
    server_clock.advance(minutes=5)
    assert screen_client.get_visit(w.visits["pickup_a"]).id == w.visits["pickup_a"]
    assert screen_client.token == sync_client.token
    server_clock.advance(minutes=20)
    assert screen_client.list_visits().total == 3  # renews again: the session is alive
    sync_client.close()
    screen_client.close()
    sup = _supervisor(sqlite_server)
    assert sup.audit_log(officer_id=w.officer_a, event="refresh_reused") == []
    sup.close()


def test_a_client_without_a_refresh_token_gets_the_401(sqlite_server: Any,
                                                      server_clock: MovableClock) -> None:
    builders.world(sqlite_server.engine)
    token = httpx.post(f"{sqlite_server.api}/auth/login",
                       json={"username": "can_bo_a", "password": builders.PASSWORD}).json()
    server_clock.advance(minutes=16)
    from api_client import AuthenticationError

    with Client(sqlite_server.url, token["access_token"], retry=NO_RETRY) as api:
        with pytest.raises(AuthenticationError) as err:
            api.me()
    assert err.value.code == "token_expired"


def test_logout_on_the_phone_ends_the_session_on_the_server(sqlite_server: Any, tmp_path: Path,
                                                            server_clock: MovableClock) -> None:
    builders.world(sqlite_server.engine)
    db = _phone(sqlite_server, tmp_path)
    s = store.load_session(db)
    assert s is not None
    server_clock.advance(minutes=30)  # the access token has expired: the logout renews it first
    thread = AuthService(db, sqlite_server.url).logout()
    assert thread is not None
    thread.join(timeout=20)
    assert store.load_session(db) is None
    r = httpx.post(f"{sqlite_server.api}/auth/refresh", json={"refresh_token": s.refresh_token})
    assert r.status_code == 401 and r.json()["code"] in ("session_revoked", "refresh_reused")
    sup = _supervisor(sqlite_server)
    assert [e.event for e in sup.audit_log(event="logout")] == ["logout"]
    sup.close()
