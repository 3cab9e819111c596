"""Sync wire shapes: push a batch of events, pull changes since a cursor, blob status."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, Field

from .base import PublicModel, RequestModel
from .catalogue import CataloguePublic
from .dossiers import DossierPublic
from .evidence import WipeOrderPublic
from .people import CitizenPublic
from .units import UnitSettingsPublic
from .visits import VisitPublic

MAX_BATCH = 200


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("Thời điểm phải có múi giờ")
    return value


class DeviceClock(RequestModel):
    """The phone's clocks at the moment it pushes: the server compares them with its own.

    No plausibility check on `device_time`: a wrong phone clock is exactly what is measured.
    """

    device_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    device_time: Annotated[datetime, AfterValidator(_aware)]
    monotonic_ms: Annotated[int, Field(ge=0)]
    boot: Annotated[str | None, Field(max_length=64)] = None


class PushRequest(RequestModel):
    """A batch of raw events; each is validated on its own so one bad event never blocks the rest."""

    events: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=MAX_BATCH)]
    device: DeviceClock | None = None  # absent from phones older than issue 9


class EventStatus(str, Enum):
    """Outcome of one pushed event."""

    APPLIED = "applied"  # done now
    DUPLICATE = "duplicate"  # done before: same id, same body; result repeated
    CONFLICT = "conflict"  # server state disagrees (visit cancelled / reassigned / id reused)
    REJECTED = "rejected"  # invalid: will never apply; goes to the phone's dead-letter list


class EventResult(PublicModel):
    """What happened to one event."""

    id: str
    status: EventStatus
    code: int = 200  # HTTP-like: 200 applied, 409 conflict, 422 rejected, 403/404
    message: str | None = None
    visit: VisitPublic | None = None
    dossier: DossierPublic | None = None


class PushResponse(PublicModel):
    """One result per event, in the order sent."""

    results: list[EventResult]


class Tombstone(PublicModel):
    """Something the phone must drop: a visit cancelled or reassigned away."""

    entity: str  # "visit"
    id: int
    reason: str  # "cancelled" | "reassigned"
    at: str


class PullResponse(PublicModel):
    """A page of changes since `cursor`; call again with `next_cursor` while `has_more`."""

    next_cursor: str
    has_more: bool
    server_time: str
    visits: list[VisitPublic] = []
    dossiers: list[DossierPublic] = []
    citizens: list[CitizenPublic] = []
    catalogues: list[CataloguePublic] = []
    tombstones: list[Tombstone] = []
    # the current settings of the officer's communes (bank account, lookup page): sent whole with
    # every page, so a change on the server reaches the phone at its next sync
    unit_settings: list[UnitSettingsPublic] = []
    wipe: WipeOrderPublic | None = None  # a supervisor ordered this phone wiped (issue 9)


class BlobStatus(PublicModel):
    """How much of a blob the server holds; upload resumes from `received`."""

    sha256: str
    received: int
    total: int | None = None
    complete: bool = False


class EventIdReuse(PublicModel):
    """Body of a 409 on the single-event endpoint."""

    id: UUID
    message: str
