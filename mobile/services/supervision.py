"""What the supervisor screens call: the live board (cached, auto-refreshed), an officer's day and
track, at-risk dossiers, (bulk) assignment, indicators and exports. Online only, through
api_client.Client: supervisors work at the office, so nothing is queued for later."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

import sqlite_utils

from api_client.client import Client, Page
from api_client.domain.clock import Clock, current_clock, vn_date
from api_client.models import (
    AtRiskDossier,
    Board,
    BoardOfficer,
    DevicePublic,
    IndicatorReport,
    LockoutPublic,
    OfficerDay,
    OfficerPublic,
    OfficerTrack,
    Role,
    SuggestedAssignee,
    UnitPublic,
    WipeOrderPublic,
)
from mobile import store
from mobile.provisioning import provisioning_text

from .api import OnlineService, make_client
from .observable import Observable
from .receipts import ReceiptInfo, ReceiptStore

AT_RISK_KINDS = ("due_today", "overdue", "unassigned", "repeatedly_failed")
AT_RISK_PAGE = 20  # rows a page: a supervisor ticks a handful at a time, never hundreds
TRACK_FORMATS = ("geojson", "gpx")
TABLE_FORMATS = ("csv", "xlsx")
SUGGEST_LIMIT = 100  # the picker lists every officer, each with the load the server computed


@dataclass(frozen=True)
class OfficerAccount:
    """An officer's login lockout state and devices, as a supervisor sees them."""

    lockout: LockoutPublic
    devices: list[DevicePublic]


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
    # (visit id or dossier code, the server's machine code, its message): the screen words the codes
    # it knows in the supervisor's language and shows the server's message for the others
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # dossier codes whose state needs no visit


class SupervisionService(OnlineService):
    """Online calls for supervisors; the board is cached in memory so a network blip never blanks it."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        backend_url: str,
        documents: ReceiptStore,
        client_factory: Callable[..., Client] = make_client,
        refresh_s: float | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.db = db
        self.clock: Clock = clock or current_clock()
        self.backend_url = backend_url
        self.documents = documents
        self._client_factory = client_factory
        self.refresh_s = refresh_s or float(os.environ.get("DOORSTEP_BOARD_REFRESH", "30"))
        self.state = BoardState()
        self._units: list[UnitPublic] | None = None
        self._procedures: dict[str, str] | None = None
        self._refreshing = False
        self._closed = False

    def today(self) -> date:
        """Today in Vietnam (plans are Vietnam days)."""
        return vn_date(self.clock.now())

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
            st.board, st.loaded_at, st.offline, st.error = board, self.clock.now(), False, ""
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

    # -- an officer's account (issue 9): lockout after wrong passwords, devices -------------
    async def account(self, officer_id: int) -> OfficerAccount:
        """Whether the officer is locked out of login, and the phones they signed in from."""

        def both(api: Client) -> OfficerAccount:
            return OfficerAccount(api.officer_lockout(officer_id), api.officer_devices(officer_id))

        return await self._call(both)

    async def unlock(self, officer_id: int) -> LockoutPublic:
        """Lift the officer's login lockout now."""
        return await self._call(lambda api: api.unlock_officer(officer_id))

    async def set_active(self, officer_id: int, active: bool) -> OfficerPublic:
        """Enable or disable the officer's account (disabling ends every session at once)."""
        return await self._call(
            lambda api: api.enable_officer(officer_id) if active else api.disable_officer(officer_id))

    async def revoke_device(self, officer_id: int, device_id: str) -> DevicePublic:
        """Revoke one of the officer's phones: its session ends, its next sync is refused."""
        return await self._call(lambda api: api.revoke_device(officer_id, device_id))

    async def order_wipe(self, officer_id: int, force: bool = False) -> WipeOrderPublic:
        """Order the officer's phone wiped at its next sync (a lost phone); `force` accepts unsent loss."""
        return await self._call(lambda api: api.order_wipe(officer_id, force=force))

    # -- at risk and assignment ---------------------------------------------------------
    async def at_risk(self, kind: str, page: int = 1, page_size: int = AT_RISK_PAGE) -> Page[AtRiskDossier]:
        """One page of a list (due today / overdue / unassigned / repeatedly failed) with its total."""
        if kind not in AT_RISK_KINDS:
            raise ValueError(kind)
        return await self._call(lambda api: api.dossiers_at_risk(kind, page=page, page_size=page_size))

    async def suggestions(self, visit_id: int, day: str | None = None) -> list[SuggestedAssignee]:
        """Who could take a visit on `day`: the hamlet's officer first, then the least busy."""
        return await self._call(lambda api: api.suggested_assignees(visit_id, date=day, limit=SUGGEST_LIMIT))

    async def suggest_for(
        self, dossiers: list[AtRiskDossier], day: str | None = None
    ) -> list[SuggestedAssignee]:
        """Every officer ranked for a selection on `day`, by the server (the load it shows is the board's):
        for the first open visit, else for the first dossier's household."""
        first = next((d for d in dossiers if d.open_visit_id), None)
        if first is not None and first.open_visit_id is not None:
            return await self.suggestions(first.open_visit_id, day)
        if not dossiers:
            return []
        target = dossiers[0].id
        return await self._call(lambda api: api.suggested_for_dossier(target, date=day, limit=SUGGEST_LIMIT))

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

    async def assign(
        self, dossiers: list[AtRiskDossier], officer_id: int, planned_date: str | None = None
    ) -> AssignOutcome:
        """Give the dossiers' open visits to one officer on `planned_date` (default today, Vietnam); a
        dossier with no open visit gets the visit its state calls for, that day."""
        out = AssignOutcome()
        day = planned_date or self.today().isoformat()
        visit_ids = [d.open_visit_id for d in dossiers if d.open_visit_id]
        if visit_ids:
            res = await self._call(lambda api: api.assign_visits(visit_ids, officer_id, day))
            out.assigned = len(res.assigned)
            out.failed += [(f"#{f.visit_id}", f.code, f.detail) for f in res.failed]
        for d in dossiers:
            if d.open_visit_id:
                continue
            if d.next_visit_kind is None:
                # picked up already, being processed, result at the desk...: nobody needs to go
                out.skipped.append(d.code)
                continue
            body = {
                "kind": d.next_visit_kind.value,  # the server's reading of the dossier's state
                "dossier_id": d.id,
                "assignee_id": officer_id,
                "planned_date": day,
            }
            try:
                await self._call(partial(Client.create_visit, body=body))
                out.created += 1
            except SupervisionError as exc:
                out.failed.append((d.code, "", exc.detail))
        return out

    # -- provisioning new phones -----------------------------------------------------------
    async def provisioning(self) -> str:
        """The text of the QR a new phone reads on its first-run screen: this server + my commune."""
        mine = set(self.my_unit_ids())
        communes = [u for u in await self.units() if u.id in mine and u.level.value == "commune"]
        return provisioning_text(self.backend_url, communes[0].code if communes else None)

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
        self, fmt: str, unit_id: int | None, date_from: date, date_to: date, group_by: str, lang: str = "vi"
    ) -> ReceiptInfo:
        """The indicator table as CSV or XLSX in the user's language, kept with the receipts (a download
        URL on web)."""
        if fmt not in TABLE_FORMATS:
            raise ValueError(fmt)
        params: dict[str, Any] = {
            "unit_id": unit_id,
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "group_by": group_by,
            "lang": lang,
        }
        data = await self._call(lambda api: api.export(f"indicators.{fmt}", **params))
        label = f"indicators_{date_from}_{date_to}"
        return self.documents.save_document(f"export:indicators:{fmt}", unit_id or 0, data, label, fmt)
