"""POST /sync/push (events) and GET /sync/pull (changes since a cursor)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api_client.models import PullResponse, PushRequest, PushResponse

from ..deps import CurrentOfficer, EngineDep, SettingsDep
from ..services.events import push_events
from ..services.pull import pull as do_pull
from ..services.wipes import pending_wipe

router = APIRouter(tags=["sync"])


@router.post("/sync/push")
def push(body: PushRequest, engine: EngineDep, settings: SettingsDep,
         officer: CurrentOfficer) -> PushResponse:
    """Apply a batch of events in order, each on its own; one result per event."""
    return PushResponse(results=push_events(engine, settings, officer, body.events, body.device))


@router.get("/sync/pull")
def pull(engine: EngineDep, settings: SettingsDep, officer: CurrentOfficer,
         cursor: Annotated[str | None, Query(max_length=40)] = None,
         limit: Annotated[int, Query(ge=1, le=1000)] = 200,
         device: Annotated[str | None, Query(pattern=r"^[0-9a-f]{32}$")] = None) -> PullResponse:
    """The officer's visits (with dossiers, citizens), catalogues and tombstones since the cursor,
    and the settings of the officer's communes.

    `device` (the phone's evidence key id) lets a wipe ordered for that phone reach it.
    """
    page = do_pull(engine, officer, cursor, limit, settings.lookup_url)
    return page.model_copy(update={"wipe": pending_wipe(engine, officer, device)})
