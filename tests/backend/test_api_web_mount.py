"""With web_ui on, "/" serves the Flet UI while unknown /api paths stay JSON 404."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from testkit import LiveServer, make_settings

from backend.config import Settings


def test_ui_mount_does_not_swallow_api_404s(live_server: Callable[[Settings], LiveServer],
                                             tmp_path: Path) -> None:
    srv = live_server(make_settings(tmp_path, None, web_ui=True))
    ui = httpx.get(f"{srv.url}/")
    assert ui.status_code == 200 and "text/html" in ui.headers["content-type"]
    r = httpx.get(f"{srv.url}/api/v1/does-not-exist")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert httpx.get(f"{srv.api}/health").json()["status"] == "ok"
