"""Fixtures for the API tests: the standard world on the live server, and signed-in clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import builders
import httpx
import pytest
from testkit import LiveServer


@pytest.fixture
def world(server: LiveServer) -> builders.World:
    """The standard scenario inserted into the server's database."""
    return builders.world(server.engine)


@pytest.fixture
def client_for(server: LiveServer) -> Iterator[Callable[[str | None], httpx.Client]]:
    """client_for(username) -> an httpx.Client on /api/v1 signed in as that officer (None: anonymous)."""
    clients: list[httpx.Client] = []

    def make(username: str | None) -> httpx.Client:
        c = httpx.Client(base_url=server.api, timeout=30)
        clients.append(c)
        if username:
            r = c.post("/auth/login", json={"username": username, "password": builders.PASSWORD})
            assert r.status_code == 200, r.text
            c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        return c

    yield make
    for c in clients:
        c.close()
