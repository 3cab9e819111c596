"""Exports for supervisors: visits and indicators (CSV, XLSX), an officer's day (GeoJSON, GPX)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from sqlalchemy import Engine

from api_client.models import OfficerPublic

from ..deps import EngineDep, SupervisorOnly
from ..services import exports, indicators
from .params import Day, DbId, IndicatorParams, IndicatorQuery, Range

router = APIRouter(prefix="/exports", tags=["exports"])

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_IN_SCOPE: dict[int | str, dict[str, Any]] = {404: {"description": "unit not in your scope"}}
NOT_YOURS: dict[int | str, dict[str, Any]] = {404: {"description": "not in your units"}}
Lang = Annotated[Literal["vi", "en"], Query(description="language of headers and values")]
SHEETS = {"visits": ("Lượt đi", "Visits"), "indicators": ("Chỉ tiêu", "Indicators")}


def _file(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _indicator_rows(engine: Engine, supervisor: OfficerPublic, query: IndicatorQuery,
                    lang: str) -> list[list[Any]]:
    r = query.days
    report = indicators.indicators(engine, supervisor, query.unit_id, r.start, r.end, query.group_by)
    return exports.indicator_table(report, lang)


TRACK_FORMATS: dict[str, tuple[Callable[[Engine, OfficerPublic, int, date], bytes], str]] = {
    "geojson": (exports.track_geojson, "application/geo+json"),
    "gpx": (exports.track_gpx, "application/gpx+xml"),
}


def _track(extension: str, engine: Engine, supervisor: OfficerPublic, officer_id: int, day: date) -> Response:
    render, media_type = TRACK_FORMATS[extension]
    content = render(engine, supervisor, officer_id, day)
    return _file(content, media_type, f"track_{officer_id}_{day}.{extension}")


@router.get("/visits.csv")
def visits_csv(engine: EngineDep, supervisor: SupervisorOnly, days: Range, lang: Lang = "vi") -> Response:
    """Visits planned in the range (default: last 30 days) as CSV, in the user's language."""
    rows = exports.visit_table(engine, supervisor, days.start, days.end, lang)
    content = exports.to_csv(exports.VISIT_COLUMNS, rows, lang)
    return _file(content, CSV, f"visits_{days.start}_{days.end}.csv")


@router.get("/visits.xlsx")
def visits_xlsx(engine: EngineDep, supervisor: SupervisorOnly, days: Range, lang: Lang = "vi") -> Response:
    """Visits planned in the range as an Excel workbook (real dates, Vietnam times, filters)."""
    rows = exports.visit_table(engine, supervisor, days.start, days.end, lang)
    content = exports.to_xlsx(SHEETS["visits"][lang == "en"], exports.VISIT_COLUMNS, rows, lang)
    return _file(content, XLSX, f"visits_{days.start}_{days.end}.xlsx")


@router.get("/indicators.csv", responses=NOT_IN_SCOPE)
def indicators_csv(
    engine: EngineDep, supervisor: SupervisorOnly, query: IndicatorParams, lang: Lang = "vi"
) -> Response:
    """The indicator rows and their total as CSV (same numbers as GET /indicators, rates in %)."""
    rows = _indicator_rows(engine, supervisor, query, lang)
    content = exports.to_csv(exports.INDICATOR_COLUMNS, rows, lang)
    return _file(content, CSV, f"indicators_{query.days.start}_{query.days.end}.csv")


@router.get("/indicators.xlsx", responses=NOT_IN_SCOPE)
def indicators_xlsx(
    engine: EngineDep, supervisor: SupervisorOnly, query: IndicatorParams, lang: Lang = "vi"
) -> Response:
    """The indicator rows and their total as an Excel workbook (rates as percentages)."""
    rows = _indicator_rows(engine, supervisor, query, lang)
    content = exports.to_xlsx(SHEETS["indicators"][lang == "en"], exports.INDICATOR_COLUMNS, rows, lang)
    return _file(content, XLSX, f"indicators_{query.days.start}_{query.days.end}.xlsx")


@router.get("/officers/{officer_id}/track.geojson", responses=NOT_YOURS)
def track_geojson(officer_id: DbId, engine: EngineDep, supervisor: SupervisorOnly, day: Day) -> Response:
    """The day's track (LineString) and visits (Points) as GeoJSON."""
    return _track("geojson", engine, supervisor, officer_id, day)


@router.get("/officers/{officer_id}/track.gpx", responses=NOT_YOURS)
def track_gpx(officer_id: DbId, engine: EngineDep, supervisor: SupervisorOnly, day: Day) -> Response:
    """The day's track (trk/trkseg/trkpt) and households (wpt) as GPX 1.1."""
    return _track("gpx", engine, supervisor, officer_id, day)
