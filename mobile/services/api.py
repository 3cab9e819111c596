"""The one place the app builds HTTP clients (everything goes through api_client.Client)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import sqlite_utils

from api_client.client import Client
from api_client.errors import APIConnectionError, APIStatusError
from api_client.retry import RetryPolicy
from mobile import store

T = TypeVar("T")


def make_client(base_url: str, token: str | None = None) -> Client:
    """A client with short timeouts: in the field a hung request is worse than a quick retry later."""
    return Client(base_url, token, timeout=15.0, retry=RetryPolicy(max_attempts=2, base_delay=0.3))


def with_session(api: Client, db: sqlite_utils.Database, session: store.Session) -> Client:
    """Let the client renew the session's expired access token and save the renewed pair."""
    api.refresh_token = session.refresh_token
    api.token_store = store.SessionTokens(db)
    return api


class OnlineService:
    """Base of the online-only services: one call runs with the session's token, off the UI thread.

    Subclasses say which of their errors a failure becomes (`_offline`, `_refused`, `_no_session`),
    so each screen keeps catching the errors of its own service.
    """

    db: sqlite_utils.Database
    backend_url: str
    _client_factory: Callable[..., Client]

    def _offline(self, message: str) -> Exception:
        """The server could not be reached."""
        raise NotImplementedError

    def _refused(self, detail: str) -> Exception:
        """The server answered with an error status; `detail` is its message."""
        raise NotImplementedError

    def _no_session(self) -> Exception:
        """Nobody is logged in on this phone."""
        return self._refused("no session")

    async def _call(self, fn: Callable[[Client], T]) -> T:
        s = store.load_session(self.db)
        if s is None:
            raise self._no_session()

        def run() -> T:
            with self._client_factory(self.backend_url, s.token) as api:
                return fn(with_session(api, self.db, s))

        try:
            # the blocking client runs in a thread: the UI stays responsive on a slow network
            return await asyncio.to_thread(run)
        except APIConnectionError as exc:
            raise self._offline(str(exc)) from exc
        except APIStatusError as exc:
            raise self._refused(exc.detail or str(exc)) from exc
