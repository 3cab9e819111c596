"""The ASGI app: JSON API under /api/v1 and, optionally, the Flet web UI at "/"."""

from __future__ import annotations

import importlib
import logging

from fastapi import APIRouter, FastAPI, Request
from flet.fastapi import FastAPI as FletFastAPI
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from api_client.domain.clock import Clock, using_clock

from .api_docs import OPENAPI_URL, install_api_docs
from .config import Settings
from .db.engine import make_engine
from .db.migrations import migrate
from .errors import ApiError, GzipRequestMiddleware, install_error_handlers
from .notify.worker import NoticeWorker
from .routers import (
    accounts,
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
    lookup,
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
from .services import audit
from .services.geocoding import make_geocoder
from .services.lookup import RateLimiter

API_PREFIX = "/api/v1"
_ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def api_router() -> APIRouter:
    """Every API route, under /api/v1."""
    api = APIRouter(prefix=API_PREFIX)
    # supervision first: its /dossiers/at-risk must win over /dossiers/{dossier_id}
    for module in (health, auth, officers, units, catalogue, supervision, visits, dossiers, citizens, sync,
                   blobs, indicators, exports, tracks,
                   handovers, notices, notifications, returns,  # issue 4
                   accounts, device_keys):  # issue 9
        api.include_router(module.router)
    return api


log = logging.getLogger("doorstep.audit")


async def _audit_refusal(request: Request, exc: ApiError) -> None:
    """Every 401/403/423/429 goes to the audit log with who, from where and which route."""
    if exc.status not in audit.REFUSAL_STATUSES or exc.code in audit.ROUTINE_CODES:
        return
    client = audit.ClientInfo(address=request.client.host if request.client else None,
                              method=request.method, path=request.url.path)
    try:
        await run_in_threadpool(audit.record_now, request.app.state.engine, "refused", client,
                                officer_id=getattr(request.state, "officer_id", None),
                                device_id=getattr(request.state, "device_id", None),
                                status=exc.status, code=exc.code)
    except Exception:  # the refusal must still be answered, even if the log cannot be written
        log.exception("could not write the audit row of a refusal")


async def _api_not_found(rest: str) -> None:
    # Without this, unknown /api/... paths fall through to the web UI mount and answer 200 HTML.
    raise ApiError(404, "not_found", f"Không có đường dẫn API này (no such API route: /api/{rest})")


class ClockMiddleware:
    """Binds the app's clock around every request and the lifespan (so background tasks inherit it)."""

    def __init__(self, app: ASGIApp, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with using_clock(self.clock):
            await self.app(scope, receive, send)


def create_app(settings: Settings) -> FastAPI:
    """Build the app: migrate the database, register the API, mount the UI when enabled."""
    engine = make_engine(settings)
    migrate(engine)
    # flet's FastAPI subclass: its lifespan starts/stops the Flet session manager
    # notices to citizens go out in the background only when a webhook gateway is configured;
    # otherwise they wait in the desk's outbox (GET /notices?state=queued)
    # (any number of workers may dispatch at once: notices are claimed with a lease)
    dispatching = settings.notice_webhook_url and settings.notice_dispatch
    worker = NoticeWorker(engine, settings) if dispatching else None
    app = FletFastAPI(title="Doorstep API", version=app_version(),
                      description="Một cửa tận nhà: the field phone's sync API (docs/sync-protocol.md)",
                      openapi_url=OPENAPI_URL, docs_url=None, redoc_url=None,  # docs: api_docs.py
                      on_startup=[worker.start] if worker else None,
                      on_shutdown=[worker.stop] if worker else None)
    app.state.settings = settings
    app.state.engine = engine
    # one geocoder per process: its RateLimiter spaces every request this server sends
    app.state.geocoder = make_geocoder(settings)
    app.state.on_refusal = _audit_refusal
    install_error_handlers(app)
    app.add_middleware(GzipRequestMiddleware)
    app.add_middleware(ClockMiddleware, clock=settings.clock)
    app.state.clock = settings.clock
    app.include_router(api_router())
    install_api_docs(app)  # before the catch-all below
    app.state.lookup_limiter = RateLimiter(settings.lookup_rate_limit, settings.lookup_rate_window_s)
    app.include_router(lookup.router)  # the citizen's page: before the web UI's mount at "/"
    app.add_api_route("/api/{rest:path}", _api_not_found, methods=_ALL_METHODS, include_in_schema=False)
    if settings.web_ui:
        # The one allowed import from mobile/. Imported by name so the server's type check does
        # not depend on the UI package (and a server without the UI never imports Flet screens).
        web = importlib.import_module("mobile.web")
        ui = web.make_asgi_app(backend_url=settings.public_url, data_dir=settings.data_dir / "phones",
                                clock=settings.clock)
        app.mount("/", ui)
    return app


def app_from_env() -> FastAPI:
    """ASGI factory for each worker of `doorstep serve --workers N` (uvicorn --factory): settings from env."""
    return create_app(Settings.from_env())
