"""Builds every service for one device store (one phone, or one browser tab's device id)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from mobile import store

from .auth import AuthService
from .delivery import DeliveryService
from .desk import DeskService
from .duty import DutyService
from .handovers import HandoverService
from .location import LocationService
from .outcomes import OutcomeService
from .photos import PhotoService
from .pickup import PickupService, bank_from_env
from .receipts import ReceiptStore
from .route import RouteService
from .supervision import SupervisionService
from .sync import SyncService


class Services:
    """The service graph the views receive (views never see SQL or HTTP)."""

    def __init__(
        self,
        store_dir: Path,
        backend_url: str,
        location: LocationService,
        photos: PhotoService,
        receipts_url_prefix: str | None = None,
        sync_interval_s: float | None = None,
        ticket_signer: Callable[[str, int], str] | None = None,
    ) -> None:
        self.store_dir = Path(store_dir)
        self.db = store.open_store(self.store_dir)
        self.backend_url = backend_url
        self.location = location
        self.photos = photos
        interval = sync_interval_s or float(os.environ.get("DOORSTEP_SYNC_INTERVAL", "30"))
        self.sync = SyncService(self.db, self.store_dir, interval_s=interval)
        self.auth = AuthService(self.db, backend_url)
        # web mode: every link carries a ticket for the signed-in officer (mobile/services/tickets.py)
        self._ticket_signer = ticket_signer
        self.receipts = ReceiptStore(
            self.store_dir / "receipts", receipts_url_prefix, sign=self._ticket, owner=self.officer_id
        )
        self.route = RouteService(self.db, location, receipt_url=self.receipts.url)
        self.duty = DutyService(self.db, location, on_changed=self.sync.request)
        self.sync.on_synced(lambda report: self.duty.refresh())  # sent points leave the count
        self.pickup = PickupService(self.db, self.receipts, bank_from_env(), on_recorded=self.sync.request)
        self.delivery = DeliveryService(
            self.db, self.receipts, bank_from_env(), on_recorded=self.sync.request
        )
        self.outcomes = OutcomeService(self.db, self.receipts, on_recorded=self.sync.request)
        self.handovers = HandoverService(self.db, backend_url, self.receipts, self.route.rows_for)
        self.supervision = SupervisionService(self.db, backend_url, self.receipts)
        self.desk = DeskService(self.db, backend_url, self.receipts, self.supervision.procedure_names)

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
            pass
