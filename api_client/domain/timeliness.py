"""Appointment dates and on-time flags as the national scoring computes them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import Enum

from .clock import VN_TZ, vn_date, vn_time

SAME_DAY_CUTOFF = time(15, 0)


class Outcome(str, Enum):
    """Handover / result outcome relative to the appointment."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


def is_working_day(day: date) -> bool:
    """Monday-Friday (public holidays are not modelled yet)."""
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (0 = start itself if it is a working day)."""
    d = start
    while not is_working_day(d):
        d += timedelta(days=1)
    added = 0
    while added < days:
        d += timedelta(days=1)
        if is_working_day(d):
            added += 1
    return d


def appointment_for(received_at: datetime, working_days: int) -> datetime:
    """Due date-time (17:00 Vietnam time) for a dossier received at `received_at` (aware).

    Same-day procedures (0 days) received after 15:00, or on a non-working day, are due the
    next working day; longer limits count working days after the day of receipt. Days and the
    cut-off are Vietnam's, whatever zone `received_at` is given in.
    """
    local = vn_time(received_at)
    day = local.date()
    if working_days == 0:
        late = local.time() > SAME_DAY_CUTOFF or not is_working_day(day)
        due = add_working_days(day + timedelta(days=1), 0) if late else day
    else:
        due = add_working_days(day, working_days)
    return datetime.combine(due, time(17, 0), tzinfo=VN_TZ)


def outcome_of(done_at: datetime, appointment_at: datetime, supplement_requests: int = 0) -> Outcome:
    """Early / on time / late by Vietnam dates; more than one supplement request always counts as late.

    Both instants must be aware: a result returned at 06:30 Vietnam time the day after a 17:00
    appointment is late even though both instants fall on the same UTC date.
    """
    if supplement_requests > 1:
        return Outcome.LATE
    done, due = vn_date(done_at), vn_date(appointment_at)
    if done < due:
        return Outcome.EARLY
    if done == due:
        return Outcome.ON_TIME
    return Outcome.LATE
