"""The app in web mode: an ASGI app serving the Flet UI; each browser tab behaves as its own phone.

The Python side runs in the server process (one session per tab) but still reaches the backend
only over HTTP through api_client.Client. Receipt PDFs are served from the device folders.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import flet as ft
import flet.fastapi as flet_fastapi
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

from api_client.domain.clock import Clock
from mobile.app import build_main
from mobile.services.receipts import serve_path
from mobile.services.tickets import DownloadTickets
from mobile.web_access import authorize

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".geojson": "application/geo+json",
    ".gpx": "application/gpx+xml",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"


def make_asgi_app(backend_url: str | None, data_dir: Path, clock: Clock | None = None,
                  tickets: DownloadTickets | None = None) -> Any:
    """The Flet web app mounted at '/': the officer's screens plus /receipts/<device>/<file>.pdf.

    The server's mount passes its own address; None makes every tab ask on its first-run screen,
    as an installed phone does (`doorstep app --first-run`). Files are served only with a
    credential (mobile/web_access.py): the links the UI shows carry a short-lived ticket signed
    with this process's key.
    """
    data_dir = Path(data_dir)
    tickets = tickets or DownloadTickets()
    main = build_main(backend_url, data_dir, per_device=True, clock=clock, tickets=tickets)
    app = flet_fastapi.app(
        main,
        no_cdn=True,
        web_renderer=ft.WebRenderer.CANVAS_KIT,
        assets_dir=str(ASSETS_DIR),
        app_name="Một cửa tận nhà",
        app_short_name="Doorstep",
        app_description="Tiếp nhận hồ sơ và trả kết quả tại nhà",
    )

    async def receipt(request) -> Any:
        device, name = request.path_params["device"], request.path_params["name"]
        served = serve_path(data_dir, device, name)
        if served is None:
            return JSONResponse({"detail": "Không tìm thấy giấy tiếp nhận", "code": "not_found"}, 404)
        refused = await authorize(served, device, name, request.query_params, request.headers,
                                  tickets, backend_url or "")  # first-run tabs: tickets only
        if refused is not None:
            return JSONResponse({"detail": refused.detail, "code": refused.code}, refused.status,
                                headers={"Cache-Control": "no-store"})
        path = served.path
        return FileResponse(
            path,
            media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
            filename=path.name,
            headers={"Cache-Control": "no-store"},
        )

    # before the SPA's catch-all static mount at "/", or it would answer with index.html
    app.router.routes.insert(0, Route("/receipts/{device}/{name}", receipt, methods=["GET"]))
    return app


def app_from_env() -> Any:
    """ASGI factory for uvicorn --factory: DOORSTEP_BACKEND_URL and DOORSTEP_APP_DATA."""
    return make_asgi_app(
        os.environ.get("DOORSTEP_BACKEND_URL", "http://127.0.0.1:8000"),
        Path(os.environ.get("DOORSTEP_APP_DATA", "app-data")),
    )
