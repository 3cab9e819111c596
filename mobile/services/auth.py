"""Login online once; afterwards open offline with the saved session until it expires; logout wipes."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import sqlite_utils

from api_client.errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    LockedError,
    RateLimitError,
    ValidationError,
)
from mobile.store import (
    Session,
    clear_session,
    device_id,
    load_session,
    pending_counts,
    save_session,
    wipe_personal_data,
)

from .api import make_client


class LoginFailed(Exception):
    """Login did not work; `kind` is 'bad' (credentials), 'locked' (too many wrong passwords: `detail`
    says until when, in Vietnamese), 'offline' or 'server'."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail = kind, detail


class AuthService:
    """The officer's session on this device."""

    def __init__(
        self, db: sqlite_utils.Database, backend_url: str, client_factory: Callable = make_client
    ) -> None:
        self.db = db
        self.backend_url = backend_url
        self._client_factory = client_factory

    def session(self) -> Session | None:
        """The saved session when it is still valid (an expired one means: log in again online)."""
        s = load_session(self.db)
        if s is None or s.is_expired():
            return None
        return s

    def has_expired_session(self) -> bool:
        """True when a session is saved but its token has expired."""
        s = load_session(self.db)
        return s is not None and s.is_expired()

    async def login(self, username: str, password: str) -> Session:
        """Log in over HTTP and save the token; raises LoginFailed with a kind the UI can word."""

        device = device_id(self.db)

        def call():
            with self._client_factory(self.backend_url) as api:
                return api.login(username, password, device_id=device)

        try:
            token = await asyncio.to_thread(call)
        except (LockedError, RateLimitError) as exc:
            raise LoginFailed("locked", exc.detail) from exc
        except (AuthenticationError, ValidationError) as exc:
            raise LoginFailed("bad", exc.detail) from exc
        except APIConnectionError as exc:
            raise LoginFailed("offline", str(exc)) from exc
        except APIStatusError as exc:
            raise LoginFailed("server", exc.detail) from exc
        previous = load_session(self.db)
        if previous is not None and previous.officer.id != token.officer.id:
            # another officer on this phone: the previous one's citizens must not stay readable
            if pending_counts(self.db)["total"] == 0:
                wipe_personal_data(self.db)
        return save_session(self.db, token, self.backend_url)

    def unsynced_count(self) -> int:
        """What a logout would lose (queued events, conflicts, unsent photos, drafts)."""
        return int(pending_counts(self.db)["total"])

    def logout(self) -> threading.Thread | None:
        """Forget the tokens and wipe citizens' data from the phone (the UI warned first); the
        server is told in the background to end the session (returned thread: tests join it)."""
        s = load_session(self.db)
        wipe_personal_data(self.db)
        clear_session(self.db)
        return self._end_on_server(s) if s is not None else None

    def _end_on_server(self, s: Session) -> threading.Thread:
        """`POST /auth/logout` off the UI thread: a copy of the tokens must not outlive the logout."""

        def run() -> None:
            try:
                with self._client_factory(s.backend_url, s.token) as api:
                    api.refresh_token = s.refresh_token  # an expired access token is renewed first
                    api.logout()
            except (APIConnectionError, APIStatusError):
                pass  # offline: the session expires by itself, or a supervisor revokes the device

        thread = threading.Thread(target=run, daemon=True, name="logout-on-server")
        thread.start()
        return thread
