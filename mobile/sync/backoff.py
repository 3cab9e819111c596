"""When to try a queued item again after it failed: doubling waits, capped."""

from __future__ import annotations

from datetime import datetime, timedelta

BASE_SECONDS = 30.0
MAX_SECONDS = 3600.0


def next_attempt_at(now: datetime, attempts: int, *, base: float = BASE_SECONDS,
                    cap: float = MAX_SECONDS) -> str:
    """ISO time of the next try after `attempts` earlier failures (0 -> base, then doubling)."""
    delay = min(base * (2 ** max(attempts, 0)), cap)
    return (now + timedelta(seconds=delay)).isoformat(timespec="seconds")
