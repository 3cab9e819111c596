"""Sync wire shapes: push a batch of events, pull changes since a cursor, blob status."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from .base import PublicModel, RequestModel
from .catalogue import CataloguePublic
from .dossiers import DossierPublic
from .people import CitizenPublic
from .units import UnitSettingsPublic
from .visits import VisitPublic

MAX_BATCH = 200


class PushRequest(RequestModel):
    """A batch of raw events; each is validated on its own so one bad event never blocks the rest."""

    events: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=MAX_BATCH)]


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
