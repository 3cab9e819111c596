"""Login, tokens, and account security (sessions, devices, lockouts, audit log)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import PublicModel, RequestModel
from .people import OfficerPublic

# a phone's install id: letters, digits, dash, underscore, dot, colon (a UUID fits)
DeviceId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class LoginRequest(RequestModel):
    """Username + password, once; the refresh token then keeps the phone signed in for days."""

    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=200)]
    device_id: DeviceId | None = None  # omitted by old clients: the server makes one up


class RefreshRequest(RequestModel):
    """A refresh token (single use: the answer carries its successor)."""

    refresh_token: Annotated[str, Field(min_length=1, max_length=200)]


class PasswordChange(RequestModel):
    """The current password proves it is the officer; every other session is ended."""

    current_password: Annotated[str, Field(min_length=1, max_length=200)]
    new_password: Annotated[str, Field(min_length=8, max_length=200)]


class TokenPublic(PublicModel):
    """A short-lived bearer token, the refresh token that renews it, and who they belong to."""

    access_token: str
    token_type: str = "bearer"
    expires_at: str  # of the access token
    officer: OfficerPublic
    expires_in: int | None = None  # seconds the access token lives
    refresh_token: str | None = None
    refresh_expires_at: str | None = None  # until then the phone may renew without the password
    device_id: str | None = None


class DevicePublic(PublicModel):
    """A phone (or browser) an officer signed in from."""

    device_id: str
    first_seen_at: str
    last_seen_at: str  # last login or token refresh
    last_address: str | None = None
    user_agent: str | None = None
    active_sessions: int = 0
    revoked_at: str | None = None


class LockoutPublic(PublicModel):
    """An account's login state: locked out after wrong passwords (until when), and enabled or not."""

    officer_id: int
    locked: bool
    locked_until: str | None = None
    failures: int = 0
    active: bool = True  # False: a supervisor disabled the account


class AuditEntry(PublicModel):
    """One row of the security audit log."""

    id: int
    at: str
    event: str
    officer_id: int | None = None
    username: str | None = None
    target_officer_id: int | None = None
    status: int | None = None
    code: str | None = None
    method: str | None = None
    path: str | None = None
    address: str | None = None
    device_id: str | None = None
    detail: str | None = None
