"""Notices to citizens, as the desk sees them: the outbox to send by hand, and marking sent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api_client.models import NoticePublic, NoticeSent, NoticeState

from ..deps import EngineDep, SupervisorOnly
from ..services import notices as service

router = APIRouter(tags=["notices"])


@router.get("/notices")
def list_notices(response: Response, engine: EngineDep, supervisor: SupervisorOnly,
                 state: NoticeState | None = None, dossier_id: int | None = None,
                 page: Annotated[int, Query(ge=1)] = 1,
                 page_size: Annotated[int, Query(ge=1, le=500)] = 100) -> list[NoticePublic]:
    """Notices of the supervisor's units, oldest first; state=queued is the desk's outbox."""
    items, total = service.list_notices(engine, supervisor, state, dossier_id, page, page_size)
    response.headers["X-Total-Count"] = str(total)
    return items


@router.post("/notices/{notice_id}/sent")
def mark_sent(notice_id: int, engine: EngineDep, supervisor: SupervisorOnly,
              body: NoticeSent | None = None) -> NoticePublic:
    """The desk sent it by hand; marking twice changes nothing."""
    return service.mark_sent(engine, supervisor, notice_id, body.note if body else None)
