"""The data contract between the phone and the server (pydantic v2)."""

from .auth import LoginRequest, TokenPublic
from .catalogue import CataloguePublic, FeeKind, FeeRule, FormField, Procedure, RequiredDocument
from .dossiers import (
    Channel,
    Digitization,
    DossierCreate,
    DossierPublic,
    DossierStatus,
    ReturnMethod,
    StatusChange,
)
from .events import (
    EVENT_TYPES,
    ClientEvent,
    DeliveryCompleted,
    DeliveryPayload,
    EnRoute,
    FailedPayload,
    PickupCompleted,
    PickupPayload,
    SupplementPayload,
    SupplementRequested,
    VisitFailed,
)
from .people import CitizenCreate, CitizenPublic, OfficerCreate, OfficerPublic, Role
from .sync import (
    BlobStatus,
    EventResult,
    EventStatus,
    PullResponse,
    PushRequest,
    PushResponse,
    Tombstone,
)
from .units import UnitLevel, UnitPublic
from .visits import (
    ChecklistEntry,
    CitizenConfirmation,
    FailureReason,
    GpsCheck,
    GpsFix,
    GpsWarningReason,
    HandoverPublic,
    Payment,
    PaymentMethod,
    PhotoRef,
    Recipient,
    RecipientKind,
    Signature,
    VisitAssign,
    VisitCreate,
    VisitKind,
    VisitPublic,
    VisitStatus,
)

__all__ = [name for name in dir() if not name.startswith("_")]
