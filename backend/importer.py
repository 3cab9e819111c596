"""Import dossiers needing home service from a one-stop system's export (CSV or JSON).

Every row is validated on its own; a bad row is reported by its line number with a
Vietnamese message and never written. Each good row is written in its own transaction
(citizen upsert + dossier + status log + visit), so a row is either fully in or fully out.
Re-importing a file is safe: a dossier code that already exists is skipped, not duplicated.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from api_client.domain.clock import VN_TZ, now_utc, today_vn
from api_client.domain.codes import parse_dossier_code
from api_client.domain.identity import IdentityError, check_citizen_id, check_phone
from api_client.domain.timeliness import appointment_for
from api_client.models import CataloguePublic, Procedure

from .db.changes import next_seq
from .db.schema import citizens, dossier_status_log, dossiers, officer_units, officers, units, visits
from .db.search import dossier_search_text, refresh_search_text
from .reference import allocate_dossier_code, insert_id, latest_catalogue, now_iso, utc_iso
from .services.geocoding import Geocode, Locator

REQUIRED_COLUMNS = ("ma_thu_tuc", "ho_ten", "so_cccd", "dia_chi", "ma_xa")
# Rough bounding box of Vietnam: a point outside it is a typo (swapped lat/lon, missing dot).
LAT_RANGE = (8.0, 23.5)
LON_RANGE = (102.0, 110.0)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
CHANNELS = {"1": 1, "2": 2, "3": 3}
RETURN_METHODS = ("desk", "home", "post")
KINDS = ("pickup", "delivery")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (missing, wrong type, wrong encoding, no header)."""


@dataclass
class ImportReport:
    """Outcome of one import: rows written, rows skipped as already present, rows rejected."""

    path: str
    imported: int = 0
    visits: int = 0
    codes: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    # rows placed by source (imported, geocoded, hamlet_centre, kept), and the approximate ones
    located: dict[str, int] = field(default_factory=dict)
    approximate: list[tuple[int, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A human-readable report, Vietnamese first."""
        out = [f"Tệp {self.path}: đã nhập {self.imported} hồ sơ, tạo {self.visits} lượt thăm; "
               f"bỏ qua {len(self.skipped)}; lỗi {len(self.errors)} "
               f"(imported {self.imported}, skipped {len(self.skipped)}, errors {len(self.errors)})"]
        if self.located:
            n = self.located.get
            out.append(f"  Vị trí: {n('imported', 0)} theo tọa độ trong tệp, {n('geocoded', 0)} tìm theo "
                       f"địa chỉ, {n('hamlet_centre', 0)} gần đúng (tâm ấp), {n('kept', 0)} giữ vị trí cũ")
        out += [f"  Vị trí gần đúng dòng {line}: {reason}" for line, reason in self.approximate]
        out += [f"  Bỏ qua dòng {line}: {message}" for line, message in self.skipped]
        out += [f"  Lỗi dòng {line}: {message}" for line, message in self.errors]
        return out


@dataclass
class _Row:
    """A validated row, ready to write."""

    line: int
    code: str | None
    procedure: Procedure
    full_name: str
    id_number: str
    phone: str | None
    address: str
    commune_id: int
    commune_code: str
    hamlet_id: int | None
    lat: float | None
    lon: float | None
    registered: datetime
    channel: int
    return_method: str
    kind: str
    visit_date: date
    catalogue_version: int
    location_source: str | None = None
    location_precision: str | None = None
    location_note: str | None = None


@dataclass
class _Context:
    """Reference data looked up once per import."""

    catalogue: CataloguePublic
    communes: dict[str, tuple[int, str]]  # code or lower-case name -> (id, code)
    hamlets: dict[str, tuple[int, int]]  # code -> (id, commune id)
    today: date


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line or record number, row) pairs from a CSV (line of the file) or JSON (1-based record) file."""
    if not path.is_file():
        raise ImportFileError(f"Không tìm thấy tệp {path} (file not found)")
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"Tệp {path.name} phải mã hóa UTF-8 (file must be UTF-8)") from exc
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(text)
    if suffix == ".json":
        return _json_rows(text)
    raise ImportFileError(f"Chỉ nhận tệp .csv hoặc .json, không nhận '{suffix}' (use .csv or .json)")


def _csv_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError(f"Tệp CSV thiếu cột: {', '.join(missing)} (missing columns)")
    rows = []
    for raw in reader:
        values = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        if any(values.values()):  # blank lines at the end of exports are not rows
            rows.append((reader.line_num, values))
    return rows


def _json_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"Tệp JSON không đọc được: {exc.msg} dòng {exc.lineno} (invalid JSON)") from exc
    records = doc.get("ho_so", doc.get("dossiers")) if isinstance(doc, dict) else doc
    if not isinstance(records, list):
        raise ImportFileError("Tệp JSON phải là một danh sách hồ sơ (expected a list of dossiers)")
    rows = []
    for number, record in enumerate(records, start=1):
        if isinstance(record, dict):
            rows.append((number, {str(k): "" if v is None else str(v).strip() for k, v in record.items()}))
        else:
            rows.append((number, {"__invalid__": "1"}))
    return rows


