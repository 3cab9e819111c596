"""Exports for supervisors: visits and indicators (CSV, XLSX), an officer's day (GeoJSON, GPX)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response

from api_client.models import GroupBy

from ..deps import EngineDep, SupervisorOnly
from ..services import exports, indicators
from ..services.supervision import today_vn
from .params import DbId, DbIdQuery

router = APIRouter(prefix="/exports", tags=["exports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/visits.csv")
def visits_csv(
    engine: EngineDep, supervisor: SupervisorOnly, date_from: date | None = None, date_to: date | None = None
) -> Response:
    """Visits planned in the range (default: last 30 days) as CSV."""
    start, end = indicators.check_range(date_from, date_to, today_vn())
    rows = exports.visit_table(engine, supervisor, start, end)
    return _file(
        exports.to_csv(exports.VISIT_COLUMNS, rows), "text/csv; charset=utf-8", f"visits_{start}_{end}.csv"
    )


@router.get("/visits.xlsx")
def visits_xlsx(
    engine: EngineDep, supervisor: SupervisorOnly, date_from: date | None = None, date_to: date | None = None
) -> Response:
    """Visits planned in the range as an Excel workbook."""
    start, end = indicators.check_range(date_from, date_to, today_vn())
    rows = exports.visit_table(engine, supervisor, start, end)
    return _file(exports.to_xlsx("visits", exports.VISIT_COLUMNS, rows), XLSX, f"visits_{start}_{end}.xlsx")


@router.get("/indicators.csv", responses={404: {"description": "unit not in your scope"}})
def indicators_csv(
    engine: EngineDep,
    supervisor: SupervisorOnly,
    unit_id: DbIdQuery = None,
    date_from: date | None = None,
    date_to: date | None = None,
    group_by: GroupBy = GroupBy.COMMUNE,
) -> Response:
    """The indicator rows and their total as CSV (same numbers as GET /indicators)."""
    start, end = indicators.check_range(date_from, date_to, today_vn())
    report = indicators.indicators(engine, supervisor, unit_id, start, end, group_by)
    return _file(
        exports.to_csv(exports.INDICATOR_COLUMNS, exports.indicator_table(report)),
        "text/csv; charset=utf-8",
        f"indicators_{start}_{end}.csv",
    )


@router.get("/indicators.xlsx", responses={404: {"description": "unit not in your scope"}})
def indicators_xlsx(
    engine: EngineDep,
    supervisor: SupervisorOnly,
    unit_id: DbIdQuery = None,
    date_from: date | None = None,
    date_to: date | None = None,
    group_by: GroupBy = GroupBy.COMMUNE,
) -> Response:
    """The indicator rows and their total as an Excel workbook."""
    start, end = indicators.check_range(date_from, date_to, today_vn())
    report = indicators.indicators(engine, supervisor, unit_id, start, end, group_by)
    return _file(
        exports.to_xlsx("indicators", exports.INDICATOR_COLUMNS, exports.indicator_table(report)),
        XLSX,
        f"indicators_{start}_{end}.xlsx",
    )


@router.get("/officers/{officer_id}/track.geojson", responses={404: {"description": "not in your units"}})
def track_geojson(
    officer_id: DbId, engine: EngineDep, supervisor: SupervisorOnly, date: date | None = None
) -> Response:
    """The day's track (LineString) and visits (Points) as GeoJSON."""
    day = date or today_vn()
    return _file(
        exports.track_geojson(engine, supervisor, officer_id, day),
        "application/geo+json",
        f"track_{officer_id}_{day}.geojson",
    )


@router.get("/officers/{officer_id}/track.gpx", responses={404: {"description": "not in your units"}})
def track_gpx(
    officer_id: DbId, engine: EngineDep, supervisor: SupervisorOnly, date: date | None = None
) -> Response:
    """The day's track (trk/trkseg/trkpt) and households (wpt) as GPX 1.1."""
    day = date or today_vn()
    return _file(
        exports.track_gpx(engine, supervisor, officer_id, day),
        "application/gpx+xml",
        f"track_{officer_id}_{day}.gpx",
    )
