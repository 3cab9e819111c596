"""WebhookGateway: POST each notice as JSON to an SMS provider / relay URL, retrying transient errors."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from .gateway import GatewayResult, OutgoingNotice, SendOutcome

MAX_RESPONSE_CHARS = 500  # what we keep of the gateway's answer on the notice row


class WebhookGateway:
    """POST {to, text, dossier_code, kind, notice_id}; connection errors and 5xx/429 retry with backoff.

    The Idempotency-Key header (notice-<id>) lets the receiver drop a repeat when our retry
    follows a request that did arrive but whose answer was lost.
    """

    def __init__(self, url: str, *, timeout: float = 5.0, tries: int = 3, backoff_s: float = 0.5,
                 client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.url = url
        self.tries = max(tries, 1)
        self.backoff_s = backoff_s
        self._client = client or httpx.Client(timeout=timeout)
        self._sleep = sleep

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self._client.close()

    def send(self, notice: OutgoingNotice) -> GatewayResult:
        """Deliver one notice: SENT on 2xx, FAILED on other 4xx, RETRY when every try failed transiently."""
        body = {"to": notice.phone, "text": notice.text, "dossier_code": notice.dossier_code,
                "kind": notice.kind, "notice_id": notice.id}
        headers = {"Idempotency-Key": f"notice-{notice.id}"}
        error = ""
        for attempt in range(1, self.tries + 1):
            if attempt > 1:
                self._sleep(self.backoff_s * 2 ** (attempt - 2))
            try:
                response = self._client.post(self.url, json=body, headers=headers)
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
                continue
            text = response.text[:MAX_RESPONSE_CHARS]
            if response.is_success:
                return GatewayResult(SendOutcome.SENT, attempt, f"{response.status_code} {text}".strip())
            error = f"HTTP {response.status_code}: {text}".strip()
            if response.status_code < 500 and response.status_code != 429:
                return GatewayResult(SendOutcome.FAILED, attempt, text, error)
        return GatewayResult(SendOutcome.RETRY, self.tries, None, error)
