"""The app in web mode: an ASGI app serving the Flet UI (placeholder until the screens land)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import flet as ft
import flet.fastapi as flet_fastapi


def make_asgi_app(backend_url: str, data_dir: Path) -> Any:
    """The Flet web app mounted by the backend at '/': one session per tab, reaching the API over HTTP."""

    def main(page: ft.Page) -> None:
        page.title = "Doorstep - Một cửa tận nhà"
        page.add(ft.Text("Doorstep - Một cửa tận nhà"))

    return flet_fastapi.app(main, no_cdn=True, web_renderer=ft.WebRenderer.CANVAS_KIT)
