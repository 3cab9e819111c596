"""Short-lived signed download tickets for the files web mode serves (receipts, letters, exports).

A browser opens a receipt link in a new tab and cannot send the officer's bearer token, so each
link the UI shows carries a ticket: the officer it was issued to, an expiry, and an HMAC over the
device folder and file name. The key lives only in the web process; a restart voids old links.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime

from api_client.domain.clock import now_utc

TICKET_TTL_S = 30 * 60  # long enough for a screen left open at the door, short enough to leak little


class DownloadTickets:
    """Issues and checks tickets bound to one (device, file name, officer)."""

    def __init__(
        self,
        key: bytes | None = None,
        ttl_s: int = TICKET_TTL_S,
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        self._key = key or secrets.token_bytes(32)
        self.ttl_s = ttl_s
        self.clock = clock

    def _sig(self, device: str, name: str, officer_id: int, exp: int) -> str:
        msg = f"{device}/{name}/{officer_id}/{exp}".encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()[:32]

    def mint(self, device: str, name: str, officer_id: int) -> str:
        """A ticket for `officer_id` to fetch device/name until now + ttl."""
        exp = int(self.clock().timestamp()) + self.ttl_s
        return f"{officer_id}.{exp}.{self._sig(device, name, officer_id, exp)}"

    def verify(self, ticket: str, device: str, name: str) -> int | None:
        """The officer id a valid, unexpired ticket for device/name was issued to; else None."""
        try:
            officer_s, exp_s, sig = ticket.split(".")
            officer_id, exp = int(officer_s), int(exp_s)
        except ValueError:
            return None
        if not hmac.compare_digest(sig, self._sig(device, name, officer_id, exp)):
            return None
        if exp < self.clock().timestamp():
            return None
        return officer_id
