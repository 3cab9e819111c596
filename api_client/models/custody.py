"""Chain of custody: handovers between the desk and field officers, and the dossier tracking log."""

from __future__ import annotations

from enum import Enum
from typing import Annotated
from uuid import UUID

from pydantic import Field

from ..domain.timeliness import Outcome
from .base import PublicModel, RequestModel
from .evidence import EvidenceBlock

__all__ = ["HandoverCreate", "HandoverDirection", "HandoverPublic", "TrackingLog", "TrackingLogRow",
           "TrackingRowKind"]


class HandoverDirection(str, Enum):
    """Which way the papers go between the one-stop desk and a field officer."""

    DESK_TO_OFFICER = "desk_to_officer"  # results taken out for delivery
    OFFICER_TO_DESK = "officer_to_desk"  # collected dossiers (or undelivered results) brought in


class HandoverCreate(RequestModel):
    """One handover recorded by one side; the creator's side counts as confirmed at once.

    `counterpart_id` is the other side: a supervisor (desk account) when a field officer records
    it, a field officer when a supervisor records it.
    """

    direction: HandoverDirection
    dossier_ids: Annotated[list[int], Field(min_length=1, max_length=200)]
    counterpart_id: int
    note: Annotated[str | None, Field(max_length=1000)] = None
    # issue 9: the phone's seal over this handover (domain.evidence.handover_event), in its chain
    seal_id: UUID | None = None
    evidence: EvidenceBlock | None = None


class HandoverPublic(PublicModel):
    """One chain-of-custody row: who handed what to whom, and both confirmations."""

    id: int
    dossier_ids: list[int]
    from_officer_id: int | None
    to_officer_id: int | None
    created_at: str
    giver_confirmed_at: str | None = None
    receiver_confirmed_at: str | None = None
    note: str | None = None
    direction: HandoverDirection | None = None
    created_by: int | None = None
    unit_id: int | None = None
    reason: str | None = None  # set when the system made it, e.g. "failed_delivery"
    from_name: str | None = None
    to_name: str | None = None
    pending: bool = False  # True while either side has not confirmed


class TrackingRowKind(str, Enum):
    """What a tracking-log row records."""

    HANDOVER = "handover"
    PICKUP = "pickup"  # citizen -> officer at the door
    DELIVERY = "delivery"  # officer -> citizen at the door
    DELIVERY_FAILED = "delivery_failed"  # an attempt that did not hand anything over


class TrackingLogRow(PublicModel):
    """One row of the phiếu kiểm soát quá trình giải quyết hồ sơ."""

    kind: TrackingRowKind
    at: str
    from_name: str
    to_name: str
    from_officer_id: int | None = None
    to_officer_id: int | None = None
    giver_confirmed_at: str | None = None
    receiver_confirmed_at: str | None = None
    outcome: Outcome | None = None  # against the original appointment (national scoring)
    note: str | None = None
    handover_id: int | None = None
    visit_id: int | None = None


class TrackingLog(PublicModel):
    """The whole tracking log of one dossier, rows in time order."""

    dossier_id: int
    dossier_code: str
    procedure_code: str
    procedure_name: str
    citizen_name: str
    appointment_at: str | None = None
    original_appointment_at: str | None = None
    rows: list[TrackingLogRow] = []
