"""Shared test fixtures (other test modules rely on these names; keep them stable).

Fixtures
- `pg_cluster` (session): a throwaway PostgreSQL cluster on a free port, started from the server
  binaries found under /usr/lib/postgresql/*/bin or on PATH (as user `nobody` when running as
  root, since initdb refuses root). Yields a base URL `postgresql://postgres@127.0.0.1:PORT`.
  Skips with a reason when no binaries exist, but FAILS when the CI environment variable is set.
- `db_url`: parametrized over "sqlite" and "postgresql"; a fresh database per test. For
  PostgreSQL it is a URL of a new `test_<uuid>` database on the cluster; for SQLite it is None
  (Settings then uses `<data_dir>/doorstep.db`).
- `make_settings(tmp_path, database_url, **overrides)`: a plain helper in tests/testkit.py
  (`from testkit import make_settings, LiveServer, TEST_SECRET`; tests/ is on sys.path) building
  test Settings: fixed secret, web_ui=False, data dir under tmp_path. `settings_factory` is the
  same bound to the test's tmp_path.
- `live_server`: a factory `live_server(settings) -> LiveServer` that runs uvicorn with
  `create_app(settings)` in a background thread on 127.0.0.1:<free port> and waits for
  /api/v1/health. LiveServer has `.url` (http://127.0.0.1:PORT), `.api` (url + /api/v1),
  `.settings`, `.engine`, `.app`; every server is stopped at the end of the test.
- `server`: a LiveServer on the `db_url` database (so tests using it run on SQLite and PostgreSQL).
- `sqlite_server`: a LiveServer on SQLite only.
- `seeded_server`: a LiveServer on SQLite holding the An Phú demo seeded at TEST_NOW.
Databases are cloned, never rebuilt: SQLite servers start from a copy of a migrated (or seeded)
template file made once per session (`sqlite_template`, `seeded_template`), PostgreSQL databases
are created from a migrated template database (`pg_template`).
- `clock` (autouse): every test runs on a `ShiftedClock` that reads `TEST_NOW` (testkit) when
  the test starts and then runs on; it is bound for the test's code, and servers made with
  `make_settings` share it. A test moves time with `clock.set(...)` / `clock.advance(...)`.
Test data: tests/builders.py (`import builders`; `builders.world(engine)` builds a standard scenario).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from testkit import (
    TEST_NOW,
    LiveServer,
    build_sqlite_template,
    free_port,
    make_settings,
    start_server,
    use_sqlite_template,
)

from api_client.domain.clock import ShiftedClock, using_clock
from backend.config import Settings


@pytest.fixture(autouse=True)
def clock() -> Iterator[ShiftedClock]:
    """The test's business clock: starts at TEST_NOW, bound for the test and its servers."""
    with using_clock(ShiftedClock(TEST_NOW)) as bound:
        yield bound


def _pg_bin_dir() -> Path | None:
    for cand in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(cand, "initdb").exists() and Path(cand, "pg_ctl").exists():
            return Path(cand)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_pg_user(cmd: list[str]) -> list[str]:
    # initdb refuses to run as root: run the cluster as an unprivileged user
    if os.geteuid() == 0:
        return ["runuser", "-u", "nobody", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[str]:
    """A throwaway PostgreSQL cluster for the whole session; yields its base URL."""
    bin_dir = _pg_bin_dir()
    if bin_dir is None:
        reason = "PostgreSQL server binaries (initdb, pg_ctl) not found: install the postgresql package"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="doorstep-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "nobody")
    port = free_port()
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    subprocess.run(_as_pg_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                "-E", "UTF8", "--no-sync", "--locale=C"]),
                   check=True, capture_output=True, env=env)
    # durability is pointless for a throwaway cluster: fsync off makes CREATE DATABASE cheap
    opts = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200")
    start = subprocess.run(_as_pg_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", opts, "-w",
                                        "-l", str(root / "log"), "start"]),
                           capture_output=True, env=env, text=True)
    if start.returncode != 0:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        pytest.fail(f"PostgreSQL did not start: {start.stderr}\n{log}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_pg_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, env=env)
        shutil.rmtree(root, ignore_errors=True)


def _create_database(base_url: str, template: str = "template0") -> str:
    import psycopg

    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    return f"{base_url}/{name}"


@pytest.fixture(scope="session")
def pg_template(pg_cluster: str) -> str:
    """Name of a migrated database on the cluster that each test's database is cloned from."""
    from backend.db.engine import make_engine
    from backend.db.migrations import migrate

    url = _create_database(pg_cluster)
    engine = make_engine(make_settings(Path(tempfile.mkdtemp(prefix="doorstep-pgtpl-")), url))
    migrate(engine)
    engine.dispose()  # a template database must have no open connections when it is cloned
    return url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite database file that each SQLite test server starts from (a copy)."""
    return build_sqlite_template(tmp_path_factory.mktemp("templates") / "migrated.db", seed=False)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The An Phú demo seeded once at TEST_NOW into a SQLite file (copied per test: seeding takes ~13 s)."""
    with using_clock(ShiftedClock(TEST_NOW)):
        return build_sqlite_template(tmp_path_factory.mktemp("templates") / "seeded.db", seed=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest) -> str | None:
    """Like db_url, but never migrated (None for SQLite; a blank PG database): for migration tests."""
    if request.param == "sqlite":
        return None
    return _create_database(request.getfixturevalue("pg_cluster"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str | None:
    """A fresh database per test: None for SQLite (data_dir file), a new PG database URL otherwise."""
    if request.param == "sqlite":
        return None
    base = request.getfixturevalue("pg_cluster")
    return _create_database(base, request.getfixturevalue("pg_template"))


@pytest.fixture
def settings_factory(tmp_path: Path) -> Callable[..., Settings]:
    """make_settings bound to this test's tmp_path: settings_factory(database_url, **overrides)."""
    return lambda database_url=None, **kw: make_settings(tmp_path, database_url, **kw)


@pytest.fixture
def live_server() -> Iterator[Callable[[Settings], LiveServer]]:
    """Factory: live_server(settings) -> LiveServer; all are stopped after the test."""
    started: list[LiveServer] = []

    def start(settings: Settings) -> LiveServer:
        srv = start_server(settings)
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture
def server(live_server: Callable[[Settings], LiveServer], tmp_path: Path, db_url: str | None,
           request: pytest.FixtureRequest) -> LiveServer:
    """A live server on a fresh database, once on SQLite and once on PostgreSQL."""
    settings = make_settings(tmp_path, db_url)
    if db_url is None:
        use_sqlite_template(settings, request.getfixturevalue("sqlite_template"))
    return live_server(settings)


@pytest.fixture
def sqlite_server(live_server: Callable[[Settings], LiveServer], tmp_path: Path,
                  sqlite_template: Path) -> LiveServer:
    """A live server on a fresh SQLite database."""
    return live_server(use_sqlite_template(make_settings(tmp_path, None), sqlite_template))


@pytest.fixture
def seeded_server(live_server: Callable[[Settings], LiveServer], tmp_path: Path,
                  seeded_template: Path) -> LiveServer:
    """A live SQLite server holding the An Phú demo data as seeded at TEST_NOW."""
    return live_server(use_sqlite_template(make_settings(tmp_path, None), seeded_template))

