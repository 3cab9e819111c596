"""When and how long to wait before retrying a request: exponential backoff with jitter.

Only requests that are safe to repeat are retried: GET/HEAD/PUT (PUT of a blob chunk carries
its offset, so a repeat is either a no-op or a 409 the uploader handles) and
`POST /sync/push`, whose events carry idempotency ids the server dedupes.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from .domain.clock import now_utc

RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "OPTIONS"})
IDEMPOTENT_POST_PATHS = ("/sync/push", "/tracks")  # both deduplicate by the client's UUID


def is_idempotent(method: str, path: str) -> bool:
    """True when repeating this request cannot double an effect."""
    method = method.upper()
    if method in IDEMPOTENT_METHODS:
        return True
    return method == "POST" and path.rstrip("/").endswith(IDEMPOTENT_POST_PATHS)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or now_utc()  # the business clock: tests pin it, phones and servers read the system
    return max(0.0, (when - now).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: base * 2**(attempt-1), capped, +/- jitter; Retry-After wins (capped)."""

    max_attempts: int = 3  # total tries including the first; 1 disables retries
    base_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25  # fraction of the delay added or removed at random
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)

    def should_retry(self, *, attempt: int, method: str, path: str, status_code: int | None) -> bool:
        """Whether try number `attempt` (1-based) that just failed may be tried again.

        `status_code` is None for connection errors and timeouts.
        """
        if attempt >= self.max_attempts or not is_idempotent(method, path):
            return False
        return status_code is None or status_code in RETRY_STATUSES

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed try number `attempt` (1-based)."""
        if retry_after is not None:
            # The server knows its own load better than our formula; still never wait forever.
            return min(retry_after, self.max_delay)
        raw = min(self.base_delay * (2 ** (attempt - 1)), self.max_delay)
        if self.jitter:
            raw *= 1 + random.uniform(-self.jitter, self.jitter)
        return max(0.0, min(raw, self.max_delay))

    @classmethod
    def none(cls) -> RetryPolicy:
        """A policy that never retries (the sync engine has its own, slower, schedule)."""
        return cls(max_attempts=1)


__all__ = ["RETRY_STATUSES", "RetryPolicy", "is_idempotent", "parse_retry_after"]
