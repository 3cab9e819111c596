"""An officer's own notifications (supervisors: results sent back to the desk, etc.)."""

from __future__ import annotations

from fastapi import APIRouter

from api_client.models import NotificationPublic

from ..deps import CurrentOfficer, EngineDep
from ..services import notifications as service

router = APIRouter(tags=["notifications"])


@router.get("/notifications")
def list_notifications(engine: EngineDep, officer: CurrentOfficer,
                       unread: bool | None = None) -> list[NotificationPublic]:
    """The officer's notifications, newest first (unread=true: only unread ones)."""
    return service.list_notifications(engine, officer, unread)


@router.post("/notifications/{notification_id}/read")
def mark_read(notification_id: int, engine: EngineDep, officer: CurrentOfficer) -> NotificationPublic:
    """Mark one notification read."""
    return service.mark_read(engine, officer, notification_id)
