"""`/api/docs` without the internet: Swagger UI's script, style and icon served by this server.

FastAPI's default page loads them from a CDN, so a commune server on a closed network showed a
blank page. The files come from the `fastapi-offline` package (Swagger UI 5, which reads the
OpenAPI 3.1 schema FastAPI writes); the page is FastAPI's own `get_swagger_ui_html`, pointed at
a StaticFiles mount (FastAPI's documented "custom docs UI static assets" recipe).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/api/docs"
OPENAPI_URL = "/api/openapi.json"
STATIC_URL = "/api/docs-static"


def swagger_static_dir() -> Path:
    """Where the installed package keeps swagger-ui-bundle.js, swagger-ui.css and favicon.png."""
    return Path(str(files("fastapi_offline") / "static"))


def install_api_docs(app: FastAPI) -> None:
    """Serve Swagger UI's files under STATIC_URL and the docs page at DOCS_URL (call before any
    catch-all /api route, which would otherwise answer these paths)."""
    app.mount(STATIC_URL, StaticFiles(directory=swagger_static_dir()), name="api-docs-static")
    redirect_url = f"{DOCS_URL}/oauth2-redirect"

    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title=f"{app.title} — Swagger UI",
            swagger_js_url=f"{STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{STATIC_URL}/favicon.png",
            oauth2_redirect_url=redirect_url,
        )

    async def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    app.add_api_route(DOCS_URL, docs, methods=["GET"], include_in_schema=False)
    app.add_api_route(redirect_url, oauth2_redirect, methods=["GET"], include_in_schema=False)
