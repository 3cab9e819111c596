"""Appointments (working days, 15:00 cutoff) and outcomes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from api_client.domain.clock import VN_TZ as VN
from api_client.domain.timeliness import (
    Outcome,
    add_working_days,
    appointment_for,
    is_working_day,
    outcome_of,
)


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def test_working_days() -> None:
    assert is_working_day(date(2025, 3, 7)) and not is_working_day(date(2025, 3, 8))
    assert add_working_days(date(2025, 3, 8), 0) == date(2025, 3, 10)  # Saturday -> Monday
    assert add_working_days(date(2025, 3, 5), 0) == date(2025, 3, 5)


def test_same_day_before_and_after_three_pm() -> None:
    assert appointment_for(at(2025, 3, 5, 14, 59), 0) == datetime.combine(date(2025, 3, 5), time(17), VN)
    assert appointment_for(at(2025, 3, 5, 15, 0), 0).date() == date(2025, 3, 5)  # 15:00 sharp: same day
    assert appointment_for(at(2025, 3, 5, 15, 1), 0).date() == date(2025, 3, 6)


def test_friday_afternoon_is_due_monday() -> None:
    due = appointment_for(at(2025, 3, 7, 16, 30), 0)
    assert due.date() == date(2025, 3, 10) and due.weekday() == 0 and due.time() == time(17)


def test_weekend_receipt_same_day_procedure_is_due_monday() -> None:
    assert appointment_for(at(2025, 3, 8, 10), 0).date() == date(2025, 3, 10)


def test_three_working_days_over_a_weekend() -> None:
    assert appointment_for(at(2025, 3, 6, 10), 3).date() == date(2025, 3, 11)  # Thu -> Tue
    assert appointment_for(at(2025, 3, 7, 16), 3).date() == date(2025, 3, 12)  # Fri -> Wed


def test_outcomes() -> None:
    due = datetime(2025, 3, 10, 17, tzinfo=VN)
    assert outcome_of(at(2025, 3, 7, 10), due) == Outcome.EARLY
    assert outcome_of(at(2025, 3, 10, 16), due) == Outcome.ON_TIME
    assert outcome_of(at(2025, 3, 10, 18), due) == Outcome.ON_TIME  # same day counts as on time
    assert outcome_of(at(2025, 3, 11, 8), due) == Outcome.LATE


def test_more_than_one_supplement_counts_as_late() -> None:
    due = datetime(2025, 3, 10, 17, tzinfo=VN)
    assert outcome_of(at(2025, 3, 7), due, supplement_requests=1) == Outcome.EARLY
    assert outcome_of(at(2025, 3, 7), due, supplement_requests=2) == Outcome.LATE


def test_returned_next_morning_in_vietnam_is_late_although_the_utc_date_matches() -> None:
    # due Tuesday 10/03/2026 17:00 in Vietnam = 10:00 UTC; returned Wednesday 06:30 in Vietnam =
    # Tuesday 23:30 UTC. Same UTC date, but the commune's day has changed: late.
    due = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    returned = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    assert returned.date() == due.date()  # the trap the old code fell into
    assert outcome_of(returned, due) == Outcome.LATE
    # 16:59 UTC is 23:59 on Tuesday in Vietnam: still the due day, so on time
    assert outcome_of(datetime(2026, 3, 10, 16, 59, tzinfo=UTC), due) == Outcome.ON_TIME
    # 17:00 UTC is already Wednesday 00:00 in Vietnam: late
    assert outcome_of(datetime(2026, 3, 10, 17, 0, tzinfo=UTC), due) == Outcome.LATE


def test_early_morning_vietnam_receipt_given_in_utc_uses_the_vietnam_day() -> None:
    # 06:30 Wednesday in Vietnam is 23:30 Tuesday UTC: a same-day procedure is due Wednesday 17:00
    due = appointment_for(datetime(2026, 3, 10, 23, 30, tzinfo=UTC), 0)
    assert due == datetime(2026, 3, 11, 17, 0, tzinfo=VN)


def test_three_pm_cutoff_is_vietnam_time_whatever_zone_the_instant_is_in() -> None:
    # 15:01 in Vietnam = 08:01 UTC: after the cut-off, due the next working day
    assert appointment_for(datetime(2026, 3, 10, 8, 1, tzinfo=UTC), 0).date() == date(2026, 3, 11)
    # 14:59 in Vietnam = 07:59 UTC: same day
    assert appointment_for(datetime(2026, 3, 10, 7, 59, tzinfo=UTC), 0).date() == date(2026, 3, 10)
    # Friday 15:30 in Vietnam: due Monday
    assert appointment_for(datetime(2026, 3, 13, 8, 30, tzinfo=UTC), 0).date() == date(2026, 3, 16)
