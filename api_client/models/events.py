"""Client events: what an officer did, as the phone records it and pushes it.

Every event carries a client-made UUID: the idempotency key, made once when the action is
written locally and reused on every retry. The `type` picks the payload model.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from ..domain.codes import LOOKUP_TOKEN_PATTERN
from .base import DeviceTime, RequestModel
from .evidence import EvidenceBlock
from .visits import (
    ChecklistEntry,
    CitizenConfirmation,
    FailureReason,
    GpsCheck,
    Payment,
    PhotoRef,
    Recipient,
    Signature,
)

DateStr = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class _Event(RequestModel):
    id: UUID
    visit_id: int
    occurred_at: DeviceTime
    evidence: EvidenceBlock | None = None  # absent from phones older than issue 9: "unsigned"


class EnRoutePayload(RequestModel):
    """Nothing but the fact: the officer is on the way."""


class EnRoute(_Event):
    """The officer set off to this visit (the citizen may be told)."""

    type: Literal["visit.en_route"] = "visit.en_route"
    payload: EnRoutePayload = EnRoutePayload()


class PickupPayload(RequestModel):
    """Everything collected at a home pickup."""

    citizen: CitizenConfirmation
    checklist: list[ChecklistEntry]
    photos: list[PhotoRef] = []
    form: dict[str, str] = {}
    payment: Payment | None = None
    signature: Signature
    gps: GpsCheck
    catalogue_version: int
    pages: Annotated[int, Field(ge=1, le=1000)] = 1
    # the token in the receipt's QR, made by the phone (the slip is printed offline); older phones
    # send none and the dossier keeps the one the server gave it
    lookup_token: Annotated[str | None, Field(pattern=LOOKUP_TOKEN_PATTERN)] = None


class PickupCompleted(_Event):
    """The dossier was received at the door."""

    type: Literal["visit.pickup_completed"] = "visit.pickup_completed"
    payload: PickupPayload


class SupplementPayload(RequestModel):
    """Documents missing: the citizen is told what to bring."""

    missing: Annotated[list[str], Field(min_length=1)]
    note: Annotated[str, Field(min_length=1, max_length=2000)]
    proposed_date: DateStr | None = None
    # proof of presence: optional on the wire so events from older phones still apply
    gps: GpsCheck | None = None
    photos: list[PhotoRef] = []  # the door, or the note left there


class SupplementRequested(_Event):
    """A pickup that ended in a supplement request instead of a receipt."""

    type: Literal["visit.supplement_requested"] = "visit.supplement_requested"
    payload: SupplementPayload


class FailedPayload(RequestModel):
    """Why the visit could not be done, and when to come back."""

    reason: FailureReason
    note: Annotated[str | None, Field(max_length=2000)] = None
    proposed_date: DateStr | None = None
    # proof of presence: optional on the wire so events from older phones still apply
    gps: GpsCheck | None = None
    photos: list[PhotoRef] = []  # the door, or the note left there


class VisitFailed(_Event):
    """The visit failed; it goes back on a later route."""

    type: Literal["visit.failed"] = "visit.failed"
    payload: FailedPayload


class DeliveryPayload(RequestModel):
    """Everything collected when a result is handed over at home."""

    recipient: Recipient
    receipt_code: str
    payment: Payment | None = None
    letter_handed: bool = False
    signature: Signature
    gps: GpsCheck
    photos: list[PhotoRef] = []


class DeliveryCompleted(_Event):
    """The result reached the citizen's hands."""

    type: Literal["visit.delivery_completed"] = "visit.delivery_completed"
    payload: DeliveryPayload


ClientEvent = Annotated[
    EnRoute | PickupCompleted | SupplementRequested | VisitFailed | DeliveryCompleted,
    Field(discriminator="type"),
]
EVENT_TYPES = ("visit.en_route", "visit.pickup_completed", "visit.supplement_requested",
               "visit.failed", "visit.delivery_completed")
