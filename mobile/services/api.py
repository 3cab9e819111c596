"""The one place the app builds HTTP clients (everything goes through api_client.Client)."""

from __future__ import annotations

from api_client.client import Client
from api_client.retry import RetryPolicy


def make_client(base_url: str, token: str | None = None) -> Client:
    """A client with short timeouts: in the field a hung request is worse than a quick retry later."""
    return Client(base_url, token, timeout=15.0, retry=RetryPolicy(max_attempts=2, base_delay=0.3))
