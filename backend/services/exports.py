"""Files for supervisors: visits and indicators as CSV / XLSX, an officer's day as GeoJSON / GPX.

Tables speak the user's language (headers and coded values, `lang` = vi | en), give times in
Vietnam time, and in XLSX hold real dates and percentages (rates stay fractions underneath).
CSV is UTF-8 with a BOM so Excel shows Vietnamese correctly; GeoJSON follows RFC 7946
(lon, lat order; a LineString of the track and Points for the visits); GPX is 1.1 with the
track as trk/trkseg/trkpt and the households as wpt, which QGIS and GPS tools open as is.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine, and_

from api_client.models import IndicatorReport, IndicatorRow, OfficerPublic

from ..db.schema import officers, visits
from .access import visit_filter
from .clock import VN_TZ, parse_iso
from .honesty import visit_signals
from .indicators import REASONS
from .supervision import done_at, officer_day, officer_track, visit_rows

GPX_NS = "http://www.topografix.com/GPX/1/1"
MAX_EXPORT_ROWS = 200_000  # a province-month of visits; beyond that, narrow the range
LANGS = ("vi", "en")


@dataclass(frozen=True)
class Column:
    """One column of a table export: its key, headers in Vietnamese and English, and its kind
    (text | int | float | date | datetime | percent), which sets how CSV and XLSX write it."""

    key: str
    vi: str
    en: str
    kind: str = "text"

    def header(self, lang: str) -> str:
        """The header in the user's language."""
        return self.en if lang == "en" else self.vi


# (Vietnamese, English) for the coded values a table shows
WORDS: dict[str, tuple[str, str]] = {
    "pickup": ("Nhận hồ sơ", "Pickup"),
    "delivery": ("Trả kết quả", "Delivery"),
    "planned": ("Chưa đi", "Planned"),
    "en_route": ("Đang đến", "On the way"),
    "completed": ("Đã xong", "Done"),
    "failed": ("Không thành công", "Failed"),
    "cancelled": ("Đã hủy", "Cancelled"),
    "nobody_home": ("Không có ai ở nhà", "Nobody home"),
    "missing_documents": ("Thiếu giấy tờ", "Missing documents"),
    "refused": ("Công dân từ chối", "Refused"),
    "wrong_address": ("Sai địa chỉ", "Wrong address"),
    "other": ("Lý do khác", "Other"),
    "total": ("Tổng", "Total"),
    "unknown": ("Không xác định", "Unknown"),
}


def word(code: str | None, lang: str) -> str | None:
    """A coded value in the user's language (the code itself when unknown, None for None)."""
    if code is None:
        return None
    pair = WORDS.get(code)
    return (pair[1] if lang == "en" else pair[0]) if pair else code


VISIT_COLUMNS = [
    Column("visit_id", "Mã lượt đi", "Visit ID", "int"),
    Column("planned_date", "Ngày đi", "Planned date", "date"),
    Column("kind", "Loại", "Kind"),
    Column("status", "Trạng thái", "Status"),
    Column("assignee_id", "Mã cán bộ", "Officer ID", "int"),
    Column("assignee", "Cán bộ", "Officer"),
    Column("dossier_code", "Mã hồ sơ", "Dossier code"),
    Column("citizen", "Công dân", "Citizen"),
    Column("lat", "Vĩ độ", "Latitude", "float"),
    Column("lon", "Kinh độ", "Longitude", "float"),
    Column("window_start", "Từ giờ", "Window start"),
    Column("window_end", "Đến giờ", "Window end"),
    Column("ended_at", "Kết thúc lúc (giờ Việt Nam)", "Ended at (Vietnam time)", "datetime"),
    Column("attempts", "Số lần đi", "Attempts", "int"),
    Column("failure_reason", "Lý do không thành công", "Failure reason"),
    Column("failure_note", "Ghi chú", "Note"),
    # issue 9: verified | the first problem of its events' seals; honesty flags '|'-joined
    Column("evidence", "Bằng chứng", "Evidence"),
    Column("honesty_flags", "Cảnh báo trung thực", "Honesty flags"),
    Column("trusted_at", "Kết thúc theo giờ máy chủ (giờ Việt Nam)",
           "Ended by the server clock (Vietnam time)", "datetime"),
]
INDICATOR_COLUMNS = [
    Column("key_id", "Mã", "ID", "int"),
    Column("key_name", "Đơn vị / cán bộ", "Unit / officer"),
    Column("home_pickups", "Nhận hồ sơ tại nhà", "Home pickups", "int"),
    Column("home_deliveries", "Trả kết quả tại nhà", "Home deliveries", "int"),
    Column("failed_visits", "Lượt không thành công", "Failed visits", "int"),
    *[Column(f"failed_{r}", f"Không thành công: {WORDS[r][0].lower()}", f"Failed: {WORDS[r][1].lower()}",
             "int") for r in REASONS],
    Column("returned", "Đã trả kết quả", "Returned", "int"),
    Column("returned_on_time", "Trả đúng hạn", "Returned on time", "int"),
    Column("on_time_rate", "Tỷ lệ đúng hạn", "On-time rate", "percent"),
    Column("received", "Đã tiếp nhận", "Received", "int"),
    Column("digitized", "Đã số hóa", "Digitized", "int"),
    Column("digitization_rate", "Tỷ lệ số hóa", "Digitization rate", "percent"),
    Column("fee_dossiers", "Hồ sơ có phí", "Dossiers with a fee", "int"),
    Column("paid_online", "Thanh toán trực tuyến", "Paid online", "int"),
    Column("online_payment_rate", "Tỷ lệ thanh toán trực tuyến", "Online payment rate", "percent"),
]


