"""Appointment dates and on-time flags as the national scoring computes them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import Enum

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
    """Due date-time (17:00) for a dossier received at `received_at` with a limit in working days.

    Same-day procedures (0 days) received after 15:00, or on a non-working day, are due the
    next working day; longer limits count working days after the day of receipt.
    """
    day = received_at.date()
    if working_days == 0:
        late = received_at.time() > SAME_DAY_CUTOFF or not is_working_day(day)
        due = add_working_days(day + timedelta(days=1), 0) if late else day
    else:
        due = add_working_days(day, working_days)
    return datetime.combine(due, time(17, 0), tzinfo=received_at.tzinfo)


def outcome_of(done_at: datetime, appointment_at: datetime, supplement_requests: int = 0) -> Outcome:
    """Early / on time / late; more than one supplement request always counts as late."""
    if supplement_requests > 1:
        return Outcome.LATE
    if done_at.date() < appointment_at.date():
        return Outcome.EARLY
    if done_at.date() == appointment_at.date():
        return Outcome.ON_TIME
    return Outcome.LATE
