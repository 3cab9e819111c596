"""Importing a one-stop export: good rows kept, bad rows reported by line, nothing partial."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from backend import importer
from backend.config import Settings
from backend.db.engine import make_engine
from backend.db.migrations import migrate
from backend.db.schema import citizens, dossier_status_log, dossiers, officers, visits
from backend.importer import ImportFileError, import_dossiers
from backend.seed import seed_demo

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "import_sample.csv"
DEMO_SAMPLE = Path(__file__).resolve().parents[2] / "backend" / "data" / "samples" / "import_example.csv"
BAD_IDS = {"08919001234", "089198765432", "089075111222", "089188333444", "089195001122"}
HEADER = ("ma_ho_so,ma_thu_tuc,ho_ten,so_cccd,so_dien_thoai,dia_chi,ma_xa,ma_ap,vi_do,kinh_do,"
          "ngay_dang_ky,kenh,hinh_thuc_tra,loai,ngay_hen_tham\n")


@pytest.fixture
def engine(tmp_path: Path, db_url: str | None) -> Engine:
    """A seeded database (officers exist to receive the visits), on SQLite and PostgreSQL."""
    engine = make_engine(Settings(data_dir=tmp_path, database_url=db_url, secret_key="test"))
    migrate(engine)
    seed_demo(engine)
    return engine


def counts(engine: Engine) -> tuple[int, int, int]:
    """(citizens, dossiers, visits)."""
    with engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()  # type: ignore[return-value]
                     for t in (citizens, dossiers, visits))


def dossier_by_code(engine: Engine, code: str) -> Any:
    """The dossier row joined with its citizen and its (single) visit."""
    with engine.connect() as conn:
        return conn.execute(
            select(dossiers, citizens.c.id_number, citizens.c.phone, citizens.c.lat, citizens.c.full_name,
                   visits.c.kind, visits.c.planned_date, visits.c.status.label("visit_status"),
                   officers.c.username)
            .join(citizens, citizens.c.id == dossiers.c.citizen_id)
            .join(visits, visits.c.dossier_id == dossiers.c.id)
            .join(officers, officers.c.id == visits.c.assignee_id, isouter=True)
            .where(dossiers.c.code == code)).one()


def test_csv_keeps_good_rows_and_reports_bad_ones_by_line(engine: Engine) -> None:
    before = counts(engine)
    report = import_dossiers(engine, SAMPLE)
    assert report.imported == 3 and report.visits == 3 and report.skipped == []
    assert [line for line, _ in report.errors] == [4, 5, 6, 7, 8]
    messages = dict(report.errors)
    assert "12 chữ số" in messages[4]
    assert "Số điện thoại '12345'" in messages[5]
    assert "Không có thủ tục 'cap_so_do'" in messages[6]
    assert "Không có xã mã '000.99.99.H01'" in messages[7]
    assert "Ngày đăng ký '2025-13-40' sai định dạng" in messages[8]
    assert counts(engine) == (before[0] + 3, before[1] + 3, before[2] + 3)
    with engine.connect() as conn:
        assert conn.execute(select(citizens).where(citizens.c.id_number.in_(BAD_IDS))).first() is None

    first = dossier_by_code(engine, "000.21.01.H01-250915-0101")
    assert (first.status, first.procedure_code, first.kind, first.visit_status) == (
        1, "chung_thuc_ban_sao", "pickup", "planned")
    assert (first.full_name, first.phone, first.lat) == ("Nguyễn Thị Hồng Nhung", "0912345678", 10.8731)
    assert (first.planned_date, first.fee_vnd, first.username) == ("2025-09-16", 2000, "canbo.anphu")
    assert first.registered_at == "2025-09-15T01:00:00+00:00"  # 08:00 in Vietnam

    generated = next(code for code in report.codes if code.startswith("000.21.02.H01-"))
    assert generated == "000.21.02.H01-250916-0001"
    second = dossier_by_code(engine, generated)
    # no coordinates and no geocoder configured: the hamlet's centre (Ấp Vĩnh Quới), approximate
    assert (second.procedure_code, second.username, second.lat) == ("khai_sinh", "canbo.vinhhau", 10.79553)

    postal = dossier_by_code(engine, "000.21.05.H01-250912-0007")
    assert (postal.status, postal.kind, postal.channel, postal.return_method) == (9, "delivery", 3, "post")
    assert postal.phone == "0868123456"  # +84 form normalised
    assert postal.username == "buudien.khanhbinh"
    assert postal.appointment_at is not None
    with engine.connect() as conn:
        log = conn.execute(select(dossier_status_log.c.to_status, dossier_status_log.c.note)
                           .where(dossier_status_log.c.dossier_id == postal.id)).one()
    assert log == (9, "Nhập từ tệp import_sample.csv, dòng 9")


def test_reimport_skips_what_is_already_there(engine: Engine) -> None:
    import_dossiers(engine, SAMPLE)
    import_dossiers(engine, DEMO_SAMPLE)
    before = counts(engine)
    again = import_dossiers(engine, SAMPLE)
    assert again.imported == 0
    assert [line for line, _ in again.skipped] == [2, 3, 9]
    assert "000.21.01.H01-250915-0101 đã có" in again.skipped[0][1]
    assert len(again.errors) == 5
    demo_again = import_dossiers(engine, DEMO_SAMPLE)  # rows without a code: matched by person+procedure+day
    assert (demo_again.imported, len(demo_again.skipped), demo_again.errors) == (0, 6, [])
    assert counts(engine) == before


def test_json_import_numbers_records_from_one(engine: Engine, tmp_path: Path) -> None:
    records = [
        {"ma_thu_tuc": "chung_thuc_chu_ky", "ho_ten": "Lâm Thị Cúc", "so_cccd": "089172024680",
         "so_dien_thoai": "0367111222", "dia_chi": "Số 4, Ấp Búng Bình, xã Nhơn Hội, tỉnh An Giang",
         "ma_xa": "000.21.03.H01", "ma_ap": "000.21.03.H01.06", "vi_do": 10.90, "kinh_do": 105.05,
         "ngay_dang_ky": "2025-09-20", "kenh": 1},
        {"ma_thu_tuc": "khai_tu", "ho_ten": "Tô Văn Năm", "so_cccd": "089050135790",
         "dia_chi": "Số 1, Ấp Phú Lợi, xã Phú Hữu", "ma_xa": "000.21.05.H01", "ma_ap": "000.21.03.H01.06",
         "vi_do": 48.85, "kinh_do": 2.35},
        "not an object",
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"ho_so": records}, ensure_ascii=False), encoding="utf-8")
    report = import_dossiers(engine, path)
    assert report.imported == 1
    assert [line for line, _ in report.errors] == [2, 3]
    assert "không thuộc xã '000.21.05.H01'" in report.errors[0][1]
    assert "nằm ngoài Việt Nam" in report.errors[0][1]  # every problem of the row, at once
    assert "đối tượng JSON" in report.errors[1][1]
    row = dossier_by_code(engine, report.codes[0])
    assert (row.procedure_code, row.fee_vnd, row.username, row.id_number) == (
        "chung_thuc_chu_ky", 10_000, "canbo.nhonhoi", "089172024680")


def test_existing_citizen_is_updated_not_duplicated(engine: Engine, tmp_path: Path) -> None:
    with engine.connect() as conn:
        person = conn.execute(select(citizens).order_by(citizens.c.id).limit(1)).one()
    path = tmp_path / "one.csv"
    path.write_text(HEADER + f",chung_thuc_chu_ky,{person.full_name},{person.id_number},0931000111,"
                    f"\"{person.address}\",000.21.01.H01,,,,2025-09-20,1,home,pickup,\n", encoding="utf-8")
    before = counts(engine)
    report = import_dossiers(engine, path)
    assert report.imported == 1 and report.errors == []
    assert counts(engine) == (before[0], before[1] + 1, before[2] + 1)
    with engine.connect() as conn:
        after = conn.execute(select(citizens).where(citizens.c.id == person.id)).one()
    assert after.phone == "0931000111" and after.seq > person.seq
    assert (after.lat, after.hamlet_id) == (person.lat, person.hamlet_id)  # empty cells keep what we know


def test_a_row_failing_in_the_database_leaves_nothing_behind(engine: Engine,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    real = importer._insert_visit
    calls = {"n": 0}

    def flaky(conn: Any, row: Any, dossier_id: int, citizen_id: int) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise IntegrityError("INSERT INTO visits", {}, Exception("simulated failure"))
        real(conn, row, dossier_id, citizen_id)

    monkeypatch.setattr(importer, "_insert_visit", flaky)
    before = counts(engine)
    report = import_dossiers(engine, SAMPLE)
    assert report.imported == 2
    refused = "Cơ sở dữ liệu từ chối dòng này (database refused the row): simulated failure"
    assert (2, refused) in report.errors
    assert counts(engine) == (before[0] + 2, before[1] + 2, before[2] + 2)
    with engine.connect() as conn:
        code = "000.21.01.H01-250915-0101"
        assert conn.execute(select(dossiers).where(dossiers.c.code == code)).first() is None
        assert conn.execute(select(citizens).where(citizens.c.id_number == "089185012345")).first() is None


def test_unreadable_files_are_refused_whole(engine: Engine, tmp_path: Path) -> None:
    wrong_type = tmp_path / "export.xlsx"
    wrong_type.write_bytes(b"PK")
    with pytest.raises(ImportFileError, match="Chỉ nhận tệp .csv hoặc .json"):
        import_dossiers(engine, wrong_type)
    no_columns = tmp_path / "short.csv"
    no_columns.write_text("ma_thu_tuc,ho_ten\nkhai_sinh,A\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="thiếu cột: so_cccd, dia_chi, ma_xa"):
        import_dossiers(engine, no_columns)
    with pytest.raises(ImportFileError, match="Không tìm thấy tệp"):
        import_dossiers(engine, tmp_path / "missing.csv")
