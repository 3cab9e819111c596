"""Chain of custody on the phone: handovers with the desk (online only) and a dossier's tracking log."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from api_client.client import Client
from api_client.domain.clock import now_utc
from api_client.domain.evidence import handover_event
from api_client.models import HandoverPublic, OfficerPublic, Role, TrackingLog
from mobile import store

from .api import OnlineService, make_client
from .flow import FlowError
from .receipts import ReceiptInfo, ReceiptStore


class NeedsConnection(Exception):
    """The server could not be reached: handovers and the tracking log are online-only."""


@dataclass
class CustodyItem:
    """A dossier the officer holds or is about to take: what the handover list shows."""

    dossier_id: int
    dossier_code: str
    citizen_name: str
    procedure_name: str
    visit_id: int


class HandoverService(OnlineService):
    """Handovers and tracking logs through api_client.Client (views never see HTTP)."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        backend_url: str,
        documents: ReceiptStore,
        rows: Callable[[list[Any]], list[Any]],
        client_factory: Callable[..., Client] = make_client,
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        self.db = db
        self.clock = clock  # the device time sealed into a handover's evidence
        self.backend_url = backend_url
        self.documents = documents
        self._rows = rows  # RouteService._rows_for: visits -> VisitRow (names, codes, statuses)
        self._client_factory = client_factory
        self._counterparts: dict[int | None, list[OfficerPublic]] = {}  # per logged-in officer id

    # -- who am I -----------------------------------------------------------------------
    def is_supervisor(self) -> bool:
        """True when the logged-in account is a desk/supervisor account (it confirms handovers)."""
        s = store.load_session(self.db)
        return bool(s and s.officer.role == Role.SUPERVISOR)

    def officer_id(self) -> int | None:
        """The logged-in officer's id."""
        s = store.load_session(self.db)
        return s.officer.id if s else None

    # -- what to hand over (local store: works offline) ---------------------------------
    def _items(self, kind: str, status: str | None, dossier_status: int) -> list[CustodyItem]:
        visits = [
            v
            for v in store.list_visits(self.db)
            if v.kind.value == kind and (status is None or v.status.value == status)
        ]
        out: dict[int, CustodyItem] = {}
        for r in self._rows(visits):
            if r.dossier_status == dossier_status and (status is not None or r.is_open):
                out[r.dossier_id] = CustodyItem(
                    r.dossier_id, r.dossier_code, r.citizen_name, r.procedure_name, r.visit_id
                )
        return sorted(out.values(), key=lambda i: i.dossier_code)

    def to_take_out(self) -> list[CustodyItem]:
        """Results ready (status 9) of my open delivery visits: to collect from the desk."""
        return self._items("delivery", None, 9)

    def to_bring_in(self) -> list[CustodyItem]:
        """Dossiers I received at the door (status 2): to hand in at the desk."""
        return self._items("pickup", "completed", 2)

    # -- online calls -------------------------------------------------------------------
    def _offline(self, message: str) -> Exception:
        return NeedsConnection(message)

    def _refused(self, detail: str) -> Exception:
        return FlowError({"api": detail})

    def _no_session(self) -> Exception:
        return NeedsConnection("no session")

    async def counterparts(self) -> list[OfficerPublic]:
        """Who I may hand over to: a field officer's desk accounts, a desk's field officers.

        Fetched once per login and kept in memory: a handover needs a connection anyway, and the
        desk staff of a commune rarely changes within a day."""
        me = self.officer_id()
        if me not in self._counterparts:
            if self.is_supervisor():
                staff = await self._call(lambda api: list(api.list_officers(page_size=500)))
                found = [o for o in staff if o.role != Role.SUPERVISOR]
            else:
                found = await self._call(lambda api: list(api.list_officers(Role.SUPERVISOR, page_size=500)))
            self._counterparts = {me: found}
        return self._counterparts[me]

    async def create(
        self, direction: str, dossier_ids: list[int], counterpart_id: int | None, note: str = ""
    ) -> HandoverPublic:
        """Record a handover (my side confirmed now); FlowError for bad input, NeedsConnection offline."""
        errors = {}
        if not dossier_ids:
            errors["dossiers"] = "err_pick_dossiers"
        if counterpart_id is None:
            errors["counterpart"] = "err_pick_counterpart"
        if errors:
            raise FlowError(errors)
        body: dict = {
            "direction": direction,
            "dossier_ids": dossier_ids,
            "counterpart_id": counterpart_id,
            "note": (note or "").strip() or None,
        }
        # sealed into the phone's evidence chain; the chain moves on only once the server has it,
        # so a handover that failed to send leaves no hole
        now = self.clock()
        body["seal_id"] = str(uuid.uuid4())
        block = store.device_key.next_seal(self.db, handover_event(body, now), now)
        if block is not None:
            body["evidence"] = block
        else:
            body.pop("seal_id")
        created = await self._call(lambda api: api.create_handover(body))
        if block is not None:
            store.device_key.advance_chain(self.db, block)
        return created

    async def pending(self) -> list[HandoverPublic]:
        """Handovers awaiting my confirmation."""
        return await self._call(lambda api: api.list_handovers(pending=True))

    async def recent(self) -> list[HandoverPublic]:
        """Handovers I am a party to, newest first."""
        return await self._call(lambda api: api.list_handovers())

    async def confirm(self, handover_id: int) -> HandoverPublic:
        """Confirm my side of a handover."""
        return await self._call(lambda api: api.confirm_handover(handover_id))

    async def tracking_log(self, dossier_id: int) -> TrackingLog:
        """The dossier's tracking log (phiếu kiểm soát) from the server."""
        return await self._call(lambda api: api.tracking_log(dossier_id))

    async def tracking_pdf(self, dossier_id: int, dossier_code: str) -> ReceiptInfo:
        """Fetch the tracking-log PDF and keep it on the device, served like receipts."""
        pdf = await self._call(lambda api: api.tracking_log_pdf(dossier_id))
        return self.documents.save_document(f"tracklog:{dossier_id}", dossier_id, pdf, dossier_code)
