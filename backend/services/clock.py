"""Server time: everything is stored as ISO-8601 UTC; the commune works in Vietnam time (UTC+7).

The clock itself lives in `api_client.domain.clock`; `create_app` binds the app's clock for every
request, so these helpers read whatever clock the running app (or a test) was given.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from api_client.domain.clock import VN_TZ, now_utc, today_vn, vn_date

__all__ = ["VN_TZ", "iso", "local_date", "now_iso", "now_utc", "parse_iso", "today_vn"]


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
    return vn_date(value)
