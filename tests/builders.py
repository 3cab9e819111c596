"""Test-data builders: insert units, officers, a catalogue, citizens, dossiers and visits directly.

Independent of backend/seed.py on purpose: tests control every value. Each builder takes a
Connection inside a transaction (use `with engine.begin() as conn:`) and stamps seq with
`next_seq`, as the server does. `world(engine)` builds the standard scenario most tests use.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from api_client.domain.clock import now_utc, today_vn
from api_client.domain.codes import make_dossier_code
from backend.db.changes import next_seq
from backend.db.schema import (
    auth_sessions,
    catalogues,
    citizens,
    dossiers,
    officer_units,
    officers,
    units,
    visits,
)
from backend.db.search import dossier_search_text
from backend.security import hash_password, make_token

PASSWORD = "matkhau123"
_counter = itertools.count(1)
_HASHES: dict[str, str] = {}


def _now() -> str:
    return now_utc().isoformat()


def _hash(password: str) -> str:
    # scrypt is slow on purpose; tests reuse one hash per password
    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    return _HASHES[password]


def unit(conn: Connection, code: str, name: str, level: str, parent_id: int | None = None,
         lat: float | None = None, lon: float | None = None) -> int:
    """Insert one unit and return its id."""
    return int(conn.execute(insert(units).values(code=code, name=name, level=level, parent_id=parent_id,
                                                 lat=lat, lon=lon).returning(units.c.id)).scalar_one())


def unit_tree(conn: Connection, commune_code: str = "000.00.21.H01", commune_name: str = "Xã An Phú",
              hamlets: int = 2, province_id: int | None = None) -> dict[str, Any]:
    """A province (unless given) -> one commune -> `hamlets` hamlets; returns their ids."""
    if province_id is None:
        province_id = unit(conn, f"P{next(_counter)}", "Tỉnh An Giang", "province")
    commune = unit(conn, commune_code, commune_name, "commune", province_id, 10.871, 105.087)
    hamlet_ids = [unit(conn, f"{commune_code}.A{i}", f"Ấp {i} {commune_name}", "hamlet", commune,
                       10.87 + i / 1000, 105.08 + i / 1000) for i in range(1, hamlets + 1)]
    return {"province": province_id, "commune": commune, "hamlets": hamlet_ids}


def officer(conn: Connection, username: str, role: str = "hamlet_officer",
            unit_ids: list[int] | None = None, password: str = PASSWORD, active: bool = True,
            full_name: str | None = None) -> int:
    """Insert an officer (role hamlet_officer | postal_worker | supervisor) with a password."""
    oid = int(conn.execute(insert(officers).values(
        username=username, password_hash=_hash(password), full_name=full_name or f"Cán bộ {username}",
        role=role, phone="0912345678", active=active, created_at=_now(),
    ).returning(officers.c.id)).scalar_one())
    for uid in unit_ids or []:
        conn.execute(insert(officer_units).values(officer_id=oid, unit_id=uid))
    return oid


def catalogue_body() -> dict[str, Any]:
    """A minimal catalogue: birth registration (free, same day), certified copy (per page), 3-day one."""
    return {"procedures": [
        {"code": "khai_sinh", "name": "Đăng ký khai sinh", "name_en": "Birth registration",
         "documents": [
             {"code": "to_khai", "name": "Tờ khai đăng ký khai sinh"},
             {"code": "giay_chung_sinh", "name": "Giấy chứng sinh"},
             {"code": "cccd_cha_me", "name": "Căn cước của cha mẹ", "shown_only": True},
         ],
         "fee": {"kind": "free"}, "time_limit_days": 0, "result_document": "Giấy khai sinh",
         "letter": "congratulation"},
        {"code": "chung_thuc_ban_sao", "name": "Chứng thực bản sao từ bản chính",
         "documents": [{"code": "ban_chinh", "name": "Bản chính"}, {"code": "ban_sao", "name": "Bản sao"}],
         "fee": {"kind": "per_page", "first_pages_vnd": 2000, "next_pages_vnd": 1000, "cap_vnd": 200000},
         "time_limit_days": 0, "result_document": "Bản sao có chứng thực"},
        {"code": "xac_nhan_hon_nhan", "name": "Xác nhận tình trạng hôn nhân",
         "documents": [{"code": "to_khai", "name": "Tờ khai"}],
         "fee": {"kind": "flat", "amount_vnd": 0}, "time_limit_days": 3,
         "result_document": "Giấy xác nhận tình trạng hôn nhân"},
    ]}


def catalogue(conn: Connection, version: int = 1, body: dict[str, Any] | None = None) -> int:
    """Publish a catalogue version."""
    conn.execute(insert(catalogues).values(version=version, published_at=_now(),
                                           body=body or catalogue_body(), seq=next_seq(conn)))
    return version


def citizen_id_number(n: int | None = None, birth_year: int = 1985, female: bool = False) -> str:
    """A valid 12-digit ID: province 089 (An Giang), century/gender digit, year, 6 digits."""
    century_digit = {1900: 0, 2000: 2}[birth_year // 100 * 100] + (1 if female else 0)
    serial = n if n is not None else next(_counter)
    return f"089{century_digit}{birth_year % 100:02d}{serial % 1_000_000:06d}"


def citizen(conn: Connection, full_name: str = "Nguyễn Văn An", hamlet_id: int | None = None,
            id_number: str | None = None, birth_year: int = 1985, phone: str | None = "0987654321",
            lat: float = 10.871, lon: float = 105.087) -> int:
    """Insert a citizen with a valid ID consistent with the birth year."""
    return int(conn.execute(insert(citizens).values(
        full_name=full_name, id_number=id_number or citizen_id_number(birth_year=birth_year), phone=phone,
        address=f"Tổ 1, {full_name}", hamlet_id=hamlet_id, lat=lat, lon=lon,
        birth_date=f"{birth_year}-05-17", updated_at=_now(), seq=next_seq(conn)).returning(citizens.c.id)
    ).scalar_one())


def dossier(conn: Connection, citizen_id: int, unit_id: int, procedure_code: str = "khai_sinh",
            status: int = 1, hamlet_id: int | None = None, catalogue_version: int = 1,
            appointment_at: str | None = None, **extra: Any) -> int:
    """Insert a dossier (status 1 for a pickup, 9 for a delivery) with a proper dossier code."""
    unit_code = conn.execute(select(units.c.code).where(units.c.id == unit_id)).scalar_one()
    code = make_dossier_code(unit_code, today_vn(), next(_counter) % 9999 + 1)
    values = dict(code=code, procedure_code=procedure_code, catalogue_version=catalogue_version,
                  citizen_id=citizen_id, unit_id=unit_id, hamlet_id=hamlet_id, status=status, channel=1,
                  return_method="home", registered_at=_now(), appointment_at=appointment_at,
                  fee_vnd=0, fee_paid_vnd=0, paid_online=False, digitization=0, has_result_file=False,
                  supplement_requests=0, updated_at=_now(), seq=next_seq(conn))
    values.update(extra)
    # as the server's write paths do, so GET /dossiers?q= finds it (after `extra`: it may set the code)
    person = conn.execute(select(citizens.c.full_name, citizens.c.id_number)
                          .where(citizens.c.id == citizen_id)).one()
    values.setdefault("search_text", dossier_search_text(values["code"], person.full_name, person.id_number))
    return int(conn.execute(insert(dossiers).values(**values).returning(dossiers.c.id)).scalar_one())


def visit(conn: Connection, dossier_id: int, assignee_id: int | None, kind: str = "pickup",
          planned_date: str | None = None, status: str = "planned") -> int:
    """Insert a visit for a dossier (citizen and unit copied from the dossier)."""
    d = conn.execute(select(dossiers).where(dossiers.c.id == dossier_id)).mappings().one()
    vid = int(conn.execute(insert(visits).values(
        kind=kind, dossier_id=dossier_id, citizen_id=d["citizen_id"], assignee_id=assignee_id,
        unit_id=d["unit_id"], planned_date=planned_date or today_vn().isoformat(), status=status,
        attempts=0, catalogue_version=d["catalogue_version"], evidence={}, version=1, updated_at=_now(),
        seq=next_seq(conn)).returning(visits.c.id)).scalar_one())
    # keep the server's invariant: a received / returned dossier names the officer of its completed
    # pickup / delivery (what applying the event stamps)
    stamp = {"pickup": ("received_at", "received_by"), "delivery": ("returned_at", "returned_by")}.get(kind)
    if status == "completed" and stamp and d[stamp[0]] is not None:
        conn.execute(update(dossiers).where(dossiers.c.id == dossier_id).values({stamp[1]: assignee_id}))
    return vid


@dataclass
class World:
    """The standard scenario: commune X (officers a, b, postal p, supervisor sx) and commune Y (sy)."""

    x: dict[str, Any]
    y: dict[str, Any]
    officer_a: int
    officer_b: int
    postal: int
    supervisor_x: int
    supervisor_y: int
    citizens: dict[str, int] = field(default_factory=dict)
    citizen_ids: dict[str, str] = field(default_factory=dict)
    dossiers: dict[str, int] = field(default_factory=dict)
    visits: dict[str, int] = field(default_factory=dict)


def world(engine: Engine) -> World:
    """Units, officers (password PASSWORD), catalogue v1 and a few dossiers + visits.

    dossiers/visits keys: 'pickup_a' (status 1, visit of a), 'pickup_a2' (status 1, visit of a,
    certified copy), 'delivery_a' (status 9, delivery visit of a), 'pickup_b' (status 1, visit of b),
    'y_pickup' (commune Y, unassigned visit).
    """
    with engine.begin() as conn:
        x = unit_tree(conn, "000.00.21.H01", "Xã An Phú")
        y = unit_tree(conn, "000.00.22.H01", "Xã Vĩnh Hậu", province_id=x["province"])
        w = World(
            x=x, y=y,
            officer_a=officer(conn, "can_bo_a", "hamlet_officer", [x["hamlets"][0]]),
            officer_b=officer(conn, "can_bo_b", "hamlet_officer", [x["hamlets"][1]]),
            postal=officer(conn, "buu_ta", "postal_worker", [x["commune"]]),
            supervisor_x=officer(conn, "giam_sat_x", "supervisor", [x["commune"]]),
            supervisor_y=officer(conn, "giam_sat_y", "supervisor", [y["commune"]]),
        )
        catalogue(conn, 1)
        for key, name in [("an", "Nguyễn Văn An"), ("binh", "Trần Thị Bình"), ("cuong", "Đặng Văn Cường"),
                          ("dung", "Lê Văn Dũng")]:
            number = citizen_id_number(birth_year=1985)
            w.citizen_ids[key] = number
            hamlet = y["hamlets"][0] if key == "dung" else x["hamlets"][0]
            w.citizens[key] = citizen(conn, name, hamlet_id=hamlet, id_number=number)
        w.dossiers["pickup_a"] = dossier(conn, w.citizens["an"], x["commune"], hamlet_id=x["hamlets"][0])
        w.dossiers["pickup_a2"] = dossier(conn, w.citizens["an"], x["commune"], "chung_thuc_ban_sao",
                                          hamlet_id=x["hamlets"][0])
        w.dossiers["delivery_a"] = dossier(
            conn, w.citizens["binh"], x["commune"], status=9, hamlet_id=x["hamlets"][0],
            received_at=_now(), appointment_at=datetime(2099, 1, 1, 10, tzinfo=UTC).isoformat())
        w.dossiers["pickup_b"] = dossier(conn, w.citizens["cuong"], x["commune"], hamlet_id=x["hamlets"][1])
        w.dossiers["y_pickup"] = dossier(conn, w.citizens["dung"], y["commune"], hamlet_id=y["hamlets"][0])
        w.visits["pickup_a"] = visit(conn, w.dossiers["pickup_a"], w.officer_a)
        w.visits["pickup_a2"] = visit(conn, w.dossiers["pickup_a2"], w.officer_a)
        w.visits["delivery_a"] = visit(conn, w.dossiers["delivery_a"], w.officer_a, kind="delivery")
        w.visits["pickup_b"] = visit(conn, w.dossiers["pickup_b"], w.officer_b)
        w.visits["y_pickup"] = visit(conn, w.dossiers["y_pickup"], None)
    return w


def session_token(engine: Engine, secret: str, officer_id: int, ttl_seconds: int = 3600,
                  device_id: str = "test-device", revoked_reason: str | None = None) -> str:
    """An access token of a new login session (no refresh token) made directly in the database.

    ttl_seconds < 0 gives an already expired token; revoked_reason ("logout", ...) a revoked session.
    """
    session_id = str(uuid.uuid4())
    now = now_utc()
    with engine.begin() as conn:
        conn.execute(insert(auth_sessions).values(
            id=session_id, officer_id=officer_id, device_id=device_id, created_at=now.isoformat(),
            expires_at=(now + timedelta(days=1)).isoformat(),
            revoked_at=now.isoformat() if revoked_reason else None, revoked_reason=revoked_reason))
    token, _ = make_token(secret, officer_id, ttl_seconds, now.timestamp(), session_id=session_id)
    return token
