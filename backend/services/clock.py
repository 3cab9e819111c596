"""Server time: everything is stored as ISO-8601 UTC; the commune works in Vietnam time (UTC+7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")


def now_utc() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def iso(value: datetime) -> str:
    """An aware datetime as ISO-8601 UTC (what every timestamp column holds)."""
    return value.astimezone(UTC).isoformat()


def now_iso() -> str:
    """The current time as ISO-8601 UTC."""
    return iso(now_utc())


def parse_iso(value: str) -> datetime:
    """Parse a stored timestamp (naive values are taken as UTC)."""
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def local_date(value: datetime) -> date:
    """The calendar day in Vietnam for an instant."""
    return value.astimezone(VN_TZ).date()


def today_vn() -> date:
    """Today's calendar day in Vietnam (the commune's working day)."""
    return local_date(now_utc())
