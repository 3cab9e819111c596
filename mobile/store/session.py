"""The logged-in officer: one row holding the token that lets the phone work a week offline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from api_client.domain.clock import now_utc
from api_client.models import OfficerPublic, TokenPublic

from .db import now_iso, transaction


@dataclass(frozen=True)
class Session:
    """Who is logged in, with which token, against which server."""

    officer: OfficerPublic
    token: str
    expires_at: str
    backend_url: str

    def is_expired(self, now: datetime | None = None) -> bool:
        """True once the token's expiry has passed (the officer must log in again online)."""
        try:
            expires = datetime.fromisoformat(self.expires_at.replace("Z", "+00:00"))
        except ValueError:
            return True
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return (now or now_utc()) >= expires


def save_session(db: sqlite_utils.Database, token: TokenPublic, backend_url: str) -> Session:
    """Store the login result (replacing any previous session) and return it."""
    row = {
        "id": 1,
        "officer": token.officer.model_dump_json(),
        "token": token.access_token,
        "expires_at": token.expires_at,
        "backend_url": backend_url,
        "saved_at": now_iso(),
    }
    with transaction(db):
        db.execute("DELETE FROM session")
        db.execute(
            "INSERT INTO session (id, officer, token, expires_at, backend_url, saved_at) "
            "VALUES (:id, :officer, :token, :expires_at, :backend_url, :saved_at)", row)
    return load_session(db) or _never()


def _never() -> Session:
    raise RuntimeError("session row vanished right after it was written")


def load_session(db: sqlite_utils.Database) -> Session | None:
    """The stored session, or None when nobody is logged in."""
    rows = list(db.query("SELECT * FROM session WHERE id = 1"))
    if not rows:
        return None
    row = rows[0]
    return Session(
        officer=OfficerPublic.model_validate(json.loads(row["officer"])),
        token=row["token"],
        expires_at=row["expires_at"],
        backend_url=row["backend_url"],
    )


def clear_session(db: sqlite_utils.Database) -> None:
    """Forget the token (keeps cached data; see wipe.wipe_personal_data for a full logout)."""
    db.execute("DELETE FROM session")
