"""What supervisors see: the live board, an officer's track and day, at-risk dossiers,
bulk assignment, suggested assignees and the national indicators (Decision 766/QĐ-TTg)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import Field

from .base import PublicModel, RequestModel
from .visits import FailureReason, VisitKind, VisitPublic, VisitStatus

DateStr = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
DbId = Annotated[int, Field(ge=1, le=2_147_483_647)]  # an id PostgreSQL's INTEGER can hold

# Map colour per visit status (the board's legend); "late" = still open after its window.
STATUS_COLOURS: dict[str, str] = {
    "planned": "#9E9E9E",
    "en_route": "#1E88E5",
    "completed": "#43A047",
    "failed": "#E53935",
    "cancelled": "#616161",
    "late": "#FB8C00",
}


class Position(PublicModel):
    """A breadcrumb: where and when (age = server_time - recorded_at, computed by the client)."""

    lat: float
    lon: float
    accuracy_m: float | None = None
    recorded_at: str


class VisitCounts(PublicModel):
    """Visits of a day by status."""

    total: int = 0
    planned: int = 0
    en_route: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0


class BoardOfficer(PublicModel):
    """One officer on the board."""

    id: int
    full_name: str
    role: str
    phone: str | None = None
    unit_ids: list[int] = []
    on_duty: bool | None = None  # None: never reported duty
    last_position: Position | None = None
    counts: VisitCounts = VisitCounts()
    open_visits: int = 0  # the load: open visits planned for the board's day or earlier


class BoardVisit(PublicModel):
    """One visit of the day on the map."""

    id: int
    kind: VisitKind
    status: VisitStatus
    colour: str  # STATUS_COLOURS key value
    late: bool = False
    assignee_id: int | None = None
    dossier_id: int
    dossier_code: str
    citizen_name: str
    lat: float | None = None
    lon: float | None = None
    window_start: str | None = None
    window_end: str | None = None
    completed_at: str | None = None
    failure_reason: FailureReason | None = None
    attempts: int = 0


class Board(PublicModel):
    """`GET /board`: officers in scope (one page), their visits that day, totals for the scope."""

    date: str
    server_time: str
    officers: list[BoardOfficer]
    visits: list[BoardVisit]
    counts: VisitCounts
    unassigned: int = 0
    officers_total: int = 0
    legend: dict[str, str] = STATUS_COLOURS


class RouteStop(PublicModel):
    """A visit on the planned route, in planned order."""

    order: int
    visit_id: int
    status: VisitStatus
    lat: float | None = None
    lon: float | None = None
    citizen_name: str = ""
    window_start: str | None = None


class TrackPointPublic(PublicModel):
    """One breadcrumb of a track."""

    recorded_at: str
    lat: float
    lon: float
    accuracy_m: float | None = None


class OfficerTrack(PublicModel):
    """`GET /officers/{id}/track`: the day's breadcrumbs in order, the planned route vs the actual."""

    officer_id: int
    date: str
    points: list[TrackPointPublic]
    distance_m: float
    planned_route: list[RouteStop]
    actual_order: list[int]  # visit ids in the order they were completed or failed


class DayVisit(PublicModel):
    """One visit of an officer's day with arrival, time spent and GPS flags."""

    visit_id: int
    kind: VisitKind
    status: VisitStatus
    dossier_code: str
    citizen_name: str
    lat: float | None = None
    lon: float | None = None
    arrived_at: str | None = None
    arrival_source: str | None = None  # track | completion | en_route
    completed_at: str | None = None
    time_spent_s: int | None = None
    failure_reason: FailureReason | None = None
    failure_note: str | None = None
    fix_distance_m: float | None = None  # completion fix to household
    fix_accuracy_m: float | None = None
    flags: list[str] = []  # far_from_home | poor_fix | no_fix
    # issue 9: clock_off | clock_jump | impossible_speed | identical_fix | mock_location
    honesty: list[str] = []
    evidence: str | None = None  # 'verified', or the first problem of its events' seals
    trusted_at: str | None = None  # when it ended by the server's clock (the phone's clock corrected)


class OfficerDay(PublicModel):
    """`GET /officers/{id}/day`: visits in order, distance travelled, failures, flags."""

    officer_id: int
    date: str
    first_point_at: str | None = None
    last_point_at: str | None = None
    distance_m: float
    points: int
    visits: list[DayVisit]
    counts: VisitCounts
    failed: list[DayVisit] = []
    flagged: int = 0
    open_visits: int = 0  # the load: open visits planned for that day or earlier (as on the board)


class AtRiskKind(str, Enum):
    """Which at-risk list."""

    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    UNASSIGNED = "unassigned"
    REPEATEDLY_FAILED = "repeatedly_failed"


class AtRiskDossier(PublicModel):
    """A dossier needing the supervisor's attention."""

    id: int
    code: str
    status: int
    procedure_code: str
    unit_id: int
    hamlet_id: int | None = None
    citizen_id: int
    citizen_name: str
    appointment_at: str | None = None
    open_visit_id: int | None = None
    assignee_id: int | None = None
    failed_visits: int = 0
    # what the dossier's visits already did, so "no open visit" never reads as "nobody went"
    last_visit_kind: VisitKind | None = None
    last_visit_status: VisitStatus | None = None
    last_visit_at: str | None = None
    next_visit_kind: VisitKind | None = None  # the visit its state calls for (None: none needed)


class BulkAssign(RequestModel):
    """`POST /visits/assign`: give these open visits to one officer (None: unassign), on a day."""

    visit_ids: Annotated[list[DbId], Field(min_length=1, max_length=500)]
    assignee_id: DbId | None
    planned_date: DateStr | None = None  # today or later; None keeps each visit's date


class AssignFailure(PublicModel):
    """One visit that could not be reassigned, and why."""

    visit_id: int
    code: str
    detail: str


class BulkAssignResult(PublicModel):
    """Reassigned visits (new state) and the ones refused."""

    assigned: list[VisitPublic]
    failed: list[AssignFailure] = []


class SuggestedAssignee(PublicModel):
    """A candidate for a visit: the hamlet's officer first, then the least busy, nearest first."""

    officer_id: int
    full_name: str
    role: str
    reason: str  # hamlet_officer | least_busy
    distance_m: float | None = None
    position_source: str | None = None  # track | unit_centre
    open_visits: int = 0  # the load on that day (backend services/workload.py)
    has_capacity: bool = True


class GroupBy(str, Enum):
    """Row grouping of the indicators."""

    COMMUNE = "commune"
    HAMLET = "hamlet"
    OFFICER = "officer"


class IndicatorRow(PublicModel):
    """Counts and rates of one group (rates are None when their denominator is 0)."""

    key_id: int | None = None
    key_name: str
    label_code: str | None = None  # "total" | "unknown": the UI names the row in its language
    home_pickups: int = 0
    home_deliveries: int = 0
    failed_visits: int = 0
    failed_by_reason: dict[str, int] = {}
    returned: int = 0
    returned_on_time: int = 0
    on_time_rate: float | None = None
    received: int = 0
    digitized: int = 0
    digitization_rate: float | None = None
    fee_dossiers: int = 0
    paid_online: int = 0
    online_payment_rate: float | None = None


class IndicatorReport(PublicModel):
    """`GET /indicators`: one row per group plus the total over the scope."""

    unit_id: int | None = None
    date_from: str
    date_to: str
    group_by: GroupBy
    rows: list[IndicatorRow]
    total: IndicatorRow
