"""The data contract between the phone and the server (pydantic v2)."""

from .auth import (
    AuditEntry,
    DevicePublic,
    LockoutPublic,
    LoginRequest,
    PasswordChange,
    RefreshRequest,
    TokenPublic,
)
from .catalogue import CataloguePublic, FeeKind, FeeRule, FormField, Procedure, RequiredDocument
from .custody import (
    HandoverCreate,
    HandoverDirection,
    TrackingLog,
    TrackingLogRow,
    TrackingRowKind,
)
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
from .evidence import (
    DeviceKeyCreate,
    DeviceKeyPublic,
    EvidenceCheck,
    WipeApplied,
    WipeOrderCreate,
    WipeOrderPublic,
)
from .notices import (
    ApologyCreate,
    ApologyPublic,
    NoticeKind,
    NoticePublic,
    NoticeSent,
    NoticeState,
    NotificationPublic,
)
from .people import (
    CitizenCreate,
    CitizenLocationUpdate,
    CitizenPublic,
    CitizenUpdate,
    LocationPrecision,
    LocationSource,
    OfficerCreate,
    OfficerPublic,
    Role,
)
from .supervision import (
    AssignFailure,
    AtRiskDossier,
    AtRiskKind,
    Board,
    BoardOfficer,
    BoardVisit,
    BulkAssign,
    BulkAssignResult,
    DayVisit,
    GroupBy,
    IndicatorReport,
    IndicatorRow,
    OfficerDay,
    OfficerTrack,
    Position,
    RouteStop,
    SuggestedAssignee,
    TrackPointPublic,
    VisitCounts,
)
from .sync import (
    BlobStatus,
    DeviceClock,
    EventResult,
    EventStatus,
    PullResponse,
    PushRequest,
    PushResponse,
    Tombstone,
)
from .tracks import DutyChange, TrackBatch, TrackPushResult, TrackPushStatus
from .units import UnitLevel, UnitPublic, UnitSettingsPublic
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
