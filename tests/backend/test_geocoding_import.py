"""Import geocodes addresses through the deployment's Nominatim (here: a local server answering
in Nominatim's JSON format), cached, rate-limited, and never blocked by the geocoder's failures."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nominatimkit import FakeNominatim, running_nominatim
from sqlalchemy import Engine, func, select

from api_client.domain.text import fold
from backend.config import Settings
from backend.db.engine import make_engine
from backend.db.migrations import migrate
from backend.db.schema import citizens, geocode_cache
from backend.importer import import_dossiers
from backend.reference import ensure_catalogues, ensure_units
from backend.services.geocoding import MAX_FAILURES_IN_A_ROW, Locator, address_key, make_geocoder

HEADER = ("ma_ho_so,ma_thu_tuc,ho_ten,so_cccd,so_dien_thoai,dia_chi,ma_xa,ma_ap,vi_do,kinh_do,"
          "ngay_dang_ky,kenh,hinh_thuc_tra,loai,ngay_hen_tham\n")
AN_PHU, AN_THINH = "000.21.01.H01", "000.21.01.H01.01"  # commune, hamlet (centre 10.87307, 105.09369)
HAMLET_CENTRE = (10.87307, 105.09369)


@pytest.fixture
def nominatim() -> Iterator[FakeNominatim]:
    yield from running_nominatim()


@pytest.fixture
def engine(tmp_path: Path, db_url: str | None) -> Engine:
    engine = make_engine(Settings(data_dir=tmp_path, database_url=db_url, secret_key="test"))
    migrate(engine)
    with engine.begin() as conn:  # units and catalogue are all an import needs (no officers: unassigned)
        ensure_units(conn)
        ensure_catalogues(conn)
    return engine


def _settings(tmp_path: Path, url: str, **kw: Any) -> Settings:
    kw.setdefault("geocoder_min_delay_s", 0.0)
    kw.setdefault("geocoder_timeout_s", 0.5)
    return Settings(data_dir=tmp_path, secret_key="test", geocoder_url=url, **kw)


def _csv(tmp_path: Path, name: str, rows: list[tuple[str, str, str]]) -> Path:
    """(full name, citizen id, address) rows of An Thịnh hamlet, no coordinates."""
    path = tmp_path / name
    lines = [f',chung_thuc_ban_sao,{n},{i},,"{a}",{AN_PHU},{AN_THINH},,,2025-09-15,1,home,pickup,2025-09-16\n'
             for n, i, a in rows]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def _citizen(engine: Engine, id_number: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(citizens).where(citizens.c.id_number == id_number)).one()


def test_every_row_is_placed_exactly_or_approximately_with_the_reason(
        engine: Engine, nominatim: FakeNominatim, tmp_path: Path) -> None:
    path = _csv(tmp_path, "a.csv", [
        ("Lê Văn Một", "089085000101", "Số 15, Khóm An Thịnh"),
        ("Lê Văn Hai", "089085000102", "Tổ 3, Ấp Đông"),
        ("Lê Văn Ba", "089085000103", "Nhà không ai biết"),
        ("Lê Văn Bốn", "089085000104", "Đường chậm"),
        ("Lê Văn Năm", "089085000105", "Đường lỗi"),
    ])
    started = time.monotonic()
    report = import_dossiers(engine, path, make_geocoder(_settings(tmp_path, nominatim.url)))
    assert report.imported == 5 and report.errors == []
    assert time.monotonic() - started < 20  # a slow geocoder delays the import, never stops it

    exact = _citizen(engine, "089085000101")
    assert (exact.lat, exact.lon) == (10.8741, 105.0952)
    assert (exact.location_source, exact.location_precision) == ("geocoded", "exact")
    assert exact.location_note is None
    area = _citizen(engine, "089085000102")
    assert (area.lat, area.location_source, area.location_precision, area.location_note) == (
        10.88, "geocoded", "approximate", "area")
    for id_number, reason in (("089085000103", "not_found"), ("089085000104", "timeout"),
                              ("089085000105", "error")):
        row = _citizen(engine, id_number)
        assert ((row.lat, row.lon), row.location_source, row.location_precision, row.location_note) == (
            HAMLET_CENTRE, "hamlet_centre", "approximate", reason), id_number
    # the query names the hamlet and commune the address lacks, and the country
    assert any(q == "Số 15, Khóm An Thịnh, An Phú, Việt Nam" for q in nominatim.queries())
    assert report.located == {"geocoded": 2, "hamlet_centre": 3}
    text = "\n".join(report.lines())
    assert "2 tìm theo địa chỉ, 3 gần đúng (tâm ấp)" in text
    assert "không tìm thấy địa chỉ, đặt tại tâm ấp" in text and "không trả lời kịp" in text


def test_answers_are_cached_by_normalised_address_failures_are_not(
        engine: Engine, nominatim: FakeNominatim, tmp_path: Path) -> None:
    geocoder = make_geocoder(_settings(tmp_path, nominatim.url))
    import_dossiers(engine, _csv(tmp_path, "a.csv", [
        ("Lê Văn Một", "089085000101", "Số 15, Khóm An Thịnh"),
        ("Lê Văn Ba", "089085000103", "Nhà không ai biết"),
        ("Lê Văn Năm", "089085000105", "Đường lỗi"),
    ]), geocoder)
    asked = len(nominatim.requests)
    with engine.connect() as conn:
        cached = conn.execute(select(func.count()).select_from(geocode_cache)).scalar_one()
    assert cached == 2  # found and not found are answers; an error is not
    # other households at the same addresses, written differently (case, accents, spacing)
    report = import_dossiers(engine, _csv(tmp_path, "b.csv", [
        ("Phạm Thị Sáu", "089185000106", "số 15 ,  khom an thinh"),
        ("Phạm Thị Bảy", "089185000107", "NHÀ KHÔNG AI BIẾT"),
        ("Phạm Thị Tám", "089185000108", "Đường lỗi"),
    ]), geocoder)
    assert report.imported == 3
    new = nominatim.queries()[asked:]
    assert new and all("loi" in fold(q) for q in new)  # only the failed one was asked again
    assert _citizen(engine, "089185000106").lat == 10.8741
    assert _citizen(engine, "089185000107").location_note == "not_found"
    assert address_key("Số 15, Khóm An Thịnh") == address_key("so 15 ,  KHOM an thinh")


def test_a_dead_geocoder_is_left_alone_after_a_few_failures(engine: Engine, tmp_path: Path) -> None:
    # nothing listens on port 9: every request fails at once
    geocoder = make_geocoder(_settings(tmp_path, "http://127.0.0.1:9"))
    rows = [(f"Võ Văn {i}", f"0890850002{i:02d}", f"Số {i}, đường {i}") for i in range(1, 9)]
    locator = Locator(engine, geocoder)
    results = [locator.resolve(a, None, None) for _, _, a in rows]  # no hamlet, no commune: nothing
    assert locator.calls == MAX_FAILURES_IN_A_ROW
    assert {r.note for r in results[MAX_FAILURES_IN_A_ROW:]} == {"geocoder_down"}
    report = import_dossiers(engine, _csv(tmp_path, "c.csv", rows), geocoder)
    assert report.imported == 8 and report.located == {"hamlet_centre": 8}
    assert _citizen(engine, "089085000208").location_note == "geocoder_down"


def test_without_a_geocoder_rows_go_to_the_hamlet_centre(engine: Engine, tmp_path: Path) -> None:
    report = import_dossiers(engine, _csv(tmp_path, "d.csv", [("Đỗ Văn Chín", "089085000109", "Số 9")]))
    assert report.imported == 1
    row = _citizen(engine, "089085000109")
    assert ((row.lat, row.lon), row.location_source, row.location_note) == (
        HAMLET_CENTRE, "hamlet_centre", "no_geocoder")
    assert make_geocoder(Settings(data_dir=tmp_path, secret_key="t", geocoder_url=None)) is None


def test_coordinates_in_the_file_win_and_are_marked_imported(engine: Engine, nominatim: FakeNominatim,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(HEADER + f',chung_thuc_ban_sao,Đỗ Văn Mười,089085000110,,"Số 15, Khóm An Thịnh",'
                    f"{AN_PHU},{AN_THINH},10.8701,105.0901,2025-09-15,1,home,pickup,\n", encoding="utf-8")
    import_dossiers(engine, path, make_geocoder(_settings(tmp_path, nominatim.url)))
    row = _citizen(engine, "089085000110")
    assert (row.lat, row.location_source, row.location_precision) == (10.8701, "imported", "exact")
    assert nominatim.requests == []


def test_requests_are_spaced_by_the_rate_limiter(engine: Engine, nominatim: FakeNominatim,
                                                 tmp_path: Path) -> None:
    geocoder = make_geocoder(_settings(tmp_path, nominatim.url, geocoder_min_delay_s=0.3))
    locator = Locator(engine, geocoder)
    for i in range(3):
        locator.resolve(f"Số {i + 100}, nơi nào đó", None, None)
    times = [t for t, _ in nominatim.requests]
    assert len(times) == 3
    assert all(b - a >= 0.25 for a, b in zip(times, times[1:]))


def test_migration_7_adds_the_location_columns_and_marks_stored_coordinates_imported(engine: Engine) -> None:
    from sqlalchemy import insert, inspect, text

    from backend.db.schema import schema_migrations

    # back to a database before migration 7 holding one located, one unlocated household
    with engine.begin() as conn:
        conn.execute(insert(citizens).values(full_name="A", id_number="089085000301", address="x", lat=10.9,
                                             lon=105.1, updated_at="t", seq=1))
        conn.execute(insert(citizens).values(full_name="B", id_number="089085000302", address="y",
                                             updated_at="t", seq=1))
        conn.execute(text("DROP TABLE geocode_cache"))
        for column in ("location_source", "location_precision", "location_note"):
            conn.execute(text(f"ALTER TABLE citizens DROP COLUMN {column}"))
        conn.execute(schema_migrations.delete().where(schema_migrations.c.version == 7))
    assert migrate(engine) == [7]
    with engine.connect() as conn:
        assert inspect(conn).has_table("geocode_cache")
        rows = dict(conn.execute(select(citizens.c.id_number, citizens.c.location_source)).all())
    assert rows["089085000301"] == "imported" and rows["089085000302"] is None
    assert migrate(engine) == []
