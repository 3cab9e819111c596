"""A representative slice of a working day, run at the hours where time zones bite.

The server, the phone and the test share one pinned clock. Each case puts "now" at an awkward
moment and checks what an officer and a supervisor would see, with every expected date worked
out by hand below (never by asking the code under test):

- Tuesday 10/03/2026 23:30 in Vietnam (16:30 UTC): late evening, same UTC date;
- Wednesday 11/03/2026 06:30 in Vietnam (Tuesday 23:30 UTC): the UTC date is still yesterday;
- Saturday 14/03/2026 10:00 in Vietnam: a weekend, so "next working day" jumps to Monday.

The slice: a phone syncs and shows today's route; a same-day procedure (certified copy) is
picked up, so its appointment follows the 15:00 cut-off and the weekend; a failed visit gets the
next working day; a result returned the next morning in Vietnam is scored late although its UTC
date equals the appointment's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import builders
import pytest
from phone_events import failed, pickup
from testkit import LiveServer, make_settings, start_server, use_sqlite_template

from api_client import Client, RetryPolicy
from api_client.domain.clock import VN_TZ, ShiftedClock, vn_instant, vn_time
from mobile import store
from mobile.services.location import FixedLocationService
from mobile.services.route import RouteService
from mobile.sync import SyncEngine


@dataclass(frozen=True)
class Slice:
    """One awkward moment and what must follow from it (worked out by hand)."""

    name: str
    now: datetime  # UTC
    today: str  # the commune's date at `now`
    copy_due: str  # appointment of a certified copy (same-day procedure) received at `now`, VN time
    next_working_day: str  # what a failed visit proposes by default


SLICES = [
    # 23:30 > 15:00: the same-day copy is due the next working day, Wednesday 11/03 at 17:00
    Slice("tuesday-23h30", vn_instant(2026, 3, 10, 23, 30), "2026-03-10", "2026-03-11T17:00:00+07:00",
          "2026-03-11"),
    # 06:30 Wednesday in Vietnam is 23:30 Tuesday UTC: today is Wednesday, due Wednesday 17:00
    Slice("wednesday-06h30", vn_instant(2026, 3, 11, 6, 30), "2026-03-11", "2026-03-11T17:00:00+07:00",
          "2026-03-12"),
    # Saturday: received on a non-working day, due Monday 16/03; next working day is Monday too
    Slice("saturday-10h00", vn_instant(2026, 3, 14, 10, 0), "2026-03-14", "2026-03-16T17:00:00+07:00",
          "2026-03-16"),
]


@pytest.fixture(params=SLICES, ids=[s.name for s in SLICES])
def moment(request: pytest.FixtureRequest, clock: ShiftedClock) -> Slice:
    """Move the test's clock (shared by the server and the phone) to the slice's instant."""
    clock.set(request.param.now)
    return request.param


@pytest.fixture
def day(moment: Slice, tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[LiveServer, builders.World]]:
    """A server on the slice's clock with the standard world, planned for the slice's today."""
    srv = start_server(use_sqlite_template(make_settings(tmp_path, None), sqlite_template))
    try:
        yield srv, builders.world(srv.engine)
    finally:
        srv.stop()


def test_a_day_at_an_awkward_hour(moment: Slice, day: tuple[LiveServer, builders.World], tmp_path: Path,
                                  clock: ShiftedClock) -> None:
    srv, w = day
    assert srv.settings.clock is clock
    with Client(srv.url, timeout=10, retry=RetryPolicy.none()) as api:
        assert api.health()["server_time"][:16] == moment.now.isoformat()[:16]

        # the phone syncs and its route shows today's visits: the world planned them for the
        # commune's today, which the phone must compute the same way at this hour
        token = api.login("can_bo_a", builders.PASSWORD)
        db = store.open_store(tmp_path / "phone")
        store.save_session(db, token, srv.url)
        assert SyncEngine(db, api, clock=clock.now).run_once().ok
        route = RouteService(db, FixedLocationService(clock=clock), clock=clock)
        assert route.today() == moment.today
        today_ids = {r.visit_id for r in route.rows()}
        assert {w.visits["pickup_a"], w.visits["pickup_a2"]} <= today_ids

        # a certified copy (same-day procedure) received now: the cut-off and the weekend decide
        copy_visit = w.visits["pickup_a2"]
        (picked,) = api.push([pickup(copy_visit, w.citizen_ids["an"])]).results
        assert picked.status.value == "applied", picked
        dossier = api.get_dossier(w.dossiers["pickup_a2"])
        assert dossier.appointment_at is not None
        due = datetime.fromisoformat(dossier.appointment_at)
        assert due == datetime.fromisoformat(moment.copy_due)

        # a failed visit proposes the next working day of the commune's calendar
        (fail,) = api.push([failed(w.visits["pickup_a"])]).results
        assert fail.visit is not None and fail.visit.proposed_date == moment.next_working_day

    # the result is returned at 06:30 Vietnam time the morning after the appointment: the UTC date
    # is still the appointment's date, but the commune's day has moved on, so it is late
    due_day = vn_time(due).date()
    returned_at = datetime.combine(due_day + timedelta(days=1), time(6, 30), tzinfo=VN_TZ)
    assert returned_at.astimezone(UTC).date() == due.astimezone(UTC).date()  # 23:30 UTC, same UTC day
    clock.set(returned_at)
    with Client(srv.url, timeout=10, retry=RetryPolicy.none()) as sup:
        sup.login("giam_sat_x", builders.PASSWORD)
        for status in (4, 9, 10):
            moved = sup.change_dossier_status(w.dossiers["pickup_a2"], status)
        assert moved.status == 10 and moved.on_time is False
