"""The logged-in officer: one row with the access token and the refresh token that renews it.

The access token lives minutes; the refresh token (rotated at each use) days. Offline the phone
keeps working until the refresh token would have expired; online the api_client renews the
access token by itself and saves the new pair here (`SessionTokens`).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from api_client.domain.clock import now_utc
from api_client.models import OfficerPublic, TokenPublic
from api_client.tokens import TokenStore

from .db import now_iso, transaction


@dataclass(frozen=True)
class Session:
    """Who is logged in, with which token, against which server."""

    officer: OfficerPublic
    token: str
    expires_at: str
    backend_url: str
    refresh_token: str | None = None
    refresh_expires_at: str | None = None

    def is_expired(self, now: datetime | None = None) -> bool:
        """True once the session cannot be renewed any more (the officer must log in again online):
        the refresh token's expiry when there is one, else the access token's."""
        until = self.refresh_expires_at if self.refresh_token and self.refresh_expires_at else self.expires_at
        try:
            expires = datetime.fromisoformat(until.replace("Z", "+00:00"))
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
        "refresh_token": token.refresh_token,
        "refresh_expires_at": token.refresh_expires_at,
    }
    with transaction(db):
        db.execute("DELETE FROM session")
        db.execute(
            "INSERT INTO session (id, officer, token, expires_at, backend_url, saved_at, refresh_token, "
            "refresh_expires_at) VALUES (:id, :officer, :token, :expires_at, :backend_url, :saved_at, "
            ":refresh_token, :refresh_expires_at)", row)
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
        refresh_token=row["refresh_token"],
        refresh_expires_at=row["refresh_expires_at"],
    )


def update_tokens(db: sqlite_utils.Database, token: TokenPublic) -> None:
    """Store a renewed token pair in the current session (no-op after a logout)."""
    with transaction(db):
        db.execute(
            "UPDATE session SET token = ?, expires_at = ?, refresh_token = COALESCE(?, refresh_token), "
            "refresh_expires_at = COALESCE(?, refresh_expires_at), saved_at = ? WHERE id = 1",
            [token.access_token, token.expires_at, token.refresh_token, token.refresh_expires_at, now_iso()])


def device_id(db: sqlite_utils.Database) -> str:
    """This install's device id (made once by the store's migration; survives logouts)."""
    return str(db.execute("SELECT device_id FROM device WHERE id = 1").fetchone()[0])


# one lock for every store of the process: refreshes are rare (one per access-token lifetime) and
# the UI's and the sync engine's clients of one phone must not spend one refresh token twice
_REFRESH_LOCK = threading.RLock()


class SessionTokens(TokenStore):
    """The api_client's token store over the session row: a renewal survives the app's restart."""

    lock = _REFRESH_LOCK

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def load(self) -> tuple[str | None, str | None]:
        """The stored (access, refresh) tokens."""
        s = load_session(self.db)
        return (s.token, s.refresh_token) if s else (None, None)

    def save(self, token: TokenPublic) -> None:
        """Keep the renewed pair."""
        update_tokens(self.db, token)


def clear_session(db: sqlite_utils.Database) -> None:
    """Forget the token (keeps cached data; see wipe.wipe_personal_data for a full logout)."""
    db.execute("DELETE FROM session")
