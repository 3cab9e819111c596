"""Who may download a file web mode serves: its officer, that officer's supervisors, the citizen.

Three credentials are accepted, first match wins:
- `?t=<ticket>`: a link the officer's own session issued (mobile/services/tickets.py);
- `Authorization: Bearer <API token>`: the owner themself, or a supervisor whose units cover the
  owner (the backend decides, through GET /officers/{owner});
- `?lookup=<token>`: the citizen's per-dossier lookup token, for the receipt only (see
  `lookup_allows`).
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from api_client import Client, RetryPolicy
from api_client.errors import DoorstepError
from api_client.models import Role
from mobile.services.receipts import ServedFile
from mobile.services.tickets import DownloadTickets


@dataclass(frozen=True)
class Refusal:
    """Why a download is refused: HTTP status, machine code, Vietnamese message."""

    status: int
    code: str
    detail: str


NO_CREDENTIALS = Refusal(401, "unauthorized", "Cần đăng nhập để tải tệp này")
FORBIDDEN = Refusal(403, "forbidden", "Liên kết không hợp lệ, đã hết hạn hoặc không dành cho bạn")

LookupCheck = Callable[[str, ServedFile], Awaitable[bool]]


async def lookup_allows(token: str, served: ServedFile) -> bool:
    """The citizen's per-dossier lookup token opens that dossier's receipt, nothing else.

    The token is kept with the receipt when the pickup passes it to ReceiptStore.save (the phone
    makes it at the pickup, so this works offline); receipts saved without one refuse every token."""
    return bool(served.is_receipt and served.lookup_token and hmac.compare_digest(token, served.lookup_token))


def _bearer_allows(backend_url: str, token: str, owner: int) -> bool:
    """The API says the token's officer is the owner, or a supervisor who may see the owner."""
    # one try, short timeout: a download must not hang on a backend that is down (it then refuses)
    with Client(backend_url, token, timeout=5.0, retry=RetryPolicy(max_attempts=1)) as api:
        try:
            me = api.me()
            if me.id == owner:
                return True
            if me.role != Role.SUPERVISOR:
                return False
            api.get_officer(owner)  # 404 outside the supervisor's units
            return True
        except DoorstepError:  # refused, unknown, or the API unreachable: fail closed
            return False


async def authorize(
    served: ServedFile,
    device: str,
    name: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    tickets: DownloadTickets,
    backend_url: str,
    lookup: LookupCheck = lookup_allows,
) -> Refusal | None:
    """None when the request may have the file, else the Refusal to answer with."""
    ticket = query.get("t")
    auth = headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    lookup_token = query.get("lookup")
    if not (ticket or token or lookup_token):
        return NO_CREDENTIALS
    if ticket:
        officer = tickets.verify(ticket, device, name)
        # files from before owners were recorded: the device's own ticket is enough
        if officer is not None and served.officer_id in (None, officer):
            return None
    if token and served.officer_id is not None:
        if await asyncio.to_thread(_bearer_allows, backend_url, token, served.officer_id):
            return None
    if lookup_token and served.is_receipt and await lookup(lookup_token, served):
        return None
    return FORBIDDEN
