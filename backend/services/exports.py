"""Files for supervisors: visits and indicators as CSV / XLSX, an officer's day as GeoJSON / GPX.

CSV is UTF-8 with a BOM so Excel shows Vietnamese correctly; GeoJSON follows RFC 7946
(lon, lat order; a LineString of the track and Points for the visits); GPX is 1.1 with the
track as trk/trkseg/trkpt and the households as wpt, which QGIS and GPS tools open as is.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import Engine, and_

from api_client.models import IndicatorReport, IndicatorRow, OfficerPublic

from ..db.schema import officers, visits
from .access import visit_filter
from .honesty import visit_signals
from .indicators import REASONS
from .supervision import done_at, officer_day, officer_track, visit_rows

GPX_NS = "http://www.topografix.com/GPX/1/1"
MAX_EXPORT_ROWS = 200_000  # a province-month of visits; beyond that, narrow the range

VISIT_COLUMNS = [
    "visit_id",
    "planned_date",
    "kind",
    "status",
    "assignee_id",
    "assignee",
    "dossier_code",
    "citizen",
    "lat",
    "lon",
    "window_start",
    "window_end",
    "ended_at",
    "attempts",
    "failure_reason",
    "failure_note",
    "evidence",  # issue 9: verified | the first problem of its events' seals
    "honesty_flags",  # clock_off | clock_jump | impossible_speed | identical_fix | mock_location, '|'-joined
    "trusted_at",  # when it ended by the server's clock
]
INDICATOR_COLUMNS = [
    "key_id",
    "key_name",
    "home_pickups",
    "home_deliveries",
    "failed_visits",
    *[f"failed_{r}" for r in REASONS],
    "returned",
    "returned_on_time",
    "on_time_rate",
    "received",
    "digitized",
    "digitization_rate",
    "fee_dossiers",
    "paid_online",
    "online_payment_rate",
]


def visit_table(engine: Engine, supervisor: OfficerPublic, date_from: date, date_to: date) -> list[list[Any]]:
    """Visits planned in the range within the supervisor's units, as rows of VISIT_COLUMNS."""
    with engine.connect() as conn:
        q = (
            visit_rows()
            .add_columns(officers.c.full_name.label("assignee"))
            .outerjoin(officers, officers.c.id == visits.c.assignee_id)
            .where(
                visit_filter(conn, supervisor),
                and_(
                    visits.c.planned_date >= date_from.isoformat(),
                    visits.c.planned_date <= date_to.isoformat(),
                ),
            )
            .order_by(visits.c.planned_date, visits.c.assignee_id, visits.c.id)
            .limit(MAX_EXPORT_ROWS)
        )
        rows = [dict(r) for r in conn.execute(q).mappings()]
        signals = visit_signals(conn, [r["id"] for r in rows])
    empty: dict[str, Any] = {"honesty": [], "evidence": None, "trusted_at": None}
    return [
        [
            r["id"],
            r["planned_date"],
            r["kind"],
            r["status"],
            r["assignee_id"],
            r["assignee"],
            r["dossier_code"],
            r["citizen_name"],
            r["lat"],
            r["lon"],
            r["window_start"],
            r["window_end"],
            done_at(r),
            r["attempts"],
            r["failure_reason"],
            r["failure_note"],
            signals.get(r["id"], empty)["evidence"],
            "|".join(signals.get(r["id"], empty)["honesty"]),
            signals.get(r["id"], empty)["trusted_at"],
        ]
        for r in rows
    ]


def indicator_table(report: IndicatorReport) -> list[list[Any]]:
    """One row per group plus the total, as rows of INDICATOR_COLUMNS."""

    def row(r: IndicatorRow) -> list[Any]:
        return [
            r.key_id,
            r.key_name,
            r.home_pickups,
            r.home_deliveries,
            r.failed_visits,
            *[r.failed_by_reason.get(x, 0) for x in REASONS],
            r.returned,
            r.returned_on_time,
            r.on_time_rate,
            r.received,
            r.digitized,
            r.digitization_rate,
            r.fee_dossiers,
            r.paid_online,
            r.online_payment_rate,
        ]

    return [row(r) for r in report.rows] + [row(report.total)]


