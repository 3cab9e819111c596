"""Accounts (issue 9): login throttling and lockout lifts, refresh rotation and reuse detection,
revocation on logout / password change / disable, devices, and the audit log — over real HTTP."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import builders
import httpx
import pytest
from accountkit import MovableClock, bearer, login, pin_clock
from sqlalchemy import inspect, text
from testkit import LiveServer, make_settings

from backend.config import Settings
from backend.db.migrations import migrate
from backend.db.schema import schema_migrations

# client addresses, Retry-After and raw logins over the wire
pytestmark = pytest.mark.real_http

@pytest.fixture
def server_clock(clock: MovableClock) -> MovableClock:
    """The server's clock, pinned at 08:00 Vietnam time on 2026-11-26."""
    return pin_clock(clock)


def _audit(api: str, token: str, **params: object) -> list[dict]:
    r = httpx.get(f"{api}/audit", headers=bearer(token), params={"page_size": 500, **params})
    assert r.status_code == 200, r.text
    return list(r.json())


def test_five_wrong_passwords_lock_the_account_until_the_time_it_says(
        server: LiveServer, server_clock: MovableClock) -> None:
    w = builders.world(server.engine)
    api = server.api
    for _ in range(4):
        r = login(api, "can_bo_a", "sai-mat-khau")
        assert r.status_code == 401 and r.json()["code"] == "bad_credentials"
    r = login(api, "can_bo_a", "sai-mat-khau")
    assert r.status_code == 423, r.text
    body = r.json()
    assert body["code"] == "account_locked"
    # 08:00 in Vietnam + 5 minutes, said in Vietnam time, with who can help
    assert "Thử lại sau 08:05 ngày 26/11/2026 (giờ Việt Nam)" in body["detail"]
    assert "cán bộ giám sát mở khóa" in body["detail"]
    assert body["retry_after"] == 300 and r.headers["Retry-After"] == "300"
    assert body["locked_until"].startswith("2026-11-26T01:05:00")
    # while locked even the right password is refused, without being checked
    assert login(api, "can_bo_a").status_code == 423
    server_clock.advance(minutes=4, seconds=59)
    assert login(api, "can_bo_a").status_code == 423
    server_clock.advance(seconds=2)
    assert login(api, "can_bo_a").status_code == 200
    # a success resets the count; the next lockout after 5 new failures lasts 5 minutes again...
    for _ in range(5):
        r = login(api, "can_bo_a", "sai")
    assert r.status_code == 423 and r.json()["retry_after"] == 300
    # ...but a repeat offence without a success in between doubles it
    server_clock.advance(minutes=6)
    for _ in range(5):
        r = login(api, "can_bo_a", "sai")
    assert r.status_code == 423 and r.json()["retry_after"] == 600
    assert "08:21" in r.json()["detail"]
    # unknown usernames lock the same way (the answer never tells whether an account exists)
    for _ in range(5):
        r = login(api, "khong_co_ai", "sai", address="192.0.2.7")
    assert r.status_code == 423 and r.json()["code"] == "account_locked"
    # the other officers are not affected
    assert login(api, "can_bo_b").status_code == 200
    sx = login(api, "giam_sat_x").json()["access_token"]
    events = [e["event"] for e in _audit(api, sx, officer_id=w.officer_a)]
    assert events.count("login_failed") == 15 and events.count("login_locked") == 2
    assert events.count("login_ok") == 1


