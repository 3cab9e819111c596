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
from mobile import store
from mobile.store import (
    Session,
    clear_session,
    device_id,
    ensure_device_key,
    load_session,
    mark_registered,
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
        """The saved session when it is valid and the store is open (after a restart: type the password)."""
        s = load_session(self.db)
        if s is None or s.is_expired() or store.crypto.is_locked(self.db):
            return None
        return s

    def saved_username(self) -> str | None:
        """Who last logged in on this phone (to prefill the login after a restart)."""
        s = load_session(self.db)
        return s.officer.username if s else None

    def has_expired_session(self) -> bool:
        """True when a session is saved but its token has expired."""
        s = load_session(self.db)
        return s is not None and s.is_expired()

    async def login(self, username: str, password: str) -> Session:
        """Log in over HTTP and open the store; offline, the password alone reopens the saved session.

        Raises LoginFailed with a kind the UI can word: 'bad', 'offline', 'server', or 'other_officer'
        (the phone holds another officer's unsent work, encrypted under that officer's password).
        """

        device = device_id(self.db)

        def call():
            with self._client_factory(self.backend_url) as api:
                return api.login(username, password, device_id=device)

        try:
            token = await asyncio.to_thread(call)
        except (LockedError, RateLimitError) as exc:
            raise LoginFailed("locked", exc.detail) from exc
        except (AuthenticationError, ValidationError) as exc:
            # the old password still opens unsent work sealed under it (changed on the server since)
            try:
                return await asyncio.to_thread(self._offline_login, username, password, exc.detail)
            except LoginFailed:
                raise LoginFailed("bad", exc.detail) from exc
        except APIConnectionError as exc:
            return await asyncio.to_thread(self._offline_login, username, password, str(exc))
        except APIStatusError as exc:
            raise LoginFailed("server", exc.detail) from exc
        previous = load_session(self.db)
        if previous is not None and previous.officer.id != token.officer.id:
            # another officer on this phone: the previous one's citizens must not stay readable
            if pending_counts(self.db)["total"] == 0:
                wipe_personal_data(self.db)
        await asyncio.to_thread(self._open_store, username, password)
        session = save_session(self.db, token, self.backend_url)
        await self._register_device_key(session)
        return session

    def _open_store(self, username: str, password: str) -> None:
        """Unlock the store's data key with the password, or make one (encryption is always on)."""
        if not store.crypto.has_keys(self.db):
            with store.transaction(self.db):
                store.crypto.create_keys(self.db, username, password)
                # a store from before encryption: seal what it holds in the clear
                store.crypto.encrypt_existing(self.db, store.blobs.blob_files(self.db))
            return
        owner = store.crypto.keys_owner(self.db)
        pending = pending_counts(self.db)["total"]
        try:
            store.crypto.unlock(self.db, username, password)
            return
        except store.crypto.WrongPassword:
            if owner == username.strip().lower() and pending == 0:
                pass  # the password was changed on the server: nothing unsent, start afresh
            elif owner != username.strip().lower() and pending == 0:
                pass  # another officer's store with nothing unsent
            else:
                kind = "old_password" if owner == username.strip().lower() else "other_officer"
                raise LoginFailed(kind, "unsent work is sealed under another password") from None
        wipe_personal_data(self.db)  # destroys the old keys with the data only they could read
        with store.transaction(self.db):
            store.crypto.create_keys(self.db, username, password)

    def _offline_login(self, username: str, password: str, why: str) -> Session:
        """No network: the saved session of this officer, once the password unwraps the store's key."""
        saved = load_session(self.db)
        if saved is None or saved.officer.username.lower() != username.strip().lower() or saved.is_expired() \
                or not store.crypto.has_keys(self.db):
            raise LoginFailed("offline", why)
        try:
            store.crypto.unlock(self.db, username, password)
        except store.crypto.WrongPassword as exc:
            raise LoginFailed("bad", str(exc)) from exc
        return saved

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

    def is_locked(self) -> bool:
        """True when the store is encrypted and not yet opened with the password since the app started."""
        return store.crypto.is_locked(self.db)
