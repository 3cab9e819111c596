"""Helpers for the account-security tests: the test clock frozen and moved, and logins from an address."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import builders
import httpx

from api_client.domain.clock import ShiftedClock

START = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam


MovableClock = ShiftedClock  # the tests' own clock (tests/conftest.py), frozen by pin_clock


def pin_clock(clock: ShiftedClock, start: datetime = START) -> ShiftedClock:
    """Freeze the test's clock (which the test servers read) at `start`; tests move it by hand.

    Lockouts end to the second, so time must not run on by itself between a test's steps.
    """
    clock.freeze(start)
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
