"""Business time: one clock seam for the server, the phone and the sync engine.

Time is data here. Appointments, the 15:00 cut-off, working days, on-time scoring and tracks
all depend on "now", so nothing reads the wall clock directly: code asks a `Clock`.

- `SystemClock` is the production clock (UTC from the operating system).
- `FixedClock` is a clock a test sets and moves by hand.
- The server binds its app's clock for each request (`using_clock`), so deep service code and
  request validation call `now_utc()` without threading a parameter through every function;
  the phone passes its clock to each service explicitly.

Vietnam's zone is defined here and only here. Vietnam has no daylight saving time, so a fixed
offset of UTC+7 is exact for every date.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

VN_TZ = timezone(timedelta(hours=7), "ICT")


class Clock(Protocol):
    """Anything that tells the current instant as an aware UTC datetime."""

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        ...


class SystemClock:
    """The operating system's clock: the only place the wall clock is read."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


@dataclass
class FixedClock:
    """A clock that stands still until told to move (tests, demos, benchmarks)."""

    instant: datetime

    def __post_init__(self) -> None:
        self.instant = _aware(self.instant)

    def now(self) -> datetime:
        """The instant this clock is set to."""
        return self.instant

    def set(self, instant: datetime) -> None:
        """Jump to another instant (aware; naive values are taken as UTC)."""
        self.instant = _aware(instant)

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by `delta` or by timedelta keyword parts; returns the new instant."""
        self.instant += delta if delta is not None else timedelta(**parts)
        return self.instant


class ShiftedClock:
    """The system clock moved so it reads `start` when created, then runs at normal speed.

    For demos and browser tests: a server started "at" a chosen instant whose time still flows.
    """

    def __init__(self, start: datetime) -> None:
        self._frozen: datetime | None = None
        self.set(start)

    def now(self) -> datetime:
        """The system time plus the offset (or the frozen instant)."""
        return self._frozen if self._frozen is not None else datetime.now(UTC) + self._offset

    def set(self, instant: datetime) -> None:
        """Read `instant` now, and run on from there (or stay there, when frozen)."""
        if self._frozen is not None:
            self._frozen = _aware(instant)
        self._offset = _aware(instant) - datetime.now(UTC)

    def freeze(self, instant: datetime | None = None) -> None:
        """Stop at `instant` (default: now) until `set`/`advance` move it: exact time for a test."""
        self._frozen = _aware(instant) if instant is not None else self.now()

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Jump forward by `delta` or by timedelta keyword parts; returns the new reading."""
        step = delta if delta is not None else timedelta(**parts)
        if self._frozen is not None:
            self._frozen += step
        self._offset += step
        return self.now()


def vn_instant(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
               second: int = 0) -> datetime:
    """An instant given as Vietnam wall-clock time, returned in UTC (for tests and seeds)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ).astimezone(UTC)


def _aware(instant: datetime) -> datetime:
    return (instant if instant.tzinfo else instant.replace(tzinfo=UTC)).astimezone(UTC)


_SYSTEM = SystemClock()
_current: ContextVar[Clock] = ContextVar("doorstep_clock", default=_SYSTEM)


def current_clock() -> Clock:
    """The clock bound to this context (the system clock unless a caller bound another)."""
    return _current.get()


@contextmanager
def using_clock(clock: Clock) -> Iterator[Clock]:
    """Bind `clock` for the code run inside the block (and the threads it starts with the context)."""
    token = _current.set(clock)
    try:
        yield clock
    finally:
        _current.reset(token)


def bind_clock(clock: Clock) -> None:
    """Bind `clock` for the rest of this context (a worker thread's or a process's main)."""
    _current.set(clock)


def now_utc() -> datetime:
    """The current instant from the bound clock."""
    return _current.get().now()


def vn_date(instant: datetime) -> date:
    """The calendar day in Vietnam for an aware instant (naive values are taken as UTC)."""
    return _aware(instant).astimezone(VN_TZ).date()


def vn_time(instant: datetime) -> datetime:
    """An aware instant as Vietnam wall-clock time."""
    return _aware(instant).astimezone(VN_TZ)


def today_vn() -> date:
    """Today's date in Vietnam by the bound clock."""
    return vn_date(now_utc())
