"""Duty tracking in the officer app (issue 5): the route header's toggle records GPS breadcrumbs
from the LocationService while on duty (poor fixes dropped), stops on "Kết thúc ca", resumes
after a restart, ends on logout, and the sync uploads the points to a live backend where the
supervisor's `GET /officers/{id}/track` shows them."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, delete
from uikit import click_key, joined, login, make_fix, shell, start_app, wait_until

from api_client import Client
from api_client.domain.clock import VN_TZ, now_utc
from backend.db.schema import breadcrumbs, duty_changes
from mobile import tracking
from mobile.services.location import Fix, LocationError
from mobile.tracking import Offer

STEP = 0.0004  # ≈ 44 m of latitude: every good fix is far enough from the previous one
POOR = 80.0  # metres: worse than the 50 m the recorder accepts


class SequenceLocation:
    """A LocationService handing out an endless walk north; every third fix is imprecise,
    the fifth call fails like a GPS timeout."""

    def __init__(self, start: datetime, spacing_s: float = 40.0) -> None:
        self.start, self.spacing_s = start, spacing_s
        self.calls = 0
        self.served: list[Fix] = []

    async def current_fix(self, timeout_s: float = 15.0) -> Fix:
        """The next fix of the walk (or a timeout on call 5)."""
        self.calls += 1
        i = self.calls
        if i == 5:
            raise LocationError("gps_timeout")
        fix = Fix(
            10.86 + i * STEP,
            105.09,
            POOR if i % 3 == 0 else 6.0,
            self.start + timedelta(seconds=self.spacing_s * i),
        )
        self.served.append(fix)
        return fix


class FailingLocation:
    """A LocationService whose plugin blows up with an unexpected error every time."""

    def __init__(self) -> None:
        self.calls = 0

    async def current_fix(self, timeout_s: float = 15.0) -> Fix:
        """Always raises (not even a LocationError)."""
        self.calls += 1
        raise RuntimeError("plugin crashed")


def stored_points(h) -> list[dict]:
    """Breadcrumbs waiting on the phone."""
    return list(shell(h).services.db.query("SELECT * FROM breadcrumbs ORDER BY id"))


def forget_seeded_track(engine: Engine, officer_id: int) -> None:
    """Delete an officer's seeded breadcrumbs and duty changes on the server."""
    with engine.begin() as conn:
        conn.execute(delete(breadcrumbs).where(breadcrumbs.c.officer_id == officer_id))
        conn.execute(delete(duty_changes).where(duty_changes.c.officer_id == officer_id))


def walk_start() -> datetime:
    """Fake fix times a little in the past, but on today's Vietnam day like the duty toggle.

    The board reports the duty state as of the end of the asked day, so a walk that began
    before Vietnam midnight would be looked up on a day that ended before the toggle.
    """
    now = now_utc()
    midnight = datetime.combine(now.astimezone(VN_TZ).date(), datetime.min.time(), tzinfo=VN_TZ)
    return max(now - timedelta(minutes=20), midnight + timedelta(seconds=1))


@pytest.fixture(autouse=True)
def fast_ticks(monkeypatch):
    """The GPS loop ticks every 20 ms instead of 30 s (the env knob the container reads)."""
    monkeypatch.setenv("DOORSTEP_TRACK_INTERVAL", "0.02")


async def _close(h) -> None:
    """Let the background sync end, then close the tab as the web server does."""
    s = shell(h).services.sync.state
    await wait_until(h, lambda: not s.syncing, what="sync idle")
    h.page.on_close(None)