def test_supervisor_of_the_unit_lifts_a_lockout(sqlite_server: LiveServer,
                                                server_clock: MovableClock) -> None:
    w = builders.world(sqlite_server.engine)
    api = sqlite_server.api
    for _ in range(5):
        login(api, "can_bo_a", "sai")
    sx = login(api, "giam_sat_x").json()["access_token"]
    sy = login(api, "giam_sat_y").json()["access_token"]
    b = login(api, "can_bo_b").json()["access_token"]
    state = httpx.get(f"{api}/officers/{w.officer_a}/lockout", headers=bearer(sx)).json()
    assert state["locked"] is True and state["locked_until"].startswith("2026-11-26T01:05")
    # another commune's supervisor does not even learn the officer exists; an officer may not
    assert httpx.post(f"{api}/officers/{w.officer_a}/unlock", headers=bearer(sy)).status_code == 404
    assert httpx.post(f"{api}/officers/{w.officer_a}/unlock", headers=bearer(b)).status_code == 403
    assert login(api, "can_bo_a").status_code == 423
    r = httpx.post(f"{api}/officers/{w.officer_a}/unlock", headers=bearer(sx))
    assert r.status_code == 200 and r.json()["locked"] is False
    assert login(api, "can_bo_a").status_code == 200
    lifted = _audit(api, sx, event="lockout_lifted")
    assert len(lifted) == 1 and lifted[0]["target_officer_id"] == w.officer_a
    assert lifted[0]["officer_id"] == w.supervisor_x and lifted[0]["detail"] == "was locked"
    # a province supervisor covers every commune below
    with sqlite_server.engine.begin() as conn:
        builders.officer(conn, "giam_sat_tinh", "supervisor", [w.x["province"]])
    province = login(api, "giam_sat_tinh").json()["access_token"]
    assert httpx.post(f"{api}/officers/{w.officer_a}/unlock", headers=bearer(province)).status_code == 200
    # ...but a commune supervisor cannot touch the province's account
    assert httpx.post(f"{api}/officers/{w.supervisor_y}/unlock", headers=bearer(sx)).status_code == 404


def test_many_failures_from_one_address_are_refused_with_429(
        live_server: Callable[[Settings], LiveServer], tmp_path: Path, server_clock: MovableClock) -> None:
    srv = live_server(make_settings(tmp_path, None, address_max_failures=3, address_window_minutes=10))
    builders.world(srv.engine)
    names = ["can_bo_a", "can_bo_b", "buu_ta"]
    for name in names[:2]:
        assert login(srv.api, name, "sai", address="203.0.113.9").status_code == 401
    r = login(srv.api, names[2], "sai", address="203.0.113.9")
    assert r.status_code == 429 and r.json()["code"] == "too_many_attempts"
    assert "Thử lại sau 08:10 ngày 26/11/2026" in r.json()["detail"]
    # the address is blocked even for a right password; other addresses are not
    assert login(srv.api, "giam_sat_x", address="203.0.113.9").status_code == 429
    assert login(srv.api, "giam_sat_x", address="198.51.100.4").status_code == 200
    server_clock.advance(minutes=10, seconds=1)
    assert login(srv.api, "giam_sat_x", address="203.0.113.9").status_code == 200
    # the server's own address (its mounted web UI signs every tab in from there) is not blocked:
    # the per-account limit still holds for each account
    for name in [*names, "giam_sat_y"]:
        assert login(srv.api, name, "sai").status_code == 401
    assert login(srv.api, "giam_sat_x").status_code == 200


