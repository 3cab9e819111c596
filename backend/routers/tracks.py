"""POST /tracks: the phone's breadcrumbs and duty changes, idempotent by batch id."""

from __future__ import annotations

from fastapi import APIRouter

from api_client.models import TrackBatch, TrackPushResult

from ..deps import CurrentOfficer, EngineDep
from ..services import tracks as service

router = APIRouter(tags=["tracks"])


@router.post("/tracks", responses={409: {"description": "batch id reused with a different body"}})
def push_track(body: TrackBatch, engine: EngineDep, officer: CurrentOfficer) -> TrackPushResult:
    """Store one batch of the signed-in officer's breadcrumbs (a retry of the same batch is a duplicate)."""
    return service.push_track(engine, officer, body)
