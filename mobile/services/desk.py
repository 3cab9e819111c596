"""The supervisor's one-stop desk (Hồ sơ): search dossiers, move them along the life cycle, apologise
for a late result, and see the visits the server planned. Online only, through api_client.Client;
failures are SupervisionOffline / SupervisionError like the other supervisor screens."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlite_utils

from api_client.client import Client
from api_client.domain.clock import VN_TZ
from api_client.domain.lifecycle import ALLOWED_MOVES, DossierStatus
from api_client.models import ApologyPublic, DossierPublic, VisitPublic
from api_client.models.visits import OPEN_VISIT_STATUSES

from .api import OnlineService, make_client
from .receipts import ReceiptInfo, ReceiptStore
from .supervision import SupervisionError, SupervisionOffline

DESK_PAGE = 20  # rows a page, as on the at-risk lists
VISITS_PAGE = 500  # the server's largest page: a dossier's visits always fit in one
REASON_MAX = 500  # characters: the form prints the reason on one paragraph
TERMINAL = frozenset({3, 7, 8, 10})  # as the server's at-risk lists: nothing is due any more


@dataclass
class DeskRow:
    """One dossier of the list with the names the screen shows beside its code."""

    dossier: DossierPublic
    citizen_name: str
    procedure_name: str


@dataclass
class DeskPage:
    """A page of the desk's list and the server's total for the filters."""

    rows: list[DeskRow] = field(default_factory=list)
    total: int = 0


@dataclass
class MoveOutcome:
    """A status change the server accepted, and the dossier's open visits after it."""

    dossier: DossierPublic
    visits: list[VisitPublic] = field(default_factory=list)


def legal_moves(status: DossierStatus | int) -> list[DossierStatus]:
    """The statuses a dossier may move to, forward steps first and the citizen's withdrawal last."""
    targets = ALLOWED_MOVES[DossierStatus(int(status))]
    return sorted(targets, key=lambda s: (s == DossierStatus.WITHDRAWN, s.value))


def is_overdue(d: DossierPublic, today: date) -> bool:
    """True when the appointment day (Vietnam) has passed and the dossier is not closed."""
    if not d.appointment_at or int(d.status) in TERMINAL:
        return False
    return appointment_day(d.appointment_at) < today