def test_access_token_expires_and_refresh_rotates(server: LiveServer, server_clock: MovableClock) -> None:
    builders.world(server.engine)
    api = server.api
    first = login(api, "can_bo_a", device_id="phone-a1")
    assert first.status_code == 200, first.text
    t1 = first.json()
    assert t1["expires_in"] == 900 and t1["device_id"] == "phone-a1"
    assert t1["expires_at"].startswith("2026-11-26T01:15:00")
    assert t1["refresh_expires_at"].startswith("2026-12-10T01:00:00")
    assert httpx.get(f"{api}/me", headers=bearer(t1["access_token"])).status_code == 200
    server_clock.advance(minutes=15, seconds=1)
    r = httpx.get(f"{api}/me", headers=bearer(t1["access_token"]))
    assert r.status_code == 401 and r.json()["code"] == "token_expired"
    with server.engine.connect() as conn:  # routine, not an incident: no audit row
        assert conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE code = 'token_expired'")).scalar() == 0
    t2 = httpx.post(f"{api}/auth/refresh", json={"refresh_token": t1["refresh_token"]}).json()
    assert t2["refresh_token"] != t1["refresh_token"] and t2["device_id"] == "phone-a1"
    assert httpx.get(f"{api}/me", headers=bearer(t2["access_token"])).json()["username"] == "can_bo_a"
    # the spent refresh token, presented after the grace period: someone holds a copy, so the
    # whole session ends (the thief's and the phone's tokens alike)
    server_clock.advance(minutes=1)
    r = httpx.post(f"{api}/auth/refresh", json={"refresh_token": t1["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "refresh_reused"
    assert "đăng nhập lại" in r.json()["detail"]
    r = httpx.get(f"{api}/me", headers=bearer(t2["access_token"]))
    assert r.status_code == 401 and r.json()["code"] == "refresh_reused"
    assert httpx.post(f"{api}/auth/refresh", json={"refresh_token": t2["refresh_token"]}).status_code == 401
    assert httpx.post(f"{api}/auth/refresh", json={"refresh_token": "bịa-đặt"}).json()["code"] == \
        "refresh_invalid"
    # a refresh token expires with its session (14 days without any refresh)
    t3 = login(api, "can_bo_a", device_id="phone-a1").json()
    server_clock.advance(days=14, seconds=1)
    r = httpx.post(f"{api}/auth/refresh", json={"refresh_token": t3["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "refresh_expired"


def test_a_refresh_whose_answer_was_lost_may_be_repeated_at_once(
        sqlite_server: LiveServer, server_clock: MovableClock) -> None:
    builders.world(sqlite_server.engine)
    api = sqlite_server.api
    t1 = login(api, "can_bo_a", device_id="phone-a1").json()
    lost = httpx.post(f"{api}/auth/refresh", json={"refresh_token": t1["refresh_token"]}).json()
    server_clock.advance(seconds=10)
    again = httpx.post(f"{api}/auth/refresh", json={"refresh_token": t1["refresh_token"]})
    assert again.status_code == 200, again.text
    # the answer that never arrived is now spent: presenting it later is a reuse
    server_clock.advance(seconds=60)
    r = httpx.post(f"{api}/auth/refresh", json={"refresh_token": lost["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "refresh_reused"


def test_logout_revokes_the_session(sqlite_server: LiveServer) -> None:
    builders.world(sqlite_server.engine)
    api = sqlite_server.api
    t = login(api, "can_bo_a", device_id="phone-a1").json()
    other = login(api, "can_bo_a", device_id="phone-a2").json()
    assert httpx.post(f"{api}/auth/logout", headers=bearer(t["access_token"])).status_code == 204
    r = httpx.get(f"{api}/visits", headers=bearer(t["access_token"]))
    assert r.status_code == 401 and r.json()["code"] == "session_revoked"
    assert httpx.post(f"{api}/auth/refresh", json={"refresh_token": t["refresh_token"]}).json()["code"] == \
        "session_revoked"
    # only that session: the officer's other phone keeps working
    assert httpx.get(f"{api}/visits", headers=bearer(other["access_token"])).status_code == 200


def test_password_change_ends_every_other_session(sqlite_server: LiveServer) -> None:
    builders.world(sqlite_server.engine)
    api = sqlite_server.api
    mine = login(api, "can_bo_a", device_id="phone-a1").json()
    lost_phone = login(api, "can_bo_a", device_id="phone-old").json()
    bad = httpx.post(f"{api}/auth/password", headers=bearer(mine["access_token"]),
                     json={"current_password": "sai", "new_password": "mat-khau-moi-1"})
    assert bad.status_code == 403 and bad.json()["code"] == "bad_password"
    short = httpx.post(f"{api}/auth/password", headers=bearer(mine["access_token"]),
                       json={"current_password": builders.PASSWORD, "new_password": "ngan"})
    assert short.status_code == 422
    r = httpx.post(f"{api}/auth/password", headers=bearer(mine["access_token"]),
                   json={"current_password": builders.PASSWORD, "new_password": "mat-khau-moi-1"})
    assert r.status_code == 200, r.text
    fresh = r.json()
    assert fresh["device_id"] == "phone-a1"
    for old in (mine, lost_phone):
        r = httpx.get(f"{api}/me", headers=bearer(old["access_token"]))
        assert r.status_code == 401 and r.json()["code"] == "password_changed"
        r = httpx.post(f"{api}/auth/refresh", json={"refresh_token": old["refresh_token"]})
        assert r.status_code == 401 and r.json()["code"] == "password_changed"
    assert httpx.get(f"{api}/me", headers=bearer(fresh["access_token"])).status_code == 200
    assert login(api, "can_bo_a").status_code == 401
    assert login(api, "can_bo_a", "mat-khau-moi-1").status_code == 200


def test_disabling_an_officer_ends_their_sessions(sqlite_server: LiveServer) -> None:
    w = builders.world(sqlite_server.engine)
    api = sqlite_server.api
    a = login(api, "can_bo_a", device_id="phone-a1").json()
    sx = login(api, "giam_sat_x").json()["access_token"]
    sy = login(api, "giam_sat_y").json()["access_token"]
    b = login(api, "can_bo_b").json()["access_token"]
    assert httpx.post(f"{api}/officers/{w.officer_a}/disable", headers=bearer(sy)).status_code == 404
    assert httpx.post(f"{api}/officers/{w.officer_a}/disable", headers=bearer(b)).status_code == 403
    assert httpx.post(f"{api}/officers/{w.supervisor_x}/disable", headers=bearer(sx)).status_code == 409
    assert httpx.get(f"{api}/me", headers=bearer(a["access_token"])).status_code == 200
    assert httpx.post(f"{api}/officers/{w.officer_a}/disable", headers=bearer(sx)).status_code == 200
    r = httpx.get(f"{api}/me", headers=bearer(a["access_token"]))
    assert r.status_code == 401 and r.json()["code"] == "account_disabled"
    assert httpx.post(f"{api}/auth/refresh", json={"refresh_token": a["refresh_token"]}).status_code == 401
    r = login(api, "can_bo_a")
    assert r.status_code == 401 and r.json()["code"] == "inactive"
    assert httpx.post(f"{api}/officers/{w.officer_a}/enable", headers=bearer(sx)).status_code == 200
    # enabling does not bring old sessions back; a new login works
    assert httpx.get(f"{api}/me", headers=bearer(a["access_token"])).status_code == 401
    assert login(api, "can_bo_a").status_code == 200
    events = {e["event"] for e in _audit(api, sx, officer_id=w.officer_a)}
    assert {"officer_disabled", "officer_enabled", "login_failed", "refused"} <= events


def test_supervisor_lists_and_revokes_an_officers_device(sqlite_server: LiveServer,
                                                        server_clock: MovableClock) -> None:
    w = builders.world(sqlite_server.engine)
    api = sqlite_server.api
    lost = login(api, "can_bo_a", device_id="phone-lost", address="10.20.30.40").json()
    server_clock.advance(hours=1)
    kept = login(api, "can_bo_a", device_id="phone-new", address="10.20.30.41").json()
    sx = login(api, "giam_sat_x").json()["access_token"]
    listed = httpx.get(f"{api}/officers/{w.officer_a}/devices", headers=bearer(sx)).json()
    assert [d["device_id"] for d in listed] == ["phone-new", "phone-lost"]
    assert listed[1]["last_address"] == "10.20.30.40"
    assert listed[1]["last_seen_at"].startswith("2026-11-26T01:00")
    assert listed[0]["last_seen_at"].startswith("2026-11-26T02:00") and listed[0]["active_sessions"] == 1
    sy = login(api, "giam_sat_y").json()["access_token"]
    assert httpx.get(f"{api}/officers/{w.officer_a}/devices", headers=bearer(sy)).status_code == 404
    assert httpx.post(f"{api}/officers/{w.officer_a}/devices/phone-lost/revoke",
                      headers=bearer(sy)).status_code == 404
    assert httpx.post(f"{api}/officers/{w.officer_a}/devices/khong-co/revoke",
                      headers=bearer(sx)).status_code == 404
    r = httpx.post(f"{api}/officers/{w.officer_a}/devices/phone-lost/revoke", headers=bearer(sx))
    assert r.status_code == 200 and r.json()["revoked_at"] and r.json()["active_sessions"] == 0
    # the lost phone's next sync is refused with a reason the phone can show; its refresh token is dead
    r = httpx.get(f"{api}/sync/pull", headers=bearer(lost["access_token"]), params={"cursor": ""})
    assert r.status_code == 401 and r.json()["code"] == "device_revoked"
    assert "thu hồi" in r.json()["detail"]
    r = httpx.post(f"{api}/auth/refresh", json={"refresh_token": lost["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "device_revoked"
    assert httpx.get(f"{api}/sync/pull", headers=bearer(kept["access_token"]),
                     params={"cursor": ""}).status_code == 200
    revoked = _audit(api, sx, event="device_revoked")
    assert revoked[0]["device_id"] == "phone-lost" and revoked[0]["target_officer_id"] == w.officer_a
    refused = [e for e in _audit(api, sx, event="refused") if e["code"] == "device_revoked"]
    assert refused[0]["path"] == "/api/v1/sync/pull" and refused[0]["device_id"] == "phone-lost"
    assert refused[0]["officer_id"] == w.officer_a and refused[0]["status"] == 401


def test_audit_log_records_refusals_and_is_scoped(sqlite_server: LiveServer) -> None:
    w = builders.world(sqlite_server.engine)
    api = sqlite_server.api
    a = login(api, "can_bo_a", address="10.1.1.1").json()["access_token"]
    assert httpx.get(f"{api}/board", headers=bearer(a)).status_code == 403
    assert httpx.get(f"{api}/me").status_code == 401
    login(api, "khong_co_ai", "sai")
    with sqlite_server.engine.begin() as conn:
        builders.officer(conn, "giam_sat_tinh", "supervisor", [w.x["province"]])
    sx = login(api, "giam_sat_x").json()["access_token"]
    sy = login(api, "giam_sat_y").json()["access_token"]
    province = login(api, "giam_sat_tinh").json()["access_token"]
    rows = _audit(api, sx, officer_id=w.officer_a)
    ok = [e for e in rows if e["event"] == "login_ok"]
    assert ok and ok[0]["address"] == "10.1.1.1" and ok[0]["path"] == "/api/v1/auth/login"
    forbidden = [e for e in rows if e["event"] == "refused"]
    assert forbidden[0]["status"] == 403 and forbidden[0]["path"] == "/api/v1/board"
    assert forbidden[0]["method"] == "GET" and forbidden[0]["code"] == "forbidden"
    # another commune's supervisor reads nothing about commune X's officers
    assert _audit(api, sy, officer_id=w.officer_a) == []
    assert all(e["officer_id"] in (w.supervisor_y, None) for e in _audit(api, sy))
    assert not any(e["officer_id"] is None for e in _audit(api, sx))
    # rows that belong to nobody's unit (no token, unknown usernames) are the province's
    anonymous = [e for e in _audit(api, province) if e["officer_id"] is None]
    assert {e["event"] for e in anonymous} == {"refused", "login_failed"}
    assert httpx.get(f"{api}/audit", headers=bearer(a)).status_code == 403
    # the province covers commune X: it reads the same rows about officer a as commune X's supervisor
    by_commune = [e["id"] for e in _audit(api, sx, officer_id=w.officer_a)]
    assert [e["id"] for e in _audit(api, province, officer_id=w.officer_a)] == by_commune


def test_migration_9_adds_the_account_tables_to_an_older_database(server: LiveServer) -> None:
    """A database migrated before issue 9 gets sessions, refresh tokens, devices, throttle, audit."""
    tables = ["audit_log", "auth_refresh_tokens", "auth_sessions", "auth_devices", "auth_throttle"]
    with server.engine.begin() as conn:
        for table in tables:
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(schema_migrations.delete().where(schema_migrations.c.version == 9))
    assert migrate(server.engine) == [9]
    with server.engine.connect() as conn:
        insp = inspect(conn)
        assert set(tables) <= set(insp.get_table_names())
        assert "ix_audit_log_officer" in {i["name"] for i in insp.get_indexes("audit_log")}
    assert migrate(server.engine) == []
    builders.world(server.engine)
    assert login(server.api, "can_bo_a").status_code == 200


def test_the_operator_lifts_a_lockout_from_the_command_line(sqlite_server: LiveServer,
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from backend.cli import main

    monkeypatch.delenv("DATABASE_URL", raising=False)  # the CLI must open the server's SQLite file
    w = builders.world(sqlite_server.engine)
    for _ in range(5):
        login(sqlite_server.api, "can_bo_a", "sai")
    assert login(sqlite_server.api, "can_bo_a").status_code == 423
    where = ["--data-dir", str(sqlite_server.settings.data_dir)]
    assert main(["unlock", "--username", "can_bo_a", *where]) == 0
    assert "Đã mở khóa đăng nhập cho 'can_bo_a'." in capsys.readouterr().out
    assert login(sqlite_server.api, "can_bo_a").status_code == 200
    assert main(["unlock", "--username", "khong_co_ai", *where]) == 1
    sx = login(sqlite_server.api, "giam_sat_x").json()["access_token"]
    lifted = _audit(sqlite_server.api, sx, event="lockout_lifted")
    assert [(e["target_officer_id"], e["method"]) for e in lifted] == [(w.officer_a, "CLI")]
