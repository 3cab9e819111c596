"""Helpers of the supervisor UI tests: log in as the demo supervisor, wait for the board, find things."""

from __future__ import annotations

from harness import AppHarness
from uikit import login, shell, start_app, wait_until

from api_client import Client

SUPERVISOR = "giamsat.anphu"
PASSWORD = "doorstep123"


def sup_api(url: str) -> Client:
    """An API client logged in as the demo supervisor."""
    api = Client(url)
    api.login(SUPERVISOR, PASSWORD)
    return api


async def start_supervisor(url: str, data_dir, width: float | None = None) -> AppHarness:
    """The real app logged in as the demo supervisor, the board loaded."""
    h = await start_app(url, data_dir)
    if width is not None:
        h.page.width = width
        shell(h)._wide = shell(h)._is_wide()
    await login(h, SUPERVISOR, PASSWORD, wait_sync=False)
    st = shell(h).services.supervision.state
    await wait_until(h, lambda: st.board is not None, what="board")
    return h


def keys(h: AppHarness, prefix: str) -> list[str]:
    """Every control key on screen starting with `prefix`."""
    return sorted(str(c.key) for c in h.all_controls() if str(getattr(c, "key", "") or "").startswith(prefix))


def by_key(h: AppHarness, key: str):
    """The control with this key (None when absent)."""
    hits = [c for c in h.all_controls() if getattr(c, "key", None) == key]
    return hits[0] if hits else None