def import_dossiers(engine: Engine, path: Path, geocoder: Geocode | None = None) -> ImportReport:
    """Validate every row of the file and write each good one in its own transaction.

    Rows without coordinates are geocoded through `geocoder` (see services.geocoding; None: none
    configured) before their transaction, so a slow geocoder never holds a database lock; a row it
    cannot resolve is still imported, at its hamlet's centre, marked approximate with the reason.
    """
    path = Path(path)
    rows = read_rows(path)
    report = ImportReport(path=str(path))
    with engine.connect() as conn:
        context = _load_context(conn)
    locator = Locator(engine, geocoder)
    for line, raw in rows:
        row, problems = _validate(line, raw, context)
        if row is None:
            report.errors.append((line, "; ".join(problems)))
            continue
        _locate(engine, locator, row, report)
        _write_one(engine, row, path.name, report)
    return report


# a household's pin that a person placed or a visit verified is better than any geocoder's guess
KEPT_SOURCES = ("visit", "supervisor")


def _locate(engine: Engine, locator: Locator, row: _Row, report: ImportReport) -> None:
    """Fill the row's location: the file's coordinates, what we already know, or the geocoder's."""
    if row.lat is not None:
        row.location_source, row.location_precision = "imported", "exact"
        report.located["imported"] = report.located.get("imported", 0) + 1
        return
    with engine.connect() as conn:
        known = conn.execute(select(citizens.c.address, citizens.c.lat, citizens.c.location_source)
                             .where(citizens.c.id_number == row.id_number)).first()
    if known is not None and known.lat is not None and (
            known.location_source in KEPT_SOURCES or known.address == row.address):
        report.located["kept"] = report.located.get("kept", 0) + 1
        return  # _upsert_citizen leaves the stored location alone
    found = locator.resolve(row.address, row.hamlet_id, row.commune_id)
    if found.source is None:
        report.approximate.append((row.line, found.note or ""))
        return
    row.lat, row.lon = found.lat, found.lon
    row.location_source, row.location_precision, row.location_note = found.source, found.precision, found.note
    report.located[found.source] = report.located.get(found.source, 0) + 1
    if found.precision == "approximate":
        report.approximate.append((row.line, _REASONS.get(found.note or "", found.note or "")))


_REASONS = {
    "no_geocoder": "chưa cấu hình dịch vụ tìm địa chỉ, đặt tại tâm ấp",
    "not_found": "không tìm thấy địa chỉ, đặt tại tâm ấp",
    "timeout": "dịch vụ tìm địa chỉ không trả lời kịp, đặt tại tâm ấp",
    "error": "dịch vụ tìm địa chỉ lỗi, đặt tại tâm ấp",
    "geocoder_down": "dịch vụ tìm địa chỉ lỗi liên tiếp, đặt tại tâm ấp",
    "area": "địa chỉ chỉ tìm được đến khu vực (thôn/ấp)",
}


