"""GET /health: liveness plus which database answers."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter
from sqlalchemy import text

from ..deps import EngineDep
from ..errors import ApiError
from ..services.clock import now_iso

router = APIRouter(tags=["health"])


def app_version() -> str:
    """The installed package version (or 'dev' from a bare checkout)."""
    try:
        return version("doorstep")
    except PackageNotFoundError:
        return "dev"


@router.get("/health")
def health(engine: EngineDep) -> dict[str, str]:
    """{"status": "ok", "database", "version", "server_time"}; 503 if the database is down.

    `server_time` is the server's business clock: phones compare it with their own.
    """
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise ApiError(503, "database_unavailable", "Cơ sở dữ liệu không phản hồi (database down)") from exc
    return {"status": "ok", "database": engine.dialect.name, "version": app_version(),
            "server_time": now_iso()}
