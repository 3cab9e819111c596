"""Notices to citizens (SMS-like texts), apologies for late results, supervisor notifications."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import Field

from .base import PublicModel, RequestModel

__all__ = ["ApologyCreate", "ApologyPublic", "NoticeKind", "NoticePublic", "NoticeSent", "NoticeState",
           "NotificationPublic"]


class NoticeKind(str, Enum):
    """Why a citizen is told something."""

    RESULT_READY = "result_ready"
    ON_THE_WAY = "on_the_way"
    FAILED_ATTEMPT = "failed_attempt"
    APOLOGY = "apology"
    SUPPLEMENT_NEEDED = "supplement_needed"


class NoticeState(str, Enum):
    """Where a notice stands: queued until a gateway (or the desk, by hand) sends it."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class NoticePublic(PublicModel):
    """A notice as the desk sees it (the phone never sends them)."""

    id: int
    dossier_id: int
    dossier_code: str | None = None
    phone: str
    kind: NoticeKind
    text: str
    state: NoticeState
    attempts: int = 0
    last_error: str | None = None
    created_at: str
    sent_at: str | None = None
    gateway_response: str | None = None


class ApologyCreate(RequestModel):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: why it is late and the new date."""

    reason: Annotated[str, Field(min_length=3, max_length=1000)]
    new_date: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class ApologyPublic(PublicModel):
    """A recorded apology with the appointments before and after it."""

    id: int
    dossier_id: int
    reason: str
    previous_appointment_at: str
    new_appointment_at: str
    original_appointment_at: str | None = None
    created_by: int
    created_at: str
    notice_id: int | None = None


class NotificationPublic(PublicModel):
    """Something a supervisor must act on (e.g. a result sent back to the desk)."""

    id: int
    kind: str
    text: str
    dossier_id: int | None = None
    handover_id: int | None = None
    created_at: str
    read_at: str | None = None


class NoticeSent(RequestModel):
    """The desk marks a notice as sent by hand; `note` says how (e.g. 'SMS từ máy bàn')."""

    note: Annotated[str | None, Field(max_length=500)] = None