def _local(value: str | None) -> datetime | None:
    """A stored UTC timestamp as Vietnam wall time (naive: what a spreadsheet cell holds)."""
    return parse_iso(value).astimezone(VN_TZ).replace(tzinfo=None) if value else None


def visit_table(engine: Engine, supervisor: OfficerPublic, date_from: date, date_to: date,
                lang: str = "vi") -> list[list[Any]]:
    """Visits planned in the range within the supervisor's units, as typed rows of VISIT_COLUMNS."""
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
            date.fromisoformat(r["planned_date"]),
            word(r["kind"], lang),
            word(r["status"], lang),
            r["assignee_id"],
            r["assignee"],
            r["dossier_code"],
            r["citizen_name"],
            r["lat"],
            r["lon"],
            r["window_start"],
            r["window_end"],
            _local(done_at(r)),
            r["attempts"],
            word(r["failure_reason"], lang),
            r["failure_note"],
            signals.get(r["id"], empty)["evidence"],
            "|".join(signals.get(r["id"], empty)["honesty"]),
            _local(signals.get(r["id"], empty)["trusted_at"]),  # Vietnam time, like ended_at
        ]
        for r in rows
    ]


def indicator_table(report: IndicatorReport, lang: str = "vi") -> list[list[Any]]:
    """One row per group plus the total, as typed rows of INDICATOR_COLUMNS (rates as fractions)."""

    def row(r: IndicatorRow) -> list[Any]:
        return [
            r.key_id,
            word(r.label_code, lang) if r.label_code else r.key_name,
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


def _csv_value(value: Any, kind: str, lang: str) -> Any:
    if value is None:
        return ""
    if kind == "percent":
        text = f"{value * 100:.1f}%"
        return text.replace(".", ",") if lang == "vi" else text
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(columns: list[Column], rows: list[list[Any]], lang: str = "vi") -> bytes:
    """CSV bytes (UTF-8 with BOM): headers in the user's language, Vietnam times, rates as percentages."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in columns])
    for row in rows:
        writer.writerow([_csv_value(v, c.kind, lang) for v, c in zip(row, columns, strict=True)])
    return buf.getvalue().encode("utf-8-sig")


XLSX_FORMATS = {
    "date": {"vi": "DD/MM/YYYY", "en": "YYYY-MM-DD"},
    "datetime": {"vi": "DD/MM/YYYY HH:MM", "en": "YYYY-MM-DD HH:MM"},
    "percent": {"vi": "0.0%", "en": "0.0%"},
}


def _shown_width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    return {"date": 10, "datetime": 16, "percent": 6}.get(kind, len(str(value)))


def to_xlsx(sheet: str, columns: list[Column], rows: list[list[Any]], lang: str = "vi") -> bytes:
    """An .xlsx workbook with one sheet: a bold frozen header row with filters, real dates and
    times (Vietnam), rates as percentages, columns as wide as their content."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has one sheet
    ws.title = sheet[:31]
    ws.append([c.header(lang) for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    widths = [len(c.header(lang)) for c in columns]
    for i, c in enumerate(columns):
        fmt = XLSX_FORMATS.get(c.kind, {}).get(lang)
        letter = get_column_letter(i + 1)
        for (cell,) in ws.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1):
            if fmt:
                cell.number_format = fmt
            widths[i] = max(widths[i], _shown_width(cell.value, c.kind))
        ws.column_dimensions[letter].width = min(60, widths[i] + 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
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
