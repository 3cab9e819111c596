"""Fixtures for the API tests: the app (in-process unless the module needs real HTTP), the
standard world in its database, and signed-in clients.

`server` here overrides the root one: an `AppServer` (no socket) for most API tests, a real
uvicorn `LiveServer` for modules marked `pytestmark = pytest.mark.real_http` (the transport is
what they test: blobs, compression, the web mount, raw URLs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import builders
import httpx
import pytest
from testkit import AppServer, LiveServer, app_server, make_settings, use_sqlite_template

from backend.config import Settings


@pytest.fixture
def server(live_server: Callable[[Settings], LiveServer], tmp_path: Path, db_url: str | None,
           request: pytest.FixtureRequest) -> Iterator[AppServer | LiveServer]:
    """The app on a fresh database (SQLite and PostgreSQL), in-process unless marked real_http."""
    settings = make_settings(tmp_path, db_url)
    if db_url is None:
        use_sqlite_template(settings, request.getfixturevalue("sqlite_template"))
    if request.node.get_closest_marker("real_http"):
        yield live_server(settings)
        return
    srv = app_server(settings)
    yield srv
    srv.stop()


@pytest.fixture
def world(server: AppServer | LiveServer) -> builders.World:
    """The standard scenario inserted into the server's database."""
    return builders.world(server.engine)


@pytest.fixture
def client_for(server: AppServer | LiveServer) -> Iterator[Callable[[str | None], httpx.Client]]:
    """client_for(username) -> an httpx.Client on /api/v1 signed in as that officer (None: anonymous)."""
    clients: list[httpx.Client] = []

    def make(username: str | None) -> httpx.Client:
        c = server.http()
        clients.append(c)
        if username:
            r = c.post("/auth/login", json={"username": username, "password": builders.PASSWORD})
            assert r.status_code == 200, r.text
            c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        return c

    yield make
    for c in clients:
        c.close()
