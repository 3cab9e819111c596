"""dossiers.search_text: written by every write path, backfilled by migration 5, kept in step on renames."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import builders
import httpx
import pytest
from sqlalchemy import Engine, inspect, select, text, update
from testkit import LiveServer

from backend.config import Settings
from backend.db import search
from backend.db.engine import make_engine
from backend.db.migrations import migrate
from backend.db.schema import citizens, dossiers, schema_migrations
from backend.db.search import dossier_search_text
from backend.importer import import_dossiers
from backend.seed import seed_demo

Clients = Callable[[str | None], httpx.Client]
HEADER = ("ma_ho_so,ma_thu_tuc,ho_ten,so_cccd,so_dien_thoai,dia_chi,ma_xa,ma_ap,vi_do,kinh_do,"
          "ngay_dang_ky,kenh,hinh_thuc_tra,loai,ngay_hen_tham\n")


def stale_keys(engine: Engine) -> list[int]:
    """Ids of dossiers whose search_text is not the key of their code and citizen."""
    with engine.connect() as conn:
        rows = conn.execute(select(dossiers.c.id, dossiers.c.code, dossiers.c.search_text,
                                   citizens.c.full_name, citizens.c.id_number)
                            .join(citizens, citizens.c.id == dossiers.c.citizen_id)).all()
    assert rows
    return [r.id for r in rows if r.search_text != dossier_search_text(r.code, r.full_name, r.id_number)]


def test_migration_5_adds_and_backfills_the_key(server: LiveServer, world: builders.World,
                                                client_for: Clients) -> None:
    """A version-4 database (no column) gets it filled for every dossier, and search works at once."""
    with server.engine.begin() as conn:
        conn.execute(text("ALTER TABLE dossiers DROP COLUMN search_text"))  # drops the trigram index too
        conn.execute(schema_migrations.delete().where(schema_migrations.c.version == 5))
    assert migrate(server.engine) == [5]
    assert stale_keys(server.engine) == []
    r = client_for("giam_sat_x").get("/dossiers", params={"q": "DANG cường"})
    assert [d["id"] for d in r.json()] == [world.dossiers["pickup_b"]]
    if server.engine.dialect.name == "postgresql":
        with server.engine.connect() as conn:
            names = {i["name"] for i in inspect(conn).get_indexes("dossiers")}
        assert "ix_dossiers_search_trgm" in names
    assert migrate(server.engine) == []  # once only


def test_backfill_fills_only_missing_keys_in_batches(server: LiveServer, world: builders.World,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The step rewrites NULL keys across several batches and leaves the others alone."""
    monkeypatch.setattr(search, "BATCH", 2)  # fewer than the world's 5 dossiers
    with server.engine.begin() as conn:
        conn.execute(update(dossiers).values(search_text=None))
        conn.execute(update(dossiers).where(dossiers.c.id == world.dossiers["y_pickup"])
                     .values(search_text="kept"))
        assert search.refresh_search_text(conn, dossiers.c.search_text.is_(None)) == 4
    assert stale_keys(server.engine) == [world.dossiers["y_pickup"]]


def test_seed_and_import_write_the_key_and_a_rename_rewrites_it(tmp_path: Path, db_url: str | None) -> None:
    engine = make_engine(Settings(data_dir=tmp_path, database_url=db_url, secret_key="test"))
    migrate(engine)
    seed_demo(engine)
    assert stale_keys(engine) == []
    with engine.connect() as conn:
        person = conn.execute(select(citizens).order_by(citizens.c.id).limit(1)).one()
    path = tmp_path / "rename.csv"
    path.write_text(HEADER + f",chung_thuc_chu_ky,Phạm Thị Ngọc Ánh,{person.id_number},,"
                    f"\"{person.address}\",000.21.01.H01,,,,2025-09-20,1,home,pickup,\n", encoding="utf-8")
    report = import_dossiers(engine, path)
    assert report.imported == 1 and report.errors == []
    assert stale_keys(engine) == []
    with engine.connect() as conn:
        keys = list(conn.execute(select(dossiers.c.search_text)
                                 .where(dossiers.c.citizen_id == person.id)).scalars())
    assert len(keys) >= 2 and all("pham thi ngoc anh" in k for k in keys)