def appointment_day(iso: str) -> date:
    """The Vietnam calendar day of a server timestamp (appointments are Vietnam days)."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(VN_TZ).date()


def apology_errors(reason: str, new_date: date | None, current: str | None) -> dict[str, str]:
    """Field -> i18n key of what is wrong with an apology before it is sent ({} when fine)."""
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "desk_err_reason"
    elif len(reason) > REASON_MAX:
        errors["reason"] = "desk_err_reason_long"
    if new_date is None:
        errors["date"] = "ind_bad_date"
    elif current and new_date <= appointment_day(current):
        # the server refuses it too; saying so here saves a round trip on a slow line
        errors["date"] = "desk_err_date_after"
    return errors


class DeskService(OnlineService):
    """Online calls of the 'Hồ sơ' tab; citizen and officer names are cached for the session."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        backend_url: str,
        documents: ReceiptStore,
        procedure_names: Callable[[], Awaitable[dict[str, str]]],
        client_factory: Callable[..., Client] = make_client,
    ) -> None:
        self.db = db
        self.backend_url = backend_url
        self.documents = documents
        self._procedure_names = procedure_names  # SupervisionService.procedure_names (cached there)
        self._client_factory = client_factory
        self._citizens: dict[int, str] = {}
        self._officers: dict[int, str] | None = None

    def _offline(self, message: str) -> Exception:
        return SupervisionOffline(message)

    def _refused(self, detail: str) -> Exception:
        return SupervisionError(detail)

    # -- list -----------------------------------------------------------------------------
    async def search(
        self, q: str = "", status: int | None = None, page: int = 1, page_size: int = DESK_PAGE
    ) -> DeskPage:
        """One page of the supervisor's dossiers; `q` is folded by the server (no diacritics needed)."""
        query = q.strip() or None
        known = dict(self._citizens)

        def fetch(api: Client) -> tuple[list[DossierPublic], int, dict[int, str]]:
            items = api.list_dossiers(status=status, q=query, page=page, page_size=page_size)
            # Lists carry the citizen's name; an older server does not, so look those up once each.
            names = {d.citizen_id: d.citizen_name for d in items if d.citizen_name}
            names.update({cid: known[cid] for cid in {d.citizen_id for d in items} if cid in known})
            for d in items:
                if d.citizen_id not in names:
                    names[d.citizen_id] = api.get_citizen(d.citizen_id).full_name
            return list(items), items.total, names

        items, total, names = await self._call(fetch)
        self._citizens.update(names)
        procedures = await self._procedure_names()
        rows = [
            DeskRow(d, names.get(d.citizen_id, ""), procedures.get(d.procedure_code, d.procedure_code))
            for d in items
        ]
        return DeskPage(rows, total)

    async def dossier(self, dossier_id: int) -> DossierPublic:
        """The dossier as the server has it now."""
        return await self._call(lambda api: api.get_dossier(dossier_id))

    async def procedure_names(self) -> dict[str, str]:
        """Procedure code -> Vietnamese name (the supervision service caches the catalogue)."""
        return await self._procedure_names()

    def citizen_name(self, citizen_id: int) -> str:
        """A citizen's name seen in an earlier page ('' when not yet seen)."""
        return self._citizens.get(citizen_id, "")

    # -- status ---------------------------------------------------------------------------
    async def move(self, dossier_id: int, target: int, note: str | None = None) -> MoveOutcome:
        """Ask the server to move the dossier; its refusal (409 naming the move) is SupervisionError.

        No client-side check on purpose: the server is the authority, and its message says why.
        """
        moved = await self._call(lambda api: api.change_dossier_status(dossier_id, int(target), note))
        return MoveOutcome(moved, await self.open_visits(dossier_id))

    async def visits(self, dossier_id: int) -> list[VisitPublic]:
        """Every visit of the dossier, filtered by the server (one page unless it has hundreds)."""

        def fetch(api: Client) -> list[VisitPublic]:
            out: list[VisitPublic] = []
            page = 1
            while True:
                batch = api.list_visits(dossier_id=dossier_id, page=page, page_size=VISITS_PAGE)
                out += list(batch)
                if page * VISITS_PAGE >= batch.total or not batch:
                    return out
                page += 1

        return await self._call(fetch)

    async def open_visits(self, dossier_id: int) -> list[VisitPublic]:
        """The dossier's planned or on-the-way visits (e.g. the delivery planned when it reached 9)."""
        return [v for v in await self.visits(dossier_id) if v.status in OPEN_VISIT_STATUSES]

    async def officer_names(self) -> dict[int, str]:
        """Officer id -> full name for the supervisor's units (cached for the session)."""
        if self._officers is None:
            officers = await self._call(lambda api: list(api.list_officers(page_size=500)))
            self._officers = {o.id: o.full_name for o in officers}
        return self._officers

    # -- apology --------------------------------------------------------------------------
    async def apologise(self, dossier_id: int, reason: str, new_date: date) -> ApologyPublic:
        """Record the apology and the new appointment (the server queues the notice to the citizen)."""
        day = new_date.isoformat()
        return await self._call(lambda api: api.create_apology(dossier_id, reason.strip(), day))

    async def apology_pdf(self, dossier_id: int, dossier_code: str) -> ReceiptInfo:
        """Fetch the latest phiếu xin lỗi và hẹn lại and keep it with the receipts (a URL on web)."""
        pdf = await self._call(lambda api: api.apology_pdf(dossier_id))
        return self.documents.save_document(f"apology:{dossier_id}", dossier_id, pdf, dossier_code)
