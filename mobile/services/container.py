"""Builds every service for one device store (one phone, or one browser tab's device id)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from api_client.domain.clock import Clock, current_clock, vn_date
from mobile import store

from .auth import AuthService
from .delivery import DeliveryService
from .desk import DeskService
from .duty import DutyService
from .handovers import HandoverService
from .location import LocationService
from .outcomes import OutcomeService
from .photos import PhotoService
from .pickup import PickupService
from .receipts import ReceiptStore
from .route import RouteService
from .setup import SetupService
from .supervision import SupervisionService
from .sync import SyncService

log = logging.getLogger(__name__)


class Services:
    """The service graph the views receive (views never see SQL or HTTP)."""

    def __init__(
        self,
        store_dir: Path,
        backend_url: str | None,
        location: LocationService,
        photos: PhotoService,
        receipts_url_prefix: str | None = None,
        sync_interval_s: float | None = None,
        clock: Clock | None = None,
        ticket_signer: Callable[[str, int], str] | None = None,
    ) -> None:
        self.clock: Clock = clock or current_clock()
        self.store_dir = Path(store_dir)
        self.db = store.open_store(self.store_dir)
        # web mode passes the server's own address; an installed phone keeps the one set at first run
        self.setup = SetupService(self.db, backend_url or None, on_changed=self.set_server)
        backend_url = self.setup.server_url() or ""
        self.backend_url = backend_url
        self.location = location
        self.photos = photos
        interval = sync_interval_s or float(os.environ.get("DOORSTEP_SYNC_INTERVAL", "30"))
        self.sync = SyncService(self.db, self.store_dir, interval_s=interval, clock=self.clock)
        self.auth = AuthService(self.db, backend_url)
        # web mode: every link carries a ticket for the signed-in officer (mobile/services/tickets.py)
        self._ticket_signer = ticket_signer
        self.receipts = ReceiptStore(
            self.store_dir / "receipts", receipts_url_prefix, sign=self._ticket, owner=self.officer_id
        )
        self.route = RouteService(self.db, location, receipt_url=self.receipts.url, clock=self.clock)
        self.duty = DutyService(self.db, location, on_changed=self.sync.request, clock=self.clock)
        self.sync.on_synced(lambda report: self.duty.refresh())  # sent points leave the count
        self.pickup = PickupService(self.db, self.receipts, on_recorded=self.sync.request, clock=self.clock)
        self.delivery = DeliveryService(self.db, self.receipts, on_recorded=self.sync.request,
                                        clock=self.clock)
        self.outcomes = OutcomeService(self.db, self.receipts, on_recorded=self.sync.request,
                                       clock=self.clock)
        self.handovers = HandoverService(self.db, backend_url, self.receipts, self.route.rows_for)
        self.supervision = SupervisionService(self.db, backend_url, self.receipts, clock=self.clock)
        self.desk = DeskService(self.db, backend_url, self.receipts, self.supervision.procedure_names)

    def today(self) -> date:
        """Today's date in Vietnam by this device's clock (the officer's working day)."""
        return vn_date(self.clock.now())

    def set_server(self, url: str) -> None:
        """Point every online service at a new server address (the first-run screen set it)."""
        self.backend_url = url
        for svc in (self.auth, self.handovers, self.supervision, self.desk):
            svc.backend_url = url

    def officer_id(self) -> int | None:
        """Id of the logged-in officer (None when nobody is)."""
        s = self.auth.session()
        return s.officer.id if s else None

    def _ticket(self, name: str) -> str | None:
        officer = self.officer_id()
        if self._ticket_signer is None or officer is None:
            return None
        return self._ticket_signer(name, officer)

    def officer_name(self) -> str:
        """Full name of the logged-in officer ('' when nobody is)."""
        s = self.auth.session()
        return s.officer.full_name if s else ""

    def close(self) -> None:
        """Close the store connection (the tab went away)."""
        self.duty.close()  # the GPS loop stops; duty stays on and resumes on the next start
        self.supervision.close()
        try:
            self.db.conn.close()
        except Exception:  # noqa: BLE001 - closing twice is harmless
            log.debug("store already closed", exc_info=True)
