"""Path and query parameters shared by routers: database ids, the day, date ranges, indicator queries.

Ids are bounded to what PostgreSQL's INTEGER holds (a bigger one is a 422, not a 500); days and
ranges default to Vietnam's today, and a range's limits are checked once here for every endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from typing import Annotated

from fastapi import Depends, Path, Query

from api_client.models import GroupBy

from ..services.clock import today_vn
from ..services.indicators import check_range

MAX_DB_ID = 2_147_483_647

DbId = Annotated[int, Path(ge=1, le=MAX_DB_ID)]
DbIdQuery = Annotated[int | None, Query(ge=1, le=MAX_DB_ID)]
# suggestions of who could take a visit: open visits an officer can carry a day, officers listed
Capacity = Annotated[int, Query(ge=1, le=200)]
SuggestLimit = Annotated[int, Query(ge=1, le=100)]


def day(date: Date | None = None) -> Date:
    """The `date` query parameter, today in Vietnam when omitted."""
    return date or today_vn()


Day = Annotated[Date, Depends(day)]


@dataclass(frozen=True)
class DateRange:
    """Inclusive Vietnam days."""

    start: Date
    end: Date


def date_range(date_from: Date | None = None, date_to: Date | None = None) -> DateRange:
    """`date_from` / `date_to` (default: the last 30 days up to today); 422 when backwards or too long."""
    return DateRange(*check_range(date_from, date_to, today_vn()))


Range = Annotated[DateRange, Depends(date_range)]


@dataclass(frozen=True)
class IndicatorQuery:
    """What an indicator report is asked for: a unit (None: all in scope), a range, a grouping."""

    unit_id: int | None
    days: DateRange
    group_by: GroupBy


def indicator_query(
    days: Range, unit_id: DbIdQuery = None, group_by: GroupBy = GroupBy.COMMUNE
) -> IndicatorQuery:
    """The indicator endpoints' query parameters (GET /indicators and its CSV / XLSX exports)."""
    return IndicatorQuery(unit_id, days, group_by)


IndicatorParams = Annotated[IndicatorQuery, Depends(indicator_query)]
