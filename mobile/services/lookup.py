"""Where the receipt's QR points: the public lookup page of the commune's server, with the dossier's
token (`<lookup page>?t=<token>`). The slip is printed offline at the door, so the phone makes the
token itself and sends it with the pickup event."""

from __future__ import annotations

from urllib.parse import quote

import sqlite_utils

from api_client.domain.codes import new_lookup_token as new_lookup_token
from mobile import store


def lookup_base_url(db: sqlite_utils.Database) -> str:
    """The lookup page the receipts of this phone point to. The one place the phone decides it:
    the server it syncs with, `/tra-cuu` (a unit's own lookup address, synced with its settings,
    is to replace this)."""
    session = store.load_session(db)
    backend = session.backend_url if session else ""
    return f"{backend.rstrip('/')}/tra-cuu"


def lookup_link(base: str, token: str) -> str:
    """The address a receipt's QR encodes."""
    return f"{base}?t={quote(token)}"
