"""The ASGI app: JSON API under /api/v1 and, optionally, the Flet web UI at "/"."""

from __future__ import annotations

import importlib

from fastapi import APIRouter, FastAPI
from flet.fastapi import FastAPI as FletFastAPI

from .config import Settings
from .db.engine import make_engine
from .db.migrations import migrate
from .errors import ApiError, GzipRequestMiddleware, install_error_handlers
from .notify.worker import NoticeWorker
from .routers import (
    auth,
    blobs,
    catalogue,
    citizens,
    device_keys,
    dossiers,
    exports,
    handovers,
    health,
    indicators,
    notices,
    notifications,
    officers,
    returns,
    supervision,
    sync,
    tracks,
    units,
    visits,
)
from .routers.health import app_version

API_PREFIX = "/api/v1"
_ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def api_router() -> APIRouter:
    """Every API route, under /api/v1."""
    api = APIRouter(prefix=API_PREFIX)
    # supervision first: its /dossiers/at-risk must win over /dossiers/{dossier_id}
    for module in (health, auth, officers, units, catalogue, supervision, visits, dossiers, citizens, sync,
                   blobs, indicators, exports, tracks,
                   handovers, notices, notifications, returns,  # issue 4
                   device_keys):  # issue 9
        api.include_router(module.router)
    return api


async def _api_not_found(rest: str) -> None:
    # Without this, unknown /api/... paths fall through to the web UI mount and answer 200 HTML.
    raise ApiError(404, "not_found", f"Không có đường dẫn API này (no such API route: /api/{rest})")


def create_app(settings: Settings) -> FastAPI:
    """Build the app: migrate the database, register the API, mount the UI when enabled."""
    engine = make_engine(settings)
    migrate(engine)
    # flet's FastAPI subclass: its lifespan starts/stops the Flet session manager
    # notices to citizens go out in the background only when a webhook gateway is configured;
    # otherwise they wait in the desk's outbox (GET /notices?state=queued)
    worker = NoticeWorker(engine, settings) if settings.notice_webhook_url else None
    app = FletFastAPI(title="Doorstep API", version=app_version(),
                      description="Một cửa tận nhà: the field phone's sync API (docs/sync-protocol.md)",
                      openapi_url="/api/openapi.json", docs_url="/api/docs", redoc_url=None,
                      on_startup=[worker.start] if worker else None,
                      on_shutdown=[worker.stop] if worker else None)
    app.state.settings = settings
    app.state.engine = engine
    install_error_handlers(app)
    app.add_middleware(GzipRequestMiddleware)
    app.include_router(api_router())
    app.add_api_route("/api/{rest:path}", _api_not_found, methods=_ALL_METHODS, include_in_schema=False)
    if settings.web_ui:
        # The one allowed import from mobile/. Imported by name so the server's type check does
        # not depend on the UI package (and a server without the UI never imports Flet screens).
        web = importlib.import_module("mobile.web")
        ui = web.make_asgi_app(backend_url=settings.public_url, data_dir=settings.data_dir / "phones")
        app.mount("/", ui)
    return app