def _load_context(conn: Connection) -> _Context:
    catalogue = latest_catalogue(conn)
    if catalogue is None:
        raise ImportFileError("Chưa có danh mục thủ tục trong cơ sở dữ liệu (no catalogue loaded)")
    communes: dict[str, tuple[int, str]] = {}
    hamlets: dict[str, tuple[int, int]] = {}
    columns = (units.c.id, units.c.code, units.c.name, units.c.level, units.c.parent_id)
    for unit in conn.execute(select(*columns)):
        if unit.level == "commune":
            communes[unit.code.upper()] = communes[unit.name.lower()] = (unit.id, unit.code)
        elif unit.level == "hamlet":
            hamlets[unit.code.upper()] = (unit.id, unit.parent_id)
    return _Context(catalogue, communes, hamlets, today_vn())


def _parse_date(value: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _validate(line: int, raw: dict[str, str], ctx: _Context) -> tuple[_Row | None, list[str]]:
    """The row ready to write, or None with every problem found (so the user fixes them at once)."""
    if "__invalid__" in raw:
        return None, ["Bản ghi phải là một đối tượng JSON (record must be an object)"]
    problems: list[str] = []
    get = raw.get
    code = get("ma_ho_so") or None
    if code:
        try:
            parse_dossier_code(code)
        except ValueError as exc:
            problems.append(str(exc))
    procedure = ctx.catalogue.procedure(get("ma_thu_tuc", ""))
    if procedure is None:
        problems.append(f"Không có thủ tục '{get('ma_thu_tuc', '')}' trong danh mục phiên bản "
                        f"{ctx.catalogue.version} (unknown procedure)")
    full_name = get("ho_ten", "")
    if not full_name:
        problems.append("Thiếu họ tên người nộp (ho_ten is empty)")
    address = get("dia_chi", "")
    if not address:
        problems.append("Thiếu địa chỉ (dia_chi is empty)")
    id_number = _checked(check_citizen_id, get("so_cccd", ""), "Số căn cước", problems)
    phone = _checked(check_phone, get("so_dien_thoai", ""), "Số điện thoại", problems) \
        if get("so_dien_thoai") else None
    commune = ctx.communes.get(get("ma_xa", "").upper()) or ctx.communes.get(get("ma_xa", "").lower())
    if commune is None:
        problems.append(f"Không có xã mã '{get('ma_xa', '')}' (unknown commune)")
    hamlet_id = _hamlet(get("ma_ap", ""), commune, ctx, problems)
    lat, lon = _coordinates(get("vi_do", ""), get("kinh_do", ""), problems)
    registered = _registered(get("ngay_dang_ky", ""), ctx.today, problems)
    channel = CHANNELS.get(get("kenh") or "1")
    if channel is None:
        problems.append(f"Kênh '{get('kenh')}' không hợp lệ, phải là 1, 2 hoặc 3 (channel must be 1/2/3)")
    return_method = (get("hinh_thuc_tra") or "home").lower()
    if return_method not in RETURN_METHODS:
        problems.append(f"Hình thức trả '{return_method}' phải là desk, home hoặc post")
    kind = (get("loai") or "pickup").lower()
    if kind not in KINDS:
        problems.append(f"Loại lượt thăm '{kind}' phải là pickup hoặc delivery")
    visit_date = _visit_date(get("ngay_hen_tham", ""), registered, ctx.today, problems)
    if problems or procedure is None or commune is None or id_number is None \
            or registered is None or channel is None or visit_date is None:
        return None, problems
    return _Row(line=line, code=code, procedure=procedure, full_name=full_name, id_number=id_number,
                phone=phone, address=address, commune_id=commune[0], commune_code=commune[1],
                hamlet_id=hamlet_id, lat=lat, lon=lon, registered=registered, channel=channel,
                return_method=return_method, kind=kind, visit_date=visit_date,
                catalogue_version=ctx.catalogue.version), []


def _checked(check: Any, value: str, label: str, problems: list[str]) -> str | None:
    try:
        return str(check(value))
    except IdentityError as exc:
        problems.append(f"{label} '{value}': {exc}")
        return None


def _hamlet(code: str, commune: tuple[int, str] | None, ctx: _Context, problems: list[str]) -> int | None:
    if not code:
        return None
    hamlet = ctx.hamlets.get(code.upper())
    if hamlet is None:
        problems.append(f"Không có ấp/khóm mã '{code}' (unknown hamlet)")
        return None
    if commune is not None and hamlet[1] != commune[0]:
        problems.append(f"Ấp/khóm '{code}' không thuộc xã '{commune[1]}' (hamlet not in this commune)")
        return None
    return hamlet[0]


def _coordinates(lat_text: str, lon_text: str, problems: list[str]) -> tuple[float | None, float | None]:
    if not lat_text and not lon_text:
        return None, None
    try:
        lat, lon = float(lat_text.replace(",", ".")), float(lon_text.replace(",", "."))
    except ValueError:
        problems.append(f"Tọa độ '{lat_text}', '{lon_text}' phải là số, có cả vĩ độ và kinh độ "
                        "(coordinates must be two numbers)")
        return None, None
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        problems.append(f"Tọa độ ({lat}, {lon}) nằm ngoài Việt Nam, kiểm tra vĩ độ/kinh độ "
                        "(coordinates outside Vietnam)")
        return None, None
    return lat, lon


def _registered(text: str, today: date, problems: list[str]) -> datetime | None:
    if not text:
        return now_utc().astimezone(VN_TZ)
    day = _parse_date(text)
    if day is None:
        problems.append(f"Ngày đăng ký '{text}' sai định dạng, dùng YYYY-MM-DD hoặc DD/MM/YYYY (bad date)")
        return None
    if day > today:
        problems.append(f"Ngày đăng ký {day:%d/%m/%Y} ở tương lai (registration date in the future)")
        return None
    # A date without a time: count it as received at the start of office hours.
    return datetime.combine(day, time(8, 0), tzinfo=VN_TZ)


def _visit_date(text: str, registered: datetime | None, today: date, problems: list[str]) -> date | None:
    if not text:
        return max(today, registered.date()) if registered else today
    day = _parse_date(text)
    if day is None:
        problems.append(f"Ngày hẹn thăm '{text}' sai định dạng, dùng YYYY-MM-DD hoặc DD/MM/YYYY (bad date)")
        return None
    if registered is not None and day < registered.date():
        problems.append(f"Ngày hẹn thăm {day:%d/%m/%Y} trước ngày đăng ký (visit before registration)")
        return None
    return day


def _write_one(engine: Engine, row: _Row, source: str, report: ImportReport) -> None:
    """Write one row in its own transaction; a database refusal becomes that row's error."""
    try:
        with engine.begin() as conn:
            seq = next_seq(conn)  # first: its row lock serialises code allocation between importers
            already = _already_imported(conn, row)
            if already:
                report.skipped.append((row.line, f"Hồ sơ {already} đã có, không nhập lại (already imported)"))
                return
            citizen_id = _upsert_citizen(conn, row, seq)
            code = row.code or allocate_dossier_code(conn, row.commune_code, row.registered.date())
            dossier_id = _insert_dossier(conn, row, code, citizen_id, source)
            _insert_visit(conn, row, dossier_id, citizen_id)
    except IntegrityError as exc:
        report.errors.append((row.line, f"Cơ sở dữ liệu từ chối dòng này (database refused the row): "
                                        f"{exc.orig}"))
        return
    report.imported += 1
    report.visits += 1
    report.codes.append(code)


def _already_imported(conn: Connection, row: _Row) -> str | None:
    """The code of the dossier this row describes, if it is already in the database."""
    if row.code:
        return conn.execute(select(dossiers.c.code).where(dossiers.c.code == row.code)).scalar()
    # Without a code, the same person, procedure, commune and day of registration is the same dossier.
    day_start = datetime.combine(row.registered.date(), time(0, 0), tzinfo=VN_TZ)
    return conn.execute(
        select(dossiers.c.code).join(citizens, citizens.c.id == dossiers.c.citizen_id)
        .where(citizens.c.id_number == row.id_number, dossiers.c.procedure_code == row.procedure.code,
               dossiers.c.unit_id == row.commune_id,
               dossiers.c.registered_at >= utc_iso(day_start),
               dossiers.c.registered_at < utc_iso(day_start + timedelta(days=1)))
        .limit(1)).scalar()


def _upsert_citizen(conn: Connection, row: _Row, seq: int) -> int:
    existing = conn.execute(select(citizens).where(citizens.c.id_number == row.id_number)).first()
    values: dict[str, Any] = {"full_name": row.full_name, "address": row.address, "updated_at": now_iso(),
                              "seq": seq}
    # Fields the file leaves empty keep what we already know about the household.
    optional = {"phone": row.phone, "hamlet_id": row.hamlet_id}
    values.update({k: v for k, v in optional.items() if v is not None})
    if row.lat is not None:
        values.update(lat=row.lat, lon=row.lon, location_source=row.location_source,
                      location_precision=row.location_precision, location_note=row.location_note)
    if existing is None:
        return insert_id(conn, citizens, {"id_number": row.id_number, **values})
    conn.execute(update(citizens).where(citizens.c.id == existing.id).values(**values))
    if existing.full_name != row.full_name:
        # the name is part of the search key of every dossier the household already has
        refresh_search_text(conn, dossiers.c.citizen_id == existing.id)
    return int(existing.id)


def _insert_dossier(conn: Connection, row: _Row, code: str, citizen_id: int, source: str) -> int:
    # A delivery row is a dossier already processed at the desk: its result waits to go home.
    delivery = row.kind == "delivery"
    status = 9 if delivery else 1
    received = row.registered if delivery else None
    appointment = appointment_for(row.registered, row.procedure.time_limit_days) if delivery else None
    dossier_id = insert_id(conn, dossiers, {
        "code": code, "search_text": dossier_search_text(code, row.full_name, row.id_number),
        "procedure_code": row.procedure.code, "catalogue_version": row.catalogue_version,
        "citizen_id": citizen_id, "unit_id": row.commune_id, "hamlet_id": row.hamlet_id, "status": status,
        "channel": row.channel, "return_method": row.return_method, "registered_at": utc_iso(row.registered),
        "received_at": utc_iso(received) if received else None,
        "appointment_at": utc_iso(appointment) if appointment else None,
        "fee_vnd": row.procedure.fee.fee_for(1), "fee_paid_vnd": 0, "paid_online": False, "digitization": 0,
        "has_result_file": False, "supplement_requests": 0, "updated_at": now_iso(), "seq": next_seq(conn)})
    conn.execute(insert(dossier_status_log).values(
        dossier_id=dossier_id, from_status=None, to_status=status, at=now_iso(),
        note=f"Nhập từ tệp {source}, dòng {row.line}"))
    return dossier_id


def _insert_visit(conn: Connection, row: _Row, dossier_id: int, citizen_id: int) -> None:
    assignee = assignee_for(conn, row.commune_id, row.hamlet_id, row.channel, row.return_method, row.kind)
    conn.execute(insert(visits).values(
        kind=row.kind, dossier_id=dossier_id, citizen_id=citizen_id, assignee_id=assignee,
        unit_id=row.commune_id, planned_date=row.visit_date.isoformat(), status="planned", attempts=0,
        catalogue_version=row.catalogue_version, evidence={}, version=1, updated_at=now_iso(),
        seq=next_seq(conn)))


def assignee_for(conn: Connection, commune_id: int, hamlet_id: int | None, channel: int,
                 return_method: str, kind: str) -> int | None:
    """Who gets a new visit: postal worker for postal dossiers, else the hamlet's (or commune's) officer."""
    by_post = channel == 3 or (kind == "delivery" and return_method == "post")
    role = "postal_worker" if by_post else "hamlet_officer"
    for unit_id in (hamlet_id, commune_id):
        if unit_id is None:
            continue
        officer_id = conn.execute(
            select(officers.c.id).join(officer_units, officer_units.c.officer_id == officers.c.id)
            .where(officer_units.c.unit_id == unit_id, officers.c.role == role, officers.c.active.is_(True))
            .order_by(officers.c.id).limit(1)).scalar()
        if officer_id is not None:
            return int(officer_id)
    return None  # nobody covers this unit yet: a supervisor assigns it
