"""Visits (pickup / delivery) and the evidence an officer collects at the door."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from ..domain.signature import signature_problem
from .base import DeviceTime, Latitude, Longitude, PublicModel, RequestModel, Sha256
from .people import CitizenId, Phone


class VisitKind(str, Enum):
    """What the officer goes to the door for."""

    PICKUP = "pickup"
    DELIVERY = "delivery"


class VisitStatus(str, Enum):
    """Where a visit stands."""

    PLANNED = "planned"
    EN_ROUTE = "en_route"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


OPEN_VISIT_STATUSES = frozenset({VisitStatus.PLANNED, VisitStatus.EN_ROUTE})


class FailureReason(str, Enum):
    """Coded reasons for a failed visit."""

    NOBODY_HOME = "nobody_home"
    MISSING_DOCUMENTS = "missing_documents"
    REFUSED = "refused"
    WRONG_ADDRESS = "wrong_address"
    OTHER = "other"


class GpsWarningReason(str, Enum):
    """Why the officer accepts a poor, distant or missing GPS fix."""

    INDOORS = "indoors"
    DEVICE_GPS_WEAK = "device_gps_weak"
    CITIZEN_MOVED = "citizen_moved"
    MET_ELSEWHERE = "met_elsewhere"
    REGISTERED_LOCATION_WRONG = "registered_location_wrong"
    NO_GPS_PERMISSION = "no_gps_permission"
    OTHER = "other"


class GpsFix(RequestModel):
    """A GPS fix with its accuracy and the phone's own clock."""

    lat: Latitude
    lon: Longitude
    accuracy_m: Annotated[float, Field(ge=0, le=100_000)]
    device_time: DeviceTime
    mocked: bool | None = None  # the platform said the fix came from a mock provider (Android)


def _signature_ok(value: str) -> str:
    problem = signature_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class Signature(RequestModel):
    """Strokes drawn on the pad, integer-delta encoded (see domain.signature)."""

    width: Annotated[int, Field(gt=0, le=4000)]
    height: Annotated[int, Field(gt=0, le=4000)]
    strokes: Annotated[str, Field(max_length=20_000), AfterValidator(_signature_ok)]
    signer_name: Annotated[str | None, Field(max_length=200)] = None


class PhotoRef(RequestModel):
    """A photo stored as a blob, linked to the checklist item it shows."""

    sha256: Sha256
    size: Annotated[int, Field(gt=0)]
    mime: str = "image/jpeg"
    document_code: str | None = None


class ChecklistEntry(RequestModel):
    """One checklist item: present or not."""

    code: str
    present: bool


class PaymentMethod(str, Enum):
    """How a fee was paid."""

    CASH = "cash"
    TRANSFER = "transfer"


class Payment(RequestModel):
    """A fee collected at the door."""

    method: PaymentMethod
    amount_vnd: Annotated[int, Field(ge=0, le=100_000_000)]
    receipt_no: Annotated[str, Field(min_length=1, max_length=64)]


class RecipientKind(str, Enum):
    """Who takes the result."""

    APPLICANT = "applicant"
    AUTHORISED = "authorised"


class Recipient(RequestModel):
    """The person receiving a result."""

    kind: RecipientKind
    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    id_number: CitizenId
    relationship: str | None = None
    authorisation_photo: Sha256 | None = None

    @model_validator(mode="after")
    def _authorised_needs_paper(self) -> Recipient:
        if self.kind == RecipientKind.AUTHORISED and not (self.relationship and self.authorisation_photo):
            raise ValueError("Người được ủy quyền cần ghi quan hệ và chụp giấy ủy quyền")
        return self


class GpsCheck(RequestModel):
    """The GPS fix (or its absence) and the officer's reason when a rule was broken."""

    fix: GpsFix | None = None
    warnings: list[str] = []  # codes from domain.geo.gps_warnings
    reason: GpsWarningReason | None = None
    reason_note: Annotated[str | None, Field(max_length=500)] = None

    @model_validator(mode="after")
    def _warning_needs_reason(self) -> GpsCheck:
        if (self.fix is None or self.warnings) and self.reason is None:
            raise ValueError("Vị trí GPS không đạt hoặc không có: cần chọn lý do")
        return self


class CitizenConfirmation(RequestModel):
    """Identity confirmed at the door."""

    id_number: CitizenId
    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    phone: Phone | None = None


class VisitPublic(PublicModel):
    """A visit with whatever evidence it already carries."""

    id: int
    kind: VisitKind
    dossier_id: int
    citizen_id: int
    assignee_id: int | None = None
    planned_date: str
    window_start: str | None = None
    window_end: str | None = None
    status: VisitStatus
    attempts: int = 0
    catalogue_version: int = 1
    evidence: dict = {}
    failure_reason: FailureReason | None = None
    failure_note: str | None = None
    proposed_date: str | None = None
    completed_at: str | None = None
    notice: str | None = None
    version: int = 1
    updated_at: str | None = None


class VisitCreate(RequestModel):
    """A supervisor planning a visit."""

    kind: VisitKind
    dossier_id: int
    assignee_id: int | None = None
    planned_date: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    window_start: str | None = None
    window_end: str | None = None


class VisitAssign(RequestModel):
    """Reassign a visit (or cancel it with status=cancelled)."""

    assignee_id: int | None = None
    planned_date: Annotated[str | None, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None
    cancel: bool = False


# Moved to custody.py with the rest of the chain of custody; re-exported for old imports.
from .custody import HandoverPublic as HandoverPublic  # noqa: E402
