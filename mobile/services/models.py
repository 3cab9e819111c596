"""Plain view-models the services hand to the screens (no SQL, no HTTP, no Flet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api_client.models import CataloguePublic, Procedure


@dataclass
class VisitRow:
    """One line of today's route, with everything the list, the map and the search need."""

    visit_id: int
    kind: str  # pickup | delivery
    status: str  # planned | en_route | completed | failed | cancelled
    planned_date: str
    due_date: str  # pickups: the planned date; deliveries: the dossier's appointment date
    citizen_name: str
    id_number: str
    phone: str | None
    address: str
    hamlet: str
    procedure_code: str
    procedure_name: str
    dossier_id: int
    dossier_code: str
    dossier_status: int
    lat: float | None
    lon: float | None
    location_source: str | None = None  # imported | geocoded | hamlet_centre | visit | supervisor
    location_precision: str | None = None  # exact | approximate
    window_start: str | None = None  # appointment window 'HH:MM' (Vietnam time), from the visit
    window_end: str | None = None
    eta: str | None = None  # planned start of service 'HH:MM' on the current route
    window_late_min: int | None = None  # minutes after window_end this route arrives (None: on time)
    attempts: int = 0
    local_pending: bool = False  # done on the phone, not yet confirmed by the server
    distance_m: float | None = None
    notice: str | None = None  # apology / new date set by the desk (VisitPublic.notice)
    search_key: str = ""  # folded text (api_client.domain.text.fold) of the searchable fields

    @property
    def is_open(self) -> bool:
        """Still to be done (planned or on the way)."""
        return self.status in ("planned", "en_route")

    def is_overdue(self, today: str) -> bool:
        """Open and its due date has passed."""
        return self.is_open and bool(self.due_date) and self.due_date[:10] < today


@dataclass
class Attempt:
    """An earlier try at this dossier (failed visits and their reasons)."""

    date: str
    status: str
    reason: str | None
    note: str | None


@dataclass
class VisitDetail:
    """Everything the detail screen and the pickup flow need about one visit."""

    row: VisitRow
    procedure: Procedure | None
    catalogue: CataloguePublic | None
    birth_date: str | None
    history: list[Attempt] = field(default_factory=list)
    unit_name: str = ""
    receipt_url: str | None = None
    unit_id: int | None = None  # the dossier's unit (a hamlet): finds its commune's fee account


@dataclass
class Draft:
    """A pickup in progress, saved at every step so it resumes where it stopped."""

    visit_id: int
    step: int = 0
    data: dict[str, Any] = field(default_factory=dict)