async def test_duty_toggle_records_good_fixes_stops_off_duty_and_syncs_to_the_server(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    svc = shell(h).services
    # The demo seed gives this officer a whole working day (07:30 onwards) of track and duty
    # changes; near Vietnam midnight those lie later than this test's toggles and would be
    # the day's last duty state, so this officer's seeded track is removed first.
    forget_seeded_track(seeded_server.engine, svc.auth.session().officer.id)
    assert svc.duty.interval_s == pytest.approx(0.02)
    gps = SequenceLocation(walk_start())
    svc.duty.location = gps  # the fake walk stands in for flet_geolocator
    toggle = h.find(key="duty-toggle")
    assert toggle.content == "Bắt đầu ca" and toggle.height >= 48
    assert "Ngoài ca: không ghi vị trí" in h.texts() and not stored_points(h)

    await click_key(h, "duty-toggle")
    assert svc.duty.on_duty and h.find(key="duty-toggle").content == "Kết thúc ca"
    await wait_until(h, lambda: len(stored_points(h)) >= 6, what="6 breadcrumbs")
    await click_key(h, "duty-toggle")  # Kết thúc ca
    assert not svc.duty.on_duty and not svc.duty.state.recording
    assert h.find(key="duty-toggle").content == "Bắt đầu ca"

    # going on/off duty asks for a sync, which may already have sent some points: wait for it
    await wait_until(h, lambda: not svc.sync.state.syncing, what="sync after the duty change")
    points = stored_points(h)
    assert all(p["accuracy_m"] <= 50 for p in points)  # poor fixes never reach the store
    assert any(f.accuracy_m == POOR for f in gps.served)
    assert gps.calls > 5  # the GPS timeout on call 5 did not end the loop
    assert svc.duty.state.pending == len(points)
    assert (f"Ngoài ca · {len(points)} điểm chờ gửi" if points else "Ngoài ca: không ghi vị trí") in h.texts()

    # off duty: the loop is gone; even a fix offered directly is not recorded
    calls = gps.calls
    await asyncio.sleep(0.2)
    assert gps.calls == calls and len(stored_points(h)) == len(points)
    assert await svc.duty.tick() == Offer.OFF_DUTY
    assert svc.duty.recorder.offer(tracking.Fix(10.9, 105.1, 5.0, now_utc())) == Offer.OFF_DUTY
    assert len(stored_points(h)) == len(points)

    # the sync uploads what is left; the supervisor's track shows every good fix, in order
    report = await svc.sync.sync_now()
    assert report is not None and report.ok, report
    assert tracking.pending_points(svc.db) == 0 and svc.duty.state.pending == 0
    assert "Ngoài ca: không ghi vị trí" in h.texts()
    boss = Client(seeded_server.url)
    boss.login("giamsat.anphu", "doorstep123")
    officer_id = svc.auth.session().officer.id
    good = [f for f in gps.served if f.accuracy_m <= 50]
    days = sorted({f.device_time.astimezone(VN_TZ).date().isoformat() for f in good})
    mine = {f.device_time.replace(microsecond=0) for f in good}  # the demo seed has a track too
    shown = [
        (round(p.lat, 5), p.accuracy_m)
        for day in days
        for p in boss.officer_track(officer_id, date=day).points
        if datetime.fromisoformat(p.recorded_at.replace("Z", "+00:00")) in mine
    ]
    expected = [(round(f.lat, 5), f.accuracy_m) for f in good]
    # the fix in flight when "Kết thúc ca" was tapped is dropped (off duty by the time it arrived)
    assert len(shown) >= 6 and shown == expected[: len(shown)] and len(expected) - len(shown) <= 1
    board = boss.board(date=days[-1])
    assert next(o for o in board.officers if o.id == officer_id).on_duty is False  # the duty change arrived
    await _close(h)


async def test_duty_resumes_after_restart_and_logout_ends_it(tmp_path, seeded_server):
    data = tmp_path / "app"
    h = await start_app(seeded_server.url, data)
    await login(h)
    svc = shell(h).services
    svc.duty.location = SequenceLocation(walk_start())
    await click_key(h, "duty-toggle")
    await wait_until(h, lambda: len(stored_points(h)) >= 2, what="breadcrumbs")
    await _close(h)  # the app is killed while on duty: the loop stops, duty stays on
    assert not svc.duty.state.recording

    # restart: opens offline-first on the route, on duty, recording again from the real GPS seam
    h2 = await start_app(seeded_server.url, data, fix=make_fix(10.95, 105.15))
    svc2 = shell(h2).services
    assert svc2.duty.on_duty
    await wait_until(h2, lambda: svc2.duty.state.recording and svc2.location.calls >= 1, what="resumed loop")
    await wait_until(h2, lambda: any(p["lat"] == 10.95 for p in stored_points(h2)), what="new point")
    assert h2.find(key="duty-toggle").content == "Kết thúc ca"
    assert any(t.startswith("Đang ghi vị trí · ") and t.endswith(" điểm chờ gửi") for t in h2.texts())

    # logout ends duty (and stops asking the GPS)
    await wait_until(h2, lambda: not svc2.sync.state.syncing, what="first sync")
    await click_key(h2, "logout")
    await click_key(h2, "logout-confirm")
    assert not svc2.duty.on_duty and not svc2.duty.state.recording
    calls = svc2.location.calls
    await asyncio.sleep(0.15)
    assert svc2.location.calls == calls
    assert "Đăng nhập cán bộ" in joined(h2)
    await _close(h2)


async def test_gps_errors_are_shown_and_never_stop_the_loop(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    svc = shell(h).services
    gps = FailingLocation()
    svc.duty.location = gps
    await click_key(h, "duty-toggle")
    await wait_until(h, lambda: gps.calls >= 3, what="three failing ticks")
    assert svc.duty.state.recording and svc.duty.state.problem == "gps"
    assert "Không lấy được vị trí: plugin crashed" in h.texts()
    assert not stored_points(h)
    shell(h).tr.toggle()  # English strings too
    await h.settle()
    assert h.find(key="duty-toggle").content == "End duty"
    assert "Recording location · 0 points to send" in h.texts()
    await click_key(h, "duty-toggle")
    assert not svc.duty.state.recording
    await _close(h)


async def test_supervisors_get_no_duty_toggle(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h, "giamsat.anphu")
    assert shell(h).current[0] == "sup_board"
    assert not h.find_all(key="duty-toggle")
    assert not shell(h).services.duty.state.recording
    await _close(h)
