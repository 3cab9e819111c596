"""Helpers behind the shared fixtures: test Settings and a live uvicorn server in a thread.

Import from test modules as `from testkit import LiveServer, make_settings, TEST_SECRET`
(tests/ is on sys.path through the root conftest).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import Engine

from api_client.domain.clock import current_clock, vn_instant
from backend.app import create_app
from backend.config import Settings

TEST_SECRET = "test-secret-key-not-for-production"
# The instant every test starts at unless it pins its own: Tuesday 10 March 2026, 09:30 in
# Vietnam, a working day with the whole office day ahead. Tests never read the machine's date.
TEST_NOW = vn_instant(2026, 3, 10, 9, 30)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_settings(tmp_path: Path, database_url: str | None, **overrides: Any) -> Settings:
    """Settings for a test server: fixed secret, no web UI, data under tmp_path, the test's clock."""
    values: dict[str, Any] = {"data_dir": tmp_path / "data", "database_url": database_url,
                              "secret_key": TEST_SECRET, "web_ui": False, "clock": current_clock()}
    values.update(overrides)
    return Settings(**values)


@dataclass
class LiveServer:
    """A running uvicorn server for one test."""

    url: str
    settings: Settings
    engine: Engine
    app: Any
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def api(self) -> str:
        """Base URL of the API (…/api/v1)."""
        return f"{self.url}/api/v1"

    def http(self) -> httpx.Client:
        """An httpx.Client on the API root, over a real socket."""
        return httpx.Client(base_url=self.api, timeout=30)

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for the thread, release database connections."""
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self.engine.dispose()


@dataclass
class AppServer:
    """The app in this test's process, reached without a socket (starlette's TestClient).

    Most API tests only need the app's behaviour, not the transport: this skips starting uvicorn
    for each of them. Tests where the wire matters (sync, blobs, the phone) use LiveServer.
    """

    settings: Settings
    engine: Engine
    app: Any
    url: str = "http://testserver"

    @property
    def api(self) -> str:
        """Base URL of the API (…/api/v1), valid only through `http()`."""
        return f"{self.url}/api/v1"

    def http(self) -> httpx.Client:
        """An httpx.Client (a TestClient) that calls the app in-process."""
        from starlette.testclient import TestClient

        return TestClient(self.app, base_url=self.api, raise_server_exceptions=False)

    def stop(self) -> None:
        """Release database connections."""
        self.engine.dispose()


def app_server(settings: Settings) -> AppServer:
    """create_app(settings) without a server around it."""
    app = create_app(settings)
    return AppServer(settings=settings, engine=app.state.engine, app=app)


def sqlite_file(settings: Settings) -> Path:
    """Where a SQLite test server keeps its database (Settings' default for no DATABASE_URL)."""
    return Path(settings.data_dir) / "doorstep.db"


def build_sqlite_template(path: Path, seed: bool) -> Path:
    """A migrated (and, with `seed`, demo-seeded) SQLite file that tests copy instead of rebuilding.

    Migrating takes ~0.2 s and seeding the demo ~13 s; a copy takes milliseconds. The seed uses
    the bound clock, so call this inside the test clock (the `clock` fixture is bound).
    """
    from backend.db.engine import make_engine
    from backend.db.migrations import migrate
    from backend.seed import seed_demo

    settings = make_settings(path.parent / f"{path.stem}-build", None)
    engine = make_engine(settings)
    migrate(engine)
    if seed:
        seed_demo(engine)
    engine.dispose()
    src = sqlite_file(settings)
    import sqlite3

    with sqlite3.connect(src) as conn:  # fold the WAL into the main file before copying it
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, path)
    return path


def use_sqlite_template(settings: Settings, template: Path) -> Settings:
    """Give a not-yet-started SQLite test server a copy of `template` as its database."""
    target = sqlite_file(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return settings


def start_server(settings: Settings) -> LiveServer:
    """Start create_app(settings) under uvicorn in a thread and wait until /api/v1/health answers."""
    port = free_port()
    if settings.public_url == Settings.public_url:  # the default: tell the server where it really is
        settings.public_url = f"http://127.0.0.1:{port}"
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
                            access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True, name=f"uvicorn-{port}")
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError(f"test server on port {port} did not start")
        time.sleep(0.02)
    return LiveServer(url=url, settings=settings, engine=app.state.engine, app=app,
                      _server=server, _thread=thread)
