"""Helpers for the account-security tests: a movable server clock and login calls from an address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import builders
import httpx
import pytest

START = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam


class MovableClock:
    """Stands in for backend.services.clock.now_utc; tests move it forward."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the server's time forward."""
        self.now += timedelta(**delta)


def pin_clock(monkeypatch: pytest.MonkeyPatch, start: datetime = START) -> MovableClock:
    """Make the server read time from a MovableClock (the live server runs in this process)."""
    clock = MovableClock(start)
    monkeypatch.setattr("backend.services.clock.now_utc", clock)
    return clock


def login(api: str, username: str, password: str = builders.PASSWORD, *, device_id: str | None = None,
          address: str | None = None) -> httpx.Response:
    """POST /auth/login, optionally as a device and from an address (X-Forwarded-For from loopback,
    which uvicorn trusts, stands in for a phone's address)."""
    body: dict[str, Any] = {"username": username, "password": password}
    if device_id:
        body["device_id"] = device_id
    headers = {"X-Forwarded-For": address} if address else {}
    return httpx.post(f"{api}/auth/login", json=body, headers=headers, timeout=30)


def bearer(token: str) -> dict[str, str]:
    """Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}
