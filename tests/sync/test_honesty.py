"""Clock and location honesty (issue 9): a wrong or changed phone clock, impossible moves, copied and
mock fixes are flagged on arrival, shown in the officer's day and exported; the events still apply."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from phone_events import failed, pickup
from sqlalchemy import select
from test_evidence import Phone, make_phone, stored

from api_client import Client, RetryPolicy
from api_client.domain.clock import now_utc
from backend.db.schema import device_clock_samples
from mobile import store
from mobile.sync import SyncEngine
from tests import builders


@pytest.fixture
def phone(server: Any, tmp_path: Path) -> Iterator[Phone]:
    yield from make_phone(server, tmp_path)


def at(moment: datetime) -> Callable[[], datetime]:
    """A phone clock stuck at one reading (what the phone believes the time is)."""
    return lambda: moment


def with_fix(event: dict[str, Any], lat: float, lon: float, when: datetime,
             mocked: bool | None = None) -> dict[str, Any]:
    """The event with this GPS fix (and a reason, so far-from-home fixes stay valid)."""
    fix: dict[str, Any] = {"lat": lat, "lon": lon, "accuracy_m": 6.0, "device_time": when.isoformat()}
    if mocked is not None:
        fix["mocked"] = mocked
    event["payload"]["gps"] = {"fix": fix, "warnings": ["far_from_home"], "reason": "other",
                               "reason_note": "kiểm thử"}
    return event


def boss(server: Any) -> Client:
    api = Client(server.url, timeout=10, retry=RetryPolicy.none())
    api.login("giam_sat_x", builders.PASSWORD)
    return api


def test_a_phone_clock_hours_behind_is_measured_and_the_visit_gets_the_servers_time(phone: Phone) -> None:
    real = now_utc()
    wrong = real - timedelta(hours=3)  # the phone believes it is three hours earlier
    event_id = store.record_action(phone.db, failed(phone.world.visits["pickup_a2"]), clock=at(wrong))
    engine = SyncEngine(phone.db, phone.api, clock=at(wrong))
    assert engine.run_once().applied == 1
    row = stored(phone.server, event_id)
    assert "clock_off" in row["honesty"] and row["status"] == "verified"
    trusted = datetime.fromisoformat(row["anchored_at"])
    assert abs((trusted - real).total_seconds()) < 60  # the server's clock, not the phone's
    with phone.server.engine.connect() as conn:
        sample = conn.execute(select(device_clock_samples).order_by(device_clock_samples.c.id.desc())).first()
    assert sample is not None and abs(sample.offset_ms + 3 * 3600 * 1000) < 60_000
    # the supervisor sees it on the officer's day, with the real time
    visit = phone.api.get_visit(phone.world.visits["pickup_a2"])
    day = boss(phone.server).officer_day(phone.world.officer_a, date=visit.planned_date)
    shown = next(v for v in day.visits if v.visit_id == visit.id)
    assert shown.honesty == ["clock_off"] and shown.evidence == "verified"
    assert shown.trusted_at == row["anchored_at"] and day.flagged >= 1


def test_a_clock_changed_between_two_actions_is_a_jump(phone: Phone) -> None:
    now = now_utc()
    w = phone.world
    store.record_action(phone.db, failed(w.visits["pickup_a2"]), clock=at(now))
    later = store.record_action(phone.db, failed(w.visits["pickup_a"]), clock=at(now + timedelta(hours=2)))
    assert phone.engine.run_once().applied == 2
    assert "clock_jump" in stored(phone.server, later)["honesty"]


def test_impossible_speed_identical_and_mock_fixes_are_flagged(phone: Phone) -> None:
    now = now_utc()
    w = phone.world
    first = store.record_action(phone.db, with_fix(
        pickup(w.visits["pickup_a"], w.citizen_ids["an"]), 10.871, 105.087, now - timedelta(minutes=2)))
    # two minutes later, 20 km away: 600 km/h on a motorbike
    far = store.record_action(phone.db, with_fix(
        failed(w.visits["pickup_a2"]) | {"payload": {"reason": "nobody_home"}}, 10.70, 105.12, now))
    copied = store.record_action(phone.db, with_fix(
        pickup(w.visits["delivery_a"], w.citizen_ids["binh"]) | {"type": "visit.failed",
                                                                  "payload": {"reason": "nobody_home"}},
        10.70, 105.12, now + timedelta(minutes=1), mocked=True))  # the very point of the last fix
    report = phone.engine.run_once()
    assert report.applied == 3, report
    assert stored(phone.server, first)["honesty"] == []
    assert stored(phone.server, far)["honesty"] == ["impossible_speed"]
    assert stored(phone.server, copied)["honesty"] == ["mock_location", "identical_fix"]
    # the visits export carries the flags, the evidence status and the trusted time
    text = boss(phone.server).export("visits.csv", lang="en").decode("utf-8-sig")
    rows = {int(r["Visit ID"]): r for r in csv.DictReader(io.StringIO(text))}
    assert rows[w.visits["pickup_a2"]]["Honesty flags"] == "impossible_speed"
    assert rows[w.visits["delivery_a"]]["Honesty flags"] == "mock_location|identical_fix"
    trusted = rows[w.visits["pickup_a"]]["Ended by the server clock (Vietnam time)"]
    assert rows[w.visits["pickup_a"]]["Evidence"] == "verified" and trusted


@pytest.mark.parametrize("mocked", [False, None])
def test_honest_fixes_raise_no_flag(phone: Phone, mocked: bool | None) -> None:
    now = now_utc()
    event_id = store.record_action(phone.db, with_fix(
        failed(phone.world.visits["pickup_a2"]) | {"payload": {"reason": "nobody_home"}}, 10.8712, 105.0871,
        now, mocked=mocked))
    assert phone.engine.run_once().applied == 1
    row = stored(phone.server, event_id)
    assert row["honesty"] == [] and row["mocked"] is False and row["anchor"] in ("monotonic", "offset")
