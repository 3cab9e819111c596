"""Where a `Client` keeps its tokens between runs, so a refresh it makes is never lost.

The phone implements `TokenStore` over its session row (mobile/store/session.py). Several clients
of one phone (the sync engine, online screens) may hold the same refresh token; they share the
store's lock, and a client first looks whether another one already refreshed before spending the
refresh token itself (a spent token presented again would end the session as a reuse).
"""

from __future__ import annotations

import threading

from .models import TokenPublic


class TokenStore:
    """Persisted (access token, refresh token) of one signed-in device."""

    lock: threading.RLock = threading.RLock()  # subclasses may narrow it; one per process is enough

    def load(self) -> tuple[str | None, str | None]:
        """The stored (access token, refresh token); (None, None) when signed out."""
        raise NotImplementedError

    def save(self, token: TokenPublic) -> None:
        """Store the pair a refresh (or a password change) returned."""
        raise NotImplementedError


__all__ = ["TokenStore"]
