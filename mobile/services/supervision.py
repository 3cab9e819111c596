"""What the supervisor screens call: the live board (cached, auto-refreshed), an officer's day and
track, at-risk dossiers, (bulk) assignment, indicators and exports. Online only, through
api_client.Client: supervisors work at the office, so nothing is queued for later."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlite_utils

from api_client.client import Client, Page
from api_client.models import (
    AtRiskDossier,
    Board,
    BoardOfficer,
    IndicatorReport,
    OfficerDay,
    OfficerTrack,
    Role,
    SuggestedAssignee,
    UnitPublic,
    WipeOrderPublic,
)
from mobile import store

from .api import OnlineService, make_client
from .observable import Observable
from .receipts import ReceiptInfo, ReceiptStore
from .route import VN_TZ

AT_RISK_KINDS = ("due_today", "overdue", "unassigned", "repeatedly_failed")
AT_RISK_PAGE = 20  # rows a page: a supervisor ticks a handful at a time, never hundreds
TRACK_FORMATS = ("geojson", "gpx")
TABLE_FORMATS = ("csv", "xlsx")
DEFAULT_CAPACITY = 12  # open visits a day, as the server's suggestions assume (backend dispatch.py)


class SupervisionOffline(Exception):
    """The server could not be reached (the screens say so in Vietnamese and keep the last data)."""


class SupervisionError(Exception):
    """The server refused (e.g. a visit no longer open); `detail` is its message."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def age_minutes(recorded_at: str | None, server_time: str | None) -> int | None:
    """Whole minutes between a breadcrumb and the server's clock (None when either is missing)."""
    if not recorded_at or not server_time:
        return None
    try:
        then = datetime.fromisoformat(recorded_at.replace("Z", "+00:00"))
        now = datetime.fromisoformat(server_time.replace("Z", "+00:00"))
    except ValueError:
        return None
    # the server's clock, not the tab's: a browser with a wrong clock must not age positions
    return max(0, int((now - then).total_seconds() // 60))


@dataclass
class BoardState(Observable):
    """The board as last loaded, the officer whose track is shown, and whether the last load failed."""

    board: Board | None = None
    loaded_at: datetime | None = None
    offline: bool = False
    error: str = ""
    selected_id: int | None = None
    track: OfficerTrack | None = None
    loading: bool = False
    _listeners: list = field(default_factory=list)

    def __post_init__(self) -> None:
        Observable.__init__(self)

    def officer(self, officer_id: int | None) -> BoardOfficer | None:
        """An officer of the cached board."""
        if self.board is None or officer_id is None:
            return None
        return next((o for o in self.board.officers if o.id == officer_id), None)


@dataclass
class AssignOutcome:
    """What a (bulk) assignment did: visits moved, visits planned for dossiers that had none, refusals."""

    assigned: int = 0
    created: int = 0
    failed: list[str] = field(default_factory=list)


class SupervisionService(OnlineService):
    """Online calls for supervisors; the board is cached in memory so a network blip never blanks it."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        backend_url: str,
        documents: ReceiptStore,
        client_factory: Callable[..., Client] = make_client,
        refresh_s: float | None = None,
    ) -> None:
        self.db = db
        self.backend_url = backend_url
        self.documents = documents
        self._client_factory = client_factory
        self.refresh_s = refresh_s or float(os.environ.get("DOORSTEP_BOARD_REFRESH", "30"))
        self.state = BoardState()
        self._units: list[UnitPublic] | None = None
        self._procedures: dict[str, str] | None = None
        self._refreshing = False
        self._closed = False

    # -- who ----------------------------------------------------------------------------
    def is_supervisor(self) -> bool:
        """True when the logged-in account is a supervisor."""
        s = store.load_session(self.db)
        return bool(s and s.officer.role == Role.SUPERVISOR)

    def my_unit_ids(self) -> list[int]:
        """The supervisor's own units (communes)."""
        s = store.load_session(self.db)
        return list(s.officer.unit_ids) if s else []

    # -- plumbing -----------------------------------------------------------------------
    def _offline(self, message: str) -> Exception:
        return SupervisionOffline(message)

    def _refused(self, detail: str) -> Exception:
        return SupervisionError(detail)

    # -- board --------------------------------------------------------------------------
    async def refresh_board(self) -> Board | None:
        """Reload the board (and the selected officer's track); on failure keep the cached one."""
        st = self.state
        st.loading = True
        try:
            board = await self._call(lambda api: api.board(page_size=200))
            track = None
            if st.selected_id is not None:
                sel = st.selected_id
                track = await self._call(lambda api: api.officer_track(sel))
        except SupervisionOffline:
            st.offline, st.error = True, ""
        except SupervisionError as exc:
            st.offline, st.error = False, exc.detail
        else:
            st.board, st.loaded_at, st.offline, st.error = board, datetime.now(UTC), False, ""
            if st.selected_id is not None:
                st.track = track
        finally:
            st.loading = False
        st.notify()
        return st.board

    async def select_officer(self, officer_id: int | None) -> None:
        """Show this officer's track and planned route on the map (None: nobody's)."""
        st = self.state
        st.selected_id, st.track = officer_id, None
        if officer_id is not None:
            try:
                st.track = await self._call(lambda api: api.officer_track(officer_id))
                st.offline = False
            except SupervisionOffline:
                st.offline = True
            except SupervisionError as exc:
                st.error = exc.detail
        st.notify()

    async def auto_refresh(self) -> None:
        """Reload the board every `refresh_s` seconds while a board view listens (one loop per tab)."""
        if self._refreshing:
            return
        self._refreshing = True
        try:
            waited = 0.0
            while not self._closed:
                # short ticks: a changed interval (settings, tests) applies without waiting a full one
                tick = min(1.0, self.refresh_s)
                await asyncio.sleep(tick)
                waited += tick
                if waited < self.refresh_s or self._closed or not self.state._listeners:
                    continue
                waited = 0.0
                await self.refresh_board()
        finally:
            self._refreshing = False

    def close(self) -> None:
        """Stop the refresh loop (the tab went away)."""
        self._closed = True

    # -- an officer's day ---------------------------------------------------------------
    async def officer_day(self, officer_id: int, day: str | None = None) -> OfficerDay:
        """Visits in order with arrival, time spent, distance, failures and GPS flags."""
        return await self._call(lambda api: api.officer_day(officer_id, date=day))

    async def export_track(self, officer_id: int, fmt: str, day: str | None = None) -> ReceiptInfo:
        """Fetch the day's track as GeoJSON or GPX and keep it with the receipts (a download URL on web)."""
        if fmt not in TRACK_FORMATS:
            raise ValueError(fmt)
        data = await self._call(lambda api: api.export(f"officers/{officer_id}/track.{fmt}", date=day))
        label = f"track_{officer_id}_{day or 'today'}"
        return self.documents.save_document(f"export:track:{officer_id}:{fmt}", officer_id, data, label, fmt)

    async def order_wipe(self, officer_id: int, force: bool = False) -> WipeOrderPublic:
        """Order the officer's phone wiped at its next sync (a lost phone); `force` accepts unsent loss."""
        return await self._call(lambda api: api.order_wipe(officer_id, force=force))

    # -- at risk and assignment ---------------------------------------------------------
    async def at_risk(self, kind: str, page: int = 1, page_size: int = AT_RISK_PAGE) -> Page[AtRiskDossier]:
        """One page of a list (due today / overdue / unassigned / repeatedly failed) with its total."""
        if kind not in AT_RISK_KINDS:
            raise ValueError(kind)
        return await self._call(lambda api: api.dossiers_at_risk(kind, page=page, page_size=page_size))

    async def suggestions(self, visit_id: int) -> list[SuggestedAssignee]:
        """Who could take a visit: the hamlet's officer first, then the nearest with capacity."""
        return await self._call(lambda api: api.suggested_assignees(visit_id))

    async def suggest_for(self, dossiers: list[AtRiskDossier]) -> list[SuggestedAssignee]:
        """Suggestions for a selection: the server's for its first open visit; for dossiers with no visit
        yet, the hamlet's officer(s) first, then the least busy officers (no household position to
        measure from until a visit exists)."""
        first = next((d for d in dossiers if d.open_visit_id), None)
        if first is not None:
            return await self.suggestions(first.open_visit_id)  # type: ignore[arg-type]
        officers = await self.field_officers()
        hamlet = next((d.hamlet_id for d in dossiers if d.hamlet_id), None)

        def open_visits(o: BoardOfficer) -> int:
            return o.counts.planned + o.counts.en_route

        ranked = sorted(officers, key=lambda o: (hamlet not in o.unit_ids, open_visits(o), o.full_name))
        return [
            SuggestedAssignee(
                officer_id=o.id,
                full_name=o.full_name,
                role=o.role,
                reason="hamlet_officer"
                if hamlet in o.unit_ids and o.role == "hamlet_officer"
                else "capacity",
                open_visits=open_visits(o),
                has_capacity=open_visits(o) < DEFAULT_CAPACITY,
            )
            for o in ranked
        ]

    async def procedure_names(self) -> dict[str, str]:
        """Procedure code -> Vietnamese name from the current catalogue (cached for the session)."""
        if self._procedures is None:
            cat = await self._call(lambda api: api.catalogue())
            self._procedures = {p.code: p.name for p in cat.procedures}
        return self._procedures

    async def field_officers(self) -> list[BoardOfficer]:
        """Officers in scope (from the cached board, loading it when there is none)."""
        if self.state.board is None:
            await self.refresh_board()
        if self.state.board is None:
            raise SupervisionOffline("no board")
        return [o for o in self.state.board.officers if o.role != Role.SUPERVISOR.value]

    async def assign(self, dossiers: list[AtRiskDossier], officer_id: int) -> AssignOutcome:
        """Give the dossiers' open visits to one officer; a dossier with no open visit gets one for today."""
        out = AssignOutcome()
        visit_ids = [d.open_visit_id for d in dossiers if d.open_visit_id]
        if visit_ids:
            res = await self._call(lambda api: api.assign_visits(visit_ids, officer_id))
            out.assigned = len(res.assigned)
            out.failed += [f"{f.visit_id}: {f.detail}" for f in res.failed]
        today = datetime.now(VN_TZ).date().isoformat()  # plans are Vietnam days
        for d in dossiers:
            if d.open_visit_id:
                continue
            # status 9 waits for its result to go home; 1 and 5 wait for someone to fetch papers
            body = {
                "kind": "delivery" if d.status == 9 else "pickup",
                "dossier_id": d.id,
                "assignee_id": officer_id,
                "planned_date": today,
            }
            try:
                await self._call(lambda api, body=body: api.create_visit(body))
                out.created += 1
            except SupervisionError as exc:
                out.failed.append(f"{d.code}: {exc.detail}")
        return out

    # -- indicators ---------------------------------------------------------------------
    async def units(self) -> list[UnitPublic]:
        """Units the supervisor may pick: own communes and their hamlets (cached for the session)."""
        if self._units is None:
            everything = await self._call(lambda api: api.units())
            mine = set(self.my_unit_ids())
            self._units = [u for u in everything if u.id in mine or u.parent_id in mine]
        return self._units

    async def indicators(
        self, unit_id: int | None, date_from: date, date_to: date, group_by: str
    ) -> IndicatorReport:
        """Counts and rates per commune / hamlet / officer over the range."""
        return await self._call(
            lambda api: api.indicators(
                unit_id=unit_id,
                date_from=date_from.isoformat(),
                date_to=date_to.isoformat(),
                group_by=group_by,
            )
        )

    async def export_indicators(
        self, fmt: str, unit_id: int | None, date_from: date, date_to: date, group_by: str
    ) -> ReceiptInfo:
        """The indicator table as CSV or XLSX, kept with the receipts (a download URL on web)."""
        if fmt not in TABLE_FORMATS:
            raise ValueError(fmt)
        params: dict[str, Any] = {
            "unit_id": unit_id,
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "group_by": group_by,
        }
        data = await self._call(lambda api: api.export(f"indicators.{fmt}", **params))
        label = f"indicators_{date_from}_{date_to}"
        return self.documents.save_document(f"export:indicators:{fmt}", unit_id or 0, data, label, fmt)
