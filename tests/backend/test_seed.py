"""Demo seed: reference data files, counts, valid identities, dossier codes, today's routes."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from api_client.domain.clock import VN_TZ
from api_client.domain.codes import parse_dossier_code
from api_client.domain.identity import check_citizen_id, check_phone
from api_client.models import CataloguePublic
from backend.config import Settings
from backend.db.engine import make_engine
from backend.db.migrations import migrate
from backend.db.schema import catalogues, citizens, dossiers, officer_units, officers, units, visits
from backend.reference import CATALOGUE_DIR, UNITS_FILE, read_units_file
from backend.seed import DEMO_OFFICERS, seed_demo

TODAY = date(2025, 9, 24)  # a Wednesday


def fresh_engine(path: Path, database_url: str | None = None) -> Engine:
    """A migrated, empty database of our own (independent of the API fixtures)."""
    engine = make_engine(Settings(data_dir=path, database_url=database_url, secret_key="test"))
    migrate(engine)
    return engine


@pytest.fixture
def seeded(tmp_path: Path, db_url: str | None) -> Engine:
    """A freshly seeded database, on SQLite and on PostgreSQL."""
    engine = fresh_engine(tmp_path, db_url)
    summary = seed_demo(engine, today=TODAY)
    assert summary.created is True
    return engine


def test_catalogue_file_validates_with_expected_rules() -> None:
    raw = json.loads((CATALOGUE_DIR / "v1.json").read_text(encoding="utf-8"))
    catalogue = CataloguePublic.model_validate(raw)
    assert catalogue.version == 1
    assert [p.code for p in catalogue.procedures] == [
        "khai_sinh", "khai_tu", "ket_hon", "xac_nhan_hon_nhan", "chung_thuc_ban_sao", "chung_thuc_chu_ky",
        "dang_ky_thuong_tru"]
    copy = catalogue.procedure("chung_thuc_ban_sao")
    assert copy is not None
    assert copy.fee.fee_for(1) == 2000
    assert copy.fee.fee_for(5) == 2 * 2000 + 3 * 1000
    assert copy.fee.fee_for(500) == 200_000
    signature = catalogue.procedure("chung_thuc_chu_ky")
    assert signature is not None and signature.fee.fee_for() == 10_000
    residence = catalogue.procedure("dang_ky_thuong_tru")
    assert residence is not None and residence.fee.fee_for() == 20_000 and residence.time_limit_days == 7
    marital = catalogue.procedure("xac_nhan_hon_nhan")
    assert marital is not None and marital.time_limit_days == 3 and marital.fee.fee_for() == 0
    birth = catalogue.procedure("khai_sinh")
    assert birth is not None and birth.result_document == "Giấy khai sinh" and birth.time_limit_days == 0
    shown = {d.code for d in birth.documents if d.shown_only}
    optional = {d.code for d in birth.documents if not d.required}
    assert shown == {"cccd_cha_me"} and optional == {"uy_quyen"}
    gender = next(f for f in birth.form_fields if f.key == "gioi_tinh")
    assert gender.kind == "choice" and gender.choices == ["Nam", "Nữ"]
    letters = {p.code: p.letter for p in catalogue.procedures if p.letter}
    assert letters == {"khai_tu": "condolence", "ket_hon": "congratulation"}


def test_units_file_has_five_communes_and_58_hamlets_in_the_area() -> None:
    specs = read_units_file(UNITS_FILE)
    levels = Counter(s.level for s in specs)
    assert levels == {"province": 1, "commune": 5, "hamlet": 58}
    communes = {s.code: s.name for s in specs if s.level == "commune"}
    assert sorted(communes.values()) == ["An Phú", "Khánh Bình", "Nhơn Hội", "Phú Hữu", "Vĩnh Hậu"]
    for spec in specs:
        if spec.level != "province":
            assert spec.lat is not None and spec.lon is not None
            assert 10.70 <= spec.lat <= 10.98 and 105.02 <= spec.lon <= 105.20, spec
        if spec.level == "hamlet":
            assert spec.parent_code in communes
            assert spec.name.startswith(("Ấp ", "Khóm "))
    an_phu = next(s for s in specs if s.name == "An Phú")
    assert an_phu.bank_account is not None
    bin_, account, name = an_phu.bank_account.split("|")
    assert bin_ == "970405" and account.isdigit() and name == "UBND XA AN PHU"


def test_seed_counts_and_valid_identities(seeded: Engine) -> None:
    with seeded.connect() as conn:
        assert conn.execute(select(func.count()).select_from(units)).scalar_one() == 64
        officer_count = conn.execute(select(func.count()).select_from(officers)).scalar_one()
        assert officer_count == len(DEMO_OFFICERS) == 11
        assert conn.execute(select(func.count()).select_from(citizens)).scalar_one() == 200
        assert conn.execute(select(func.count()).select_from(dossiers)).scalar_one() == 210
        assert conn.execute(select(catalogues.c.version)).scalars().all() == [1]
        roles = Counter(conn.execute(select(officers.c.role)).scalars())
        assert roles == {"hamlet_officer": 6, "postal_worker": 2, "supervisor": 3}
        rows = conn.execute(select(citizens)).all()
        hamlet_names = dict(conn.execute(select(units.c.id, units.c.name)).all())
    assert len({r.id_number for r in rows}) == 200
    for row in rows:
        birth = date.fromisoformat(row.birth_date)
        assert check_citizen_id(row.id_number, birth) == row.id_number
        if row.phone is not None:
            assert check_phone(row.phone) == row.phone and row.phone[:2] in {"03", "05", "07", "08", "09"}
        assert row.address.startswith("Số ") and row.address.endswith(", tỉnh An Giang")
        assert f", {hamlet_names[row.hamlet_id]}, xã " in row.address
        assert 10.69 <= row.lat <= 10.99 and 105.01 <= row.lon <= 105.21
    assert sum(r.id_number.startswith("089") for r in rows) > 150
    assert sum(r.phone is not None for r in rows) > 170


def test_dossier_codes_follow_the_format_and_count_per_unit_and_day(seeded: Engine) -> None:
    with seeded.connect() as conn:
        unit_codes = dict(conn.execute(select(units.c.id, units.c.code)).all())
        rows = conn.execute(select(dossiers).order_by(dossiers.c.registered_at)).all()
    by_unit_day: dict[tuple[str, date], list[int]] = {}
    for row in rows:
        unit, day, sequence = parse_dossier_code(row.code)
        assert unit == unit_codes[row.unit_id]
        assert day == datetime.fromisoformat(row.registered_at).astimezone(VN_TZ).date()
        by_unit_day.setdefault((unit, day), []).append(sequence)
    for sequences in by_unit_day.values():
        # numbered 1, 2, 3... in order of registration within the unit and day
        assert sequences == list(range(1, len(sequences) + 1))
    statuses = Counter(r.status for r in rows)
    assert statuses[1] >= 50 and statuses[9] >= 20 and statuses[10] >= 10
    assert statuses[2] + statuses[4] >= 15
    channels = Counter(r.channel for r in rows)
    assert channels[1] > channels[3] > 0
    assert all(r.received_at is None for r in rows if r.status == 1)
    assert all(r.appointment_at and r.received_at for r in rows if r.status in (2, 4, 9, 10))
    assert all(r.returned_at and r.on_time is not None for r in rows if r.status == 10)
    assert {r.procedure_code for r in rows} == {
        "khai_sinh", "khai_tu", "ket_hon", "xac_nhan_hon_nhan", "chung_thuc_ban_sao", "chung_thuc_chu_ky",
        "dang_ky_thuong_tru"}


def test_visits_fill_todays_route_and_go_to_the_right_people(seeded: Engine) -> None:
    with seeded.connect() as conn:
        ids = dict(conn.execute(select(officers.c.username, officers.c.id)).all())
        roles = dict(conn.execute(select(officers.c.id, officers.c.role)).all())
        open_rows = conn.execute(
            select(visits, dossiers.c.status.label("dossier_status"), dossiers.c.channel,
                   dossiers.c.return_method)
            .join(dossiers, dossiers.c.id == visits.c.dossier_id).where(visits.c.status == "planned")).all()
        links = {(r.officer_id, r.unit_id) for r in conn.execute(select(officer_units))}
        pending = conn.execute(select(dossiers.c.id).where(dossiers.c.status == 1,
                                                            dossiers.c.channel != 2)).scalars().all()
        history = Counter(conn.execute(select(visits.c.status)).scalars())
    today = TODAY.isoformat()
    mine_today = [v for v in open_rows if v.assignee_id == ids["canbo.anphu"] and v.planned_date == today]
    assert 5 < len(mine_today) <= 20
    assert any(v.planned_date < today for v in open_rows)  # some are overdue
    assert any(v.planned_date > today for v in open_rows)
    assert {v.dossier_id for v in open_rows if v.kind == "pickup"} == set(pending)
    for visit in open_rows:
        assert (visit.kind == "pickup") == (visit.dossier_status == 1)
        assert visit.dossier_status in (1, 9)
        postal = visit.channel == 3 or (visit.kind == "delivery" and visit.return_method == "post")
        assert roles[visit.assignee_id] == ("postal_worker" if postal else "hamlet_officer")
        assert (visit.assignee_id, visit.unit_id) in links  # officers only get their own communes
    assert history["completed"] > 50 and history["failed"] > 0 and history["cancelled"] > 0


def test_seeding_twice_is_a_no_op(seeded: Engine) -> None:
    with seeded.connect() as conn:
        before = conn.execute(select(func.count()).select_from(visits)).scalar_one()
    again = seed_demo(seeded, today=TODAY)
    assert again.created is False
    assert (again.officers, again.citizens, again.dossiers, again.visits) == (11, 200, 210, before)


def test_seed_is_deterministic(tmp_path: Path) -> None:
    def snapshot(engine: Engine) -> list[tuple[str, str, str]]:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(  # type: ignore[misc]
                select(citizens.c.id_number, citizens.c.full_name, dossiers.c.code)
                .join(dossiers, dossiers.c.citizen_id == citizens.c.id).order_by(dossiers.c.code))]

    first, second = fresh_engine(tmp_path / "a"), fresh_engine(tmp_path / "b")
    seed_demo(first, today=TODAY, rng_seed=7)
    seed_demo(second, today=TODAY, rng_seed=7)
    assert snapshot(first) == snapshot(second)
    third = fresh_engine(tmp_path / "c")
    seed_demo(third, today=TODAY, rng_seed=8)
    assert snapshot(third) != snapshot(first)
