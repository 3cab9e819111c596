"""GET /catalogue and /catalogue/{version}."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from api_client.models import CataloguePublic

from ..db.schema import catalogues
from ..deps import CurrentOfficer, EngineDep
from ..errors import not_found
from ..services.views import catalogue_public

router = APIRouter(tags=["catalogue"])


def _one(engine: EngineDep, version: int | None) -> CataloguePublic:
    q = select(catalogues).order_by(catalogues.c.version.desc()).limit(1)
    if version is not None:
        q = select(catalogues).where(catalogues.c.version == version)
    with engine.connect() as conn:
        row = conn.execute(q).mappings().first()
    if row is None:
        raise not_found("Không có danh mục thủ tục này (catalogue not found)")
    return catalogue_public(row)


@router.get("/catalogue")
def latest(engine: EngineDep, _: CurrentOfficer) -> CataloguePublic:
    """The newest catalogue version."""
    return _one(engine, None)


@router.get("/catalogue/{version}")
def by_version(version: int, engine: EngineDep, _: CurrentOfficer) -> CataloguePublic:
    """One catalogue version (visits keep the version they started under)."""
    return _one(engine, version)