def to_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """CSV bytes (UTF-8 with BOM; None as an empty cell)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(sheet: str, header: list[str], rows: list[list[Any]]) -> bytes:
    """An .xlsx workbook with one sheet, a bold frozen header row."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has one sheet
    ws.title = sheet[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def track_geojson(engine: Engine, supervisor: OfficerPublic, officer_id: int, day: date) -> bytes:
    """A FeatureCollection: the day's track as a LineString, each visit as a Point."""
    track = officer_track(engine, supervisor, officer_id, day)
    visits_of_day = officer_day(engine, supervisor, officer_id, day).visits
    features: list[dict[str, Any]] = []
    if track.points:
        coords = [[p.lon, p.lat] for p in track.points]
        if len(coords) == 1:
            coords.append(coords[0])  # a LineString needs two positions
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {
                    "kind": "track",
                    "officer_id": officer_id,
                    "date": day.isoformat(),
                    "start": track.points[0].recorded_at,
                    "end": track.points[-1].recorded_at,
                    "distance_m": track.distance_m,
                    "points": len(track.points),
                },
            }
        )
    for v in visits_of_day:
        if v.lat is None or v.lon is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [v.lon, v.lat]},
                "properties": {
                    "kind": "visit",
                    "visit_id": v.visit_id,
                    "visit_kind": v.kind.value,
                    "status": v.status.value,
                    "dossier_code": v.dossier_code,
                    "citizen": v.citizen_name,
                    "arrived_at": v.arrived_at,
                    "completed_at": v.completed_at,
                    "flags": v.flags,
                    "honesty": v.honesty,
                    "evidence": v.evidence,
                    "trusted_at": v.trusted_at,
                },
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def track_gpx(engine: Engine, supervisor: OfficerPublic, officer_id: int, day: date) -> bytes:
    """GPX 1.1: households as wpt (before trk, as the schema orders them), the track as trk/trkseg/trkpt."""
    track = officer_track(engine, supervisor, officer_id, day)
    visits_of_day = officer_day(engine, supervisor, officer_id, day).visits
    ET.register_namespace("", GPX_NS)
    root = ET.Element(f"{{{GPX_NS}}}gpx", {"version": "1.1", "creator": "Doorstep (Một cửa tận nhà)"})
    meta = ET.SubElement(root, f"{{{GPX_NS}}}metadata")
    ET.SubElement(meta, f"{{{GPX_NS}}}name").text = f"officer {officer_id} {day.isoformat()}"
    for v in visits_of_day:
        if v.lat is None or v.lon is None:
            continue
        wpt = ET.SubElement(root, f"{{{GPX_NS}}}wpt", {"lat": f"{v.lat:.6f}", "lon": f"{v.lon:.6f}"})
        ET.SubElement(wpt, f"{{{GPX_NS}}}name").text = f"{v.dossier_code} - {v.citizen_name}"
        ET.SubElement(wpt, f"{{{GPX_NS}}}desc").text = f"{v.kind.value} {v.status.value}"
    trk = ET.SubElement(root, f"{{{GPX_NS}}}trk")
    ET.SubElement(trk, f"{{{GPX_NS}}}name").text = f"officer {officer_id} {day.isoformat()}"
    seg = ET.SubElement(trk, f"{{{GPX_NS}}}trkseg")
    for p in track.points:
        pt = ET.SubElement(seg, f"{{{GPX_NS}}}trkpt", {"lat": f"{p.lat:.6f}", "lon": f"{p.lon:.6f}"})
        ET.SubElement(pt, f"{{{GPX_NS}}}time").text = p.recorded_at.replace("+00:00", "Z")
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out
