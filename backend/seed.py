"""Demo data for An Phú (An Giang): officers, households, dossiers and today's visits.

Everything is drawn from one seeded random generator, so the same seed and the same `today`
give the same database. Seeding twice is a no-op: the second call only reports counts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from api_client.domain.clock import VN_TZ, today_vn
from api_client.domain.timeliness import Outcome, add_working_days, appointment_for, outcome_of
from api_client.models import CataloguePublic, Procedure

from .db.changes import next_seq
from .db.schema import citizens, dossier_status_log, dossiers, officer_units, officers, units, visits
from .db.search import dossier_search_text
from .reference import (
    allocate_dossier_code,
    ensure_catalogues,
    ensure_units,
    insert_id,
    latest_catalogue,
    now_iso,
    utc_iso,
)
from .security import hash_password
from .seed_tracks import seed_tracks

DEMO_PASSWORD = "doorstep123"
CITIZEN_COUNT = 200
EXTRA_DOSSIERS = 10  # a few households have two dossiers open at once
TODAY_PER_OFFICER = 10  # visits planned for today per officer, so the demo route is full
OVERDUE_PER_OFFICER = 2


@dataclass(frozen=True)
class DemoOfficer:
    """A demo account: which communes it works in and, for hamlet officers, which hamlets."""

    username: str
    full_name: str
    role: str
    communes: tuple[str, ...]
    hamlets: tuple[int, int] | None = None  # slice of the first commune's hamlets; None = all
    province: bool = False
    phone: str | None = None


DEMO_OFFICERS: tuple[DemoOfficer, ...] = (
    DemoOfficer("canbo.anphu", "Nguyễn Văn Hùng", "hamlet_officer", ("An Phú",), (0, 7), phone="0913456701"),
    DemoOfficer("canbo2.anphu", "Trần Thị Mỹ Linh", "hamlet_officer", ("An Phú",), (7, 14),
                phone="0913456702"),
    DemoOfficer("canbo.vinhhau", "Lê Hoàng Phúc", "hamlet_officer", ("Vĩnh Hậu",), phone="0913456703"),
    DemoOfficer("canbo.nhonhoi", "Huỳnh Thị Ngọc Hân", "hamlet_officer", ("Nhơn Hội",), phone="0913456704"),
    DemoOfficer("canbo.khanhbinh", "Võ Minh Tâm", "hamlet_officer", ("Khánh Bình",), phone="0913456705"),
    DemoOfficer("canbo.phuhuu", "Phạm Quốc Bảo", "hamlet_officer", ("Phú Hữu",), phone="0913456706"),
    DemoOfficer("buudien.anphu", "Đặng Thanh Sơn", "postal_worker", ("An Phú", "Vĩnh Hậu"),
                phone="0889123401"),
    DemoOfficer("buudien.khanhbinh", "Châu Thị Kim Loan", "postal_worker",
                ("Khánh Bình", "Nhơn Hội", "Phú Hữu"), phone="0889123402"),
    DemoOfficer("giamsat.anphu", "Phan Thị Thu Hà", "supervisor", ("An Phú", "Vĩnh Hậu"), phone="0978123401"),
    DemoOfficer("giamsat.khanhbinh", "Dương Văn Lợi", "supervisor", ("Khánh Bình", "Nhơn Hội", "Phú Hữu"),
                phone="0978123402"),
    DemoOfficer("giamsat.angiang", "Lý Minh Khoa", "supervisor",
                ("An Phú", "Vĩnh Hậu", "Nhơn Hội", "Khánh Bình", "Phú Hữu"), province=True,
                phone="0978123403"),
)

# Share of households per commune: An Phú (the former town) is the most populous.
COMMUNE_WEIGHTS = {"An Phú": 36, "Vĩnh Hậu": 18, "Nhơn Hội": 16, "Khánh Bình": 15, "Phú Hữu": 15}
PROCEDURE_WEIGHTS = {"chung_thuc_ban_sao": 30, "khai_sinh": 18, "chung_thuc_chu_ky": 15,
                     "xac_nhan_hon_nhan": 12, "dang_ky_thuong_tru": 10, "ket_hon": 8, "khai_tu": 7}
# Mostly dossiers waiting for a pickup (1) or a delivery (9), the rest is history.
STATUS_WEIGHTS = {1: 40, 9: 16, 2: 9, 4: 12, 5: 3, 10: 17, 7: 2, 3: 1}
STATUS_CHAINS = {1: [1], 2: [1, 2], 3: [1, 3], 4: [1, 2, 4], 5: [1, 5], 7: [1, 7],
                 9: [1, 2, 4, 9], 10: [1, 2, 4, 9, 10]}

FAMILY_NAMES = {"Nguyễn": 30, "Trần": 11, "Lê": 9, "Phạm": 6, "Huỳnh": 6, "Võ": 5, "Phan": 4,
                "Trương": 3, "Đặng": 2, "Bùi": 2, "Đỗ": 2, "Hồ": 2, "Ngô": 2, "Dương": 2, "Lý": 2,
                "Châu": 2, "Đoàn": 1, "Lâm": 1, "Mai": 1, "Tô": 1}
MALE_MIDDLE = ["Văn", "Hữu", "Minh", "Quốc", "Thanh", "Công", "Đức", "Hoàng", "Tấn", "Phước"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim", "Mỹ", "Thanh", "Bích", "Hồng"]
MALE_GIVEN = ["Hùng", "Dũng", "Tài", "Phúc", "Lộc", "Thành", "Tuấn", "Khang", "Nghĩa", "Hòa", "Tâm",
              "Bảo", "Trí", "Hiếu", "Sơn", "Long", "Hải", "Đạt", "Nhân", "Vinh", "Quang", "Thắng",
              "Tín", "Lợi"]
FEMALE_GIVEN = ["Lan", "Hoa", "Hương", "Mai", "Thảo", "Trang", "Ngân", "Hạnh", "Nhung", "Loan",
                "Phượng", "Yến", "Tuyết", "Dung", "Diễm", "Trinh", "Thủy", "Cúc", "Huệ", "Vân", "Linh",
                "Nhi"]
# Province of birth registration: most residents were born in An Giang.
ID_PROVINCES = {"089": 85, "087": 5, "091": 5, "079": 5}
PHONE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "059", "070",
                  "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "088", "089",
                  "090", "091", "093", "094", "096", "097", "098"]
VISIT_NOTES = ["Gọi điện trước khi đến", "Nhà cuối hẻm, cạnh chợ", "Người dân chỉ ở nhà buổi chiều",
               "Nhà sau chùa, đi theo bờ kênh", "Người cao tuổi, cần hỗ trợ viết hộ"]
WINDOWS = [("07:30", "11:00"), ("13:30", "17:00")]


@dataclass
class SeedSummary:
    """What seed_demo did (or found, when the database was already seeded)."""

    created: bool
    units: int = 0
    officers: int = 0
    citizens: int = 0
    dossiers: int = 0
    visits: int = 0
    visits_today: dict[str, int] = field(default_factory=dict)
    password: str = DEMO_PASSWORD

    def logins(self) -> list[tuple[str, str, str]]:
        """(username, role, full name) of every demo account."""
        return [(o.username, o.role, o.full_name) for o in DEMO_OFFICERS]


@dataclass
class _Place:
    id: int
    code: str
    name: str
    lat: float
    lon: float
    hamlets: list[_Place] = field(default_factory=list)


@dataclass
class _Staff:
    ids: dict[str, int]
    hamlet_officer: dict[int, int]  # hamlet id -> officer id
    postal: dict[int, int]  # commune id -> officer id


@dataclass
class _Plan:
    """One dossier to write, with the timeline its status implies."""

    citizen: dict[str, Any]
    commune: _Place
    procedure: Procedure
    status: int
    channel: int
    return_method: str
    registered: datetime
    received: datetime | None = None
    appointment: datetime | None = None
    ready: datetime | None = None
    returned: datetime | None = None
    pages: int = 1
    note: str | None = None


def seed_demo(engine: Engine, *, today: date | None = None, rng_seed: int = 7) -> SeedSummary:
    """Load reference data and the demo world in one transaction; a no-op if already seeded."""
    today = today or today_vn()
    rng = random.Random(rng_seed)
    with engine.begin() as conn:
        ensure_units(conn)
        ensure_catalogues(conn)
        if _already_seeded(conn):
            return _summary(conn, today, created=False)
        catalogue = latest_catalogue(conn)
        assert catalogue is not None  # ensure_catalogues just loaded the shipped versions
        communes = _load_communes(conn)
        staff = _create_officers(conn, communes)
        people = _create_citizens(conn, communes, rng)
        plans = _plan_dossiers(rng, people, communes, catalogue, today)
        _write_dossiers(conn, plans, staff, catalogue.version, today, rng)
        seed_tracks(conn, catalogue, today, rng_seed)  # issue 5: today's tracks for the board
        return _summary(conn, today, created=True)


def is_demo_seeded(engine: Engine) -> bool:
    """Whether the demo accounts exist already."""
    with engine.connect() as conn:
        return _already_seeded(conn)


def _already_seeded(conn: Connection) -> bool:
    names = [o.username for o in DEMO_OFFICERS]
    return conn.execute(select(func.count()).select_from(officers)
                        .where(officers.c.username.in_(names))).scalar_one() > 0


def _summary(conn: Connection, today: date, *, created: bool) -> SeedSummary:
    def count(table: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    rows = conn.execute(
        select(officers.c.username, func.count(visits.c.id))
        .join(visits, visits.c.assignee_id == officers.c.id)
        .where(visits.c.planned_date == today.isoformat(), visits.c.status == "planned")
        .group_by(officers.c.username))
    return SeedSummary(created=created, units=count(units), officers=count(officers),
                       citizens=count(citizens), dossiers=count(dossiers), visits=count(visits),
                       visits_today={name: int(n) for name, n in rows})


def _load_communes(conn: Connection) -> dict[str, _Place]:
    rows = conn.execute(select(units).order_by(units.c.code)).all()
    communes = {r.id: _Place(r.id, r.code, r.name, r.lat, r.lon) for r in rows if r.level == "commune"}
    for r in rows:
        if r.level == "hamlet" and r.parent_id in communes:
            communes[r.parent_id].hamlets.append(_Place(r.id, r.code, r.name, r.lat, r.lon))
    return {c.name: c for c in communes.values()}


def _create_officers(conn: Connection, communes: dict[str, _Place]) -> _Staff:
    staff = _Staff(ids={}, hamlet_officer={}, postal={})
    province_id = conn.execute(select(units.c.id).where(units.c.level == "province")).scalar()
    for spec in DEMO_OFFICERS:
        officer_id = insert_id(conn, officers, {
            "username": spec.username, "password_hash": hash_password(DEMO_PASSWORD),
            "full_name": spec.full_name, "role": spec.role, "phone": spec.phone, "active": True,
            "created_at": now_iso()})
        staff.ids[spec.username] = officer_id
        unit_ids = [communes[name].id for name in spec.communes]
        if spec.province and province_id is not None:
            unit_ids.insert(0, province_id)
        if spec.role == "hamlet_officer":
            home = communes[spec.communes[0]]
            start, stop = spec.hamlets or (0, len(home.hamlets))
            for hamlet in home.hamlets[start:stop]:
                unit_ids.append(hamlet.id)
                staff.hamlet_officer[hamlet.id] = officer_id
        if spec.role == "postal_worker":
            staff.postal.update({uid: officer_id for uid in unit_ids})
        conn.execute(insert(officer_units), [{"officer_id": officer_id, "unit_id": u} for u in unit_ids])
    return staff


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _full_name(rng: random.Random, male: bool) -> str:
    family = _weighted(rng, FAMILY_NAMES)
    middle = rng.choice(MALE_MIDDLE if male else FEMALE_MIDDLE)
    given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
    return f"{family} {middle} {given}"


def _citizen_id(rng: random.Random, birth: date, male: bool, used: set[str]) -> str:
    """A valid 12-digit ID: province, gender+century digit, 2-digit year, 6 random digits."""
    century_digit = (0 if birth.year < 2000 else 2) + (0 if male else 1)
    while True:
        number = (f"{_weighted(rng, ID_PROVINCES)}{century_digit}{birth.year % 100:02d}"
                  f"{rng.randrange(10**6):06d}")
        if number not in used:
            used.add(number)
            return number


def _phone(rng: random.Random, used: set[str]) -> str:
    while True:
        number = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"
        if number not in used:
            used.add(number)
            return number


def _create_citizens(conn: Connection, communes: dict[str, _Place],
                     rng: random.Random) -> list[dict[str, Any]]:
    used_ids: set[str] = set(conn.execute(select(citizens.c.id_number)).scalars())
    used_phones: set[str] = set()
    people = []
    for _ in range(CITIZEN_COUNT):
        commune = communes[_weighted(rng, COMMUNE_WEIGHTS)]
        hamlet = rng.choice(commune.hamlets)
        male = rng.random() < 0.48
        birth = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
        row = {
            "full_name": _full_name(rng, male),
            "id_number": _citizen_id(rng, birth, male, used_ids),
            "phone": _phone(rng, used_phones) if rng.random() < 0.93 else None,
            "address": f"Số {rng.randint(1, 350)}, {hamlet.name}, xã {commune.name}, tỉnh An Giang",
            "hamlet_id": hamlet.id,
            # Houses lie within a few hundred metres of the hamlet centre.
            "lat": round(hamlet.lat + rng.uniform(-0.004, 0.004), 6),
            "lon": round(hamlet.lon + rng.uniform(-0.004, 0.004), 6),
            "location_source": "imported",
            "location_precision": "exact",
            "birth_date": birth.isoformat(),
            "updated_at": now_iso(),
            "seq": next_seq(conn),
        }
        row["id"] = insert_id(conn, citizens, row)
        row["commune"] = commune.name
        people.append(row)
    return people


def _local(day: date, rng: random.Random, start: int = 8, end: int = 16) -> datetime:
    minutes = rng.randint(start * 60, end * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=VN_TZ)


def _plan_dossiers(rng: random.Random, people: list[dict[str, Any]], communes: dict[str, _Place],
                   catalogue: CataloguePublic, today: date) -> list[_Plan]:
    owners = people + [rng.choice(people) for _ in range(EXTRA_DOSSIERS)]
    plans = []
    for person in owners:
        procedure = catalogue.procedure(_weighted(rng, PROCEDURE_WEIGHTS))
        assert procedure is not None  # the weights name procedures of the shipped catalogue
        channel = rng.choices([1, 3, 2], weights=[80, 14, 6])[0]
        if channel == 3:
            return_method = "post"
        else:
            return_method = rng.choices(["home", "desk"], weights=[85, 15])[0]
        plan = _Plan(citizen=person, commune=communes[person["commune"]], procedure=procedure,
                     status=_weighted(rng, STATUS_WEIGHTS), channel=channel, return_method=return_method,
                     registered=_local(today, rng), pages=rng.randint(1, 6),
                     note=rng.choice(VISIT_NOTES) if rng.random() < 0.2 else None)
        _set_timeline(plan, rng, today)
        plans.append(plan)
    # Codes are numbered in order of registration within each unit and day.
    return sorted(plans, key=lambda p: p.registered)


def _set_timeline(plan: _Plan, rng: random.Random, today: date) -> None:
    """Registration, receipt, appointment, ready and return times consistent with the status."""
    back = {1: (3, 8), 2: (2, 6), 3: (2, 10), 4: (3, 12), 5: (2, 8), 7: (3, 15), 9: (5, 20),
            10: (10, 45)}[plan.status]
    plan.registered = _local(today - timedelta(days=rng.randint(*back)), rng, 7, 16)
    if plan.status in (1, 3, 5, 7):
        return
    plan.received = plan.registered + timedelta(hours=rng.randint(2, 26))
    plan.appointment = appointment_for(plan.received, plan.procedure.time_limit_days)
    if plan.status in (2, 4):
        return
    latest_ready = datetime.combine(today - timedelta(days=2), time(16, 0), tzinfo=VN_TZ)
    plan.ready = min(plan.received + timedelta(hours=rng.randint(2, 30)), latest_ready)
    if plan.status == 10:
        target = plan.appointment.date() + timedelta(days=rng.choice([-1, 0, 0, 0, 1, 2]))
        day = min(max(target, plan.ready.date()), today - timedelta(days=1))
        plan.returned = max(_local(day, rng, 8, 16), plan.ready + timedelta(hours=1))


def _write_dossiers(conn: Connection, plans: list[_Plan], staff: _Staff, version: int, today: date,
                    rng: random.Random) -> None:
    open_visits: list[tuple[dict[str, Any], _Plan]] = []
    for plan in plans:
        dossier_id = _insert_dossier(conn, plan, staff, version, rng)
        _insert_status_log(conn, dossier_id, plan)
        open_visits.extend((row, plan) for row in _insert_visits(conn, dossier_id, plan, staff, version))
    _schedule_open_visits(conn, open_visits, today, rng)


def _insert_dossier(conn: Connection, plan: _Plan, staff: _Staff, version: int, rng: random.Random) -> int:
    seq = next_seq(conn)  # taken first: its row lock serialises code allocation
    received_or_later = plan.status in (2, 4, 9, 10)
    # the officers _insert_visits gives the completed pickup / delivery visits (none at the desk)
    received_by = _assignee(plan, staff, "pickup") if plan.received and plan.channel != 2 else None
    returned_by = (_assignee(plan, staff, "delivery")
                   if plan.returned and plan.return_method != "desk" else None)
    fee = plan.procedure.fee.fee_for(plan.pages)
    last_change = plan.returned or plan.ready or plan.received or plan.registered
    code = allocate_dossier_code(conn, plan.commune.code, plan.registered.date())
    search_text = dossier_search_text(code, plan.citizen["full_name"], plan.citizen["id_number"])
    return insert_id(conn, dossiers, dict(
        code=code, search_text=search_text,
        procedure_code=plan.procedure.code, catalogue_version=version, citizen_id=plan.citizen["id"],
        unit_id=plan.commune.id, hamlet_id=plan.citizen["hamlet_id"], status=plan.status,
        channel=plan.channel, return_method=plan.return_method, registered_at=utc_iso(plan.registered),
        received_at=utc_iso(plan.received) if plan.received else None,
        appointment_at=utc_iso(plan.appointment) if plan.appointment else None,
        returned_at=utc_iso(plan.returned) if plan.returned else None,
        received_by=received_by, returned_by=returned_by,
        fee_vnd=fee, fee_paid_vnd=fee if received_or_later else 0,
        paid_online=bool(received_or_later and fee and rng.random() < 0.45),
        digitization=1 if received_or_later and rng.random() < 0.7 else 0,
        has_result_file=plan.status in (9, 10) and rng.random() < 0.75,
        supplement_requests=1 if plan.status == 5 else 0,
        on_time=_on_time(plan), note=plan.note, updated_at=utc_iso(last_change), seq=seq,
    ))


def _on_time(plan: _Plan) -> bool | None:
    if plan.returned is None or plan.appointment is None:
        return None
    return outcome_of(plan.returned, plan.appointment) != Outcome.LATE


def _insert_status_log(conn: Connection, dossier_id: int, plan: _Plan) -> None:
    processing = plan.received + timedelta(hours=1) if plan.received else None
    moments = {1: plan.registered, 2: plan.received, 4: processing, 9: plan.ready, 10: plan.returned}
    chain = STATUS_CHAINS[plan.status]
    rows = []
    for previous, status in zip([None, *chain[:-1]], chain):
        at = moments.get(status) or plan.registered + timedelta(hours=3)
        rows.append({"dossier_id": dossier_id, "from_status": previous, "to_status": status,
                     "at": utc_iso(at), "note": "Dữ liệu mẫu" if previous is None else None})
    conn.execute(insert(dossier_status_log), rows)


def _assignee(plan: _Plan, staff: _Staff, kind: str) -> int | None:
    # Postal dossiers, and results going back by post, are the postal worker's.
    by_post = plan.channel == 3 or (kind == "delivery" and plan.return_method == "post")
    if by_post:
        return staff.postal.get(plan.commune.id)
    return staff.hamlet_officer.get(plan.citizen["hamlet_id"])


def _visit_row(conn: Connection, dossier_id: int, plan: _Plan, kind: str, assignee: int | None,
               version: int, **values: Any) -> dict[str, Any]:
    row = {"kind": kind, "dossier_id": dossier_id, "citizen_id": plan.citizen["id"], "assignee_id": assignee,
           "unit_id": plan.commune.id, "status": "planned", "attempts": 0, "catalogue_version": version,
           "evidence": {}, "version": 1, "updated_at": now_iso(), "notice": plan.note}
    row.update(values)
    if row["status"] != "planned":
        row["seq"] = next_seq(conn)
        conn.execute(insert(visits).values(**row))
    return row


def _insert_visits(conn: Connection, dossier_id: int, plan: _Plan, staff: _Staff,
                   version: int) -> list[dict[str, Any]]:
    """Write history visits now; return the open ones, to be dated by _schedule_open_visits."""
    pickup_by = _assignee(plan, staff, "pickup")
    done = {"evidence": {"source": "demo_seed"}}
    # Dossiers filed online (channel 2) have nothing to pick up, only results to bring back.
    at_door = plan.channel != 2
    if plan.received is not None and at_door:
        _visit_row(conn, dossier_id, plan, "pickup", pickup_by, version, status="completed", attempts=1,
                   planned_date=plan.received.date().isoformat(), completed_at=utc_iso(plan.received),
                   updated_at=utc_iso(plan.received), **done)
    if plan.status == 5 and at_door:
        at = plan.registered + timedelta(hours=3)
        _visit_row(conn, dossier_id, plan, "pickup", pickup_by, version, status="completed", attempts=1,
                   planned_date=at.date().isoformat(), completed_at=utc_iso(at), updated_at=utc_iso(at),
                   **done)
    if plan.status == 7 and at_door:
        _visit_row(conn, dossier_id, plan, "pickup", pickup_by, version, status="cancelled",
                   planned_date=plan.registered.date().isoformat(), updated_at=utc_iso(plan.registered))
    if plan.status == 10 and plan.returned is not None and plan.return_method != "desk":
        _visit_row(conn, dossier_id, plan, "delivery", _assignee(plan, staff, "delivery"), version,
                   status="completed", attempts=1, planned_date=plan.returned.date().isoformat(),
                   completed_at=utc_iso(plan.returned), updated_at=utc_iso(plan.returned), **done)
    if plan.status == 1 and at_door:
        return [_visit_row(conn, dossier_id, plan, "pickup", pickup_by, version)]
    if plan.status == 9 and plan.return_method != "desk":
        return [_visit_row(conn, dossier_id, plan, "delivery", _assignee(plan, staff, "delivery"), version)]
    return []


def _schedule_open_visits(conn: Connection, rows: list[tuple[dict[str, Any], _Plan]], today: date,
                          rng: random.Random) -> None:
    """Per officer: a couple overdue, a full route today, the rest over the next working days."""
    by_officer: dict[int | None, list[tuple[dict[str, Any], _Plan]]] = {}
    for row, plan in rows:
        by_officer.setdefault(row["assignee_id"], []).append((row, plan))
    for officer_rows in by_officer.values():
        for index, (row, plan) in enumerate(officer_rows):
            if index < OVERDUE_PER_OFFICER:
                planned = today - timedelta(days=index + 1)
            elif index < OVERDUE_PER_OFFICER + TODAY_PER_OFFICER:
                planned = today
            else:
                planned = add_working_days(today, 1 + index % 4)
            window = WINDOWS[index % 2]
            row.update(planned_date=planned.isoformat(), window_start=window[0], window_end=window[1])
            if rng.random() < 0.15:
                _insert_failed_attempt(conn, row, plan, planned)
            row["seq"] = next_seq(conn)
            conn.execute(insert(visits).values(**row))


def _insert_failed_attempt(conn: Connection, row: dict[str, Any], plan: _Plan, planned: date) -> None:
    """An earlier visit nobody answered; the open visit is its rescheduled attempt."""
    earliest = (plan.ready or plan.registered).date()
    day = max(earliest, planned - timedelta(days=3))
    if day >= planned:
        return  # no room for an earlier attempt between registration and this visit
    at = datetime.combine(day, time(15, 20), tzinfo=VN_TZ)
    conn.execute(insert(visits).values(
        {**row, "planned_date": day.isoformat(), "status": "failed", "attempts": 1,
         "failure_reason": "nobody_home", "failure_note": "Gia đình đi vắng, hàng xóm nhắn lại",
         "proposed_date": planned.isoformat(), "completed_at": utc_iso(at), "updated_at": utc_iso(at),
         "seq": next_seq(conn)}))
    row["attempts"] = 1
