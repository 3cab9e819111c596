"""Issue 11: `doorstep serve --workers N` and `doorstep web` as real, separate processes."""

from __future__ import annotations

import multiprocessing as mp
import uuid
from multiprocessing.synchronize import Barrier
from pathlib import Path

import httpx
import pytest
from prockit import Doorstep
from sqlalchemy import func, select
from testkit import TEST_SECRET, free_port

from backend.cli import _prepared_engine
from backend.config import Settings
from backend.db.engine import make_engine
from backend.db.migrations import MIGRATIONS
from backend.db.schema import schema_migrations, units


def test_the_web_ui_runs_in_its_own_process_and_outlives_the_api(tmp_path: Path) -> None:
    api_port, web_port = free_port(), free_port()
    api_url, web_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{web_port}"
    api = Doorstep(["serve", "--workers", "2", "--no-web-ui", "--port", str(api_port),
                    "--data-dir", str(tmp_path / "api")], tmp_path / "api.log", env={"DATABASE_URL": ""})
    web = Doorstep(["web", "--backend-url", api_url, "--port", str(web_port),
                    "--data-dir", str(tmp_path / "web")], tmp_path / "web.log")
    try:
        api.wait_http(f"{api_url}/api/v1/health")
        web.wait_http(web_url + "/")
        assert len(api.workers()) == 2
        assert httpx.get(f"{api_url}/").status_code == 404  # no UI in the API workers
        page = httpx.get(web_url + "/")
        assert "text/html" in page.headers["content-type"] and "flutter" in page.text.lower()
        # the UI's process is not an API worker: stopping the API leaves it serving
        api.stop()
        assert httpx.get(web_url + "/").status_code == 200
        assert web.proc.poll() is None
    finally:
        api.stop()
        web.stop()


def _set_up(settings: Settings, barrier: Barrier) -> None:
    barrier.wait()
    _prepared_engine(settings).dispose()


@pytest.mark.postgres
def test_processes_starting_together_set_the_database_up_once(pg_cluster: str, tmp_path: Path) -> None:
    import psycopg

    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(f"{pg_cluster}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    settings = Settings(data_dir=tmp_path / "data", database_url=f"{pg_cluster}/{name}",
                        secret_key=TEST_SECRET)
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=_set_up, args=(settings, barrier)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * 4  # nobody tripped over another's migration or units
    engine = make_engine(settings)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(units)).scalar_one() == 64
        applied = conn.execute(select(func.count()).select_from(schema_migrations)).scalar_one()
        assert applied == len(MIGRATIONS)
    engine.dispose()
