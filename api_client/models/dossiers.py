"""Dossiers (hồ sơ): code, procedure, applicant, status, channel, dates, fees."""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Annotated

from pydantic import Field

from ..domain.lifecycle import DossierStatus
from .base import PublicModel, RequestModel
from .evidence import EvidenceCheck

__all__ = ["Channel", "Digitization", "DossierCreate", "DossierPublic", "DossierStatus",
           "ReturnMethod", "StatusChange"]


class Channel(IntEnum):
    """Kênh thực hiện."""

    IN_PERSON = 1
    ONLINE = 2
    POSTAL = 3


class Digitization(IntEnum):
    """Digitization state of a dossier's components."""

    NONE = 0
    DIGITIZED = 1
    REUSED_COMPONENTS = 2
    REUSED_RESULT = 3


class ReturnMethod(str, Enum):
    """Where the result goes back to the citizen."""

    DESK = "desk"
    HOME = "home"
    POST = "post"


class DossierPublic(PublicModel):
    """A dossier as the phone and the supervisor see it."""

    id: int
    code: str
    procedure_code: str
    catalogue_version: int
    citizen_id: int
    unit_id: int
    hamlet_id: int | None = None
    status: DossierStatus
    channel: Channel = Channel.IN_PERSON
    return_method: ReturnMethod = ReturnMethod.HOME
    registered_at: str
    received_at: str | None = None
    appointment_at: str | None = None
    returned_at: str | None = None
    fee_vnd: int = 0
    fee_paid_vnd: int = 0
    paid_online: bool = False
    digitization: Digitization = Digitization.NONE
    has_result_file: bool = False
    supplement_requests: int = 0
    on_time: bool | None = None
    note: str | None = None
    updated_at: str | None = None
    citizen_name: str | None = None  # filled in lists, so a desk screen needs no lookup per row
    original_appointment_at: str | None = None  # set once an apology moved the appointment
    lookup_token: str | None = None  # the receipt QR's token (staff only: the delivery checks the slip)
    # evidence integrity of its visits' events (issue 9): filled when one dossier is read
    integrity: list[EvidenceCheck] = []


class DossierCreate(RequestModel):
    """A dossier registered for home service (by import or the desk)."""

    procedure_code: Annotated[str, Field(min_length=1)]
    citizen_id: int
    unit_id: int
    hamlet_id: int | None = None
    channel: Channel = Channel.IN_PERSON
    return_method: ReturnMethod = ReturnMethod.HOME
    note: str | None = None


class StatusChange(RequestModel):
    """A desk / supervisor moving a dossier along the life cycle."""

    status: DossierStatus
    note: Annotated[str | None, Field(max_length=1000)] = None
