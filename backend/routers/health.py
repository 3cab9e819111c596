"""GET /health: liveness plus which database answers."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter
from sqlalchemy import text

from ..deps import EngineDep
from ..errors import ApiError

router = APIRouter(tags=["health"])


def app_version() -> str:
    """The installed package version (or 'dev' from a bare checkout)."""
    try:
        return version("doorstep")
    except PackageNotFoundError:
        return "dev"


@router.get("/health")
def health(engine: EngineDep) -> dict[str, str]:
    """{"status": "ok", "database": "sqlite"|"postgresql", "version"}; 503 if the database is down."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise ApiError(503, "database_unavailable", "Cơ sở dữ liệu không phản hồi (database down)") from exc
    return {"status": "ok", "database": engine.dialect.name, "version": app_version()}
