"""Login online once; afterwards open offline with the saved session until it expires; logout wipes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import sqlite_utils

from api_client.errors import APIConnectionError, APIStatusError, AuthenticationError, ValidationError
from mobile.store import (
    Session,
    clear_session,
    ensure_device_key,
    load_session,
    mark_registered,
    pending_counts,
    save_session,
    wipe_personal_data,
)

from .api import make_client


class LoginFailed(Exception):
    """Login did not work; `kind` is 'bad' (credentials), 'offline' or 'server'."""

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

        def call():
            with self._client_factory(self.backend_url) as api:
                return api.login(username, password)

        try:
            token = await asyncio.to_thread(call)
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
        session = save_session(self.db, token, self.backend_url)
        await self._register_device_key(session)
        return session

    async def _register_device_key(self, session: Session) -> None:
        """Make this phone's evidence key at first login and register it (the next sync retries)."""
        key = ensure_device_key(self.db, session.officer.id)
        if key.registered:
            return

        def call() -> None:
            with self._client_factory(self.backend_url) as api:
                api.token = session.token
                api.register_device_key(key.device_id, key.public_key)

        try:
            await asyncio.to_thread(call)
        except (APIConnectionError, APIStatusError):
            return  # offline or refused now: SyncEngine.register_device_key tries again
        mark_registered(self.db, key.device_id)

    def unsynced_count(self) -> int:
        """What a logout would lose (queued events, conflicts, unsent photos, drafts)."""
        return int(pending_counts(self.db)["total"])

    def logout(self) -> None:
        """Forget the token and wipe citizens' data from the phone (the UI warned first)."""
        wipe_personal_data(self.db)
        clear_session(self.db)
