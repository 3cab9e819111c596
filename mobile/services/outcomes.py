"""Visit outcomes other than a completed flow: a failed visit, or a supplement request.

Both carry proof of presence like a pickup (a GPS fix checked by the same rules, or a coded
reason) and optionally a photo of the door or of the note left there. The outcome screen keeps
its state in memory: the visit's pickup or delivery draft must not be overwritten by it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

import sqlite_utils

from api_client.domain.clock import VN_TZ, Clock
from api_client.models import (
    FailedPayload,
    RequiredDocument,
    SupplementPayload,
    SupplementRequested,
    VisitFailed,
)
from mobile import store
from mobile.supplement_slip import SupplementSlipData, supplement_slip_pdf

from .flow import FlowError, FlowRules
from .models import Draft, VisitDetail
from .pickup import PickupService, parse_date
from .receipts import ReceiptInfo, ReceiptStore

FAILED, SUPPLEMENT = "failed", "supplement"
DOOR = "door"  # document_code of the door / note photo


class OutcomeService(FlowRules):
    """What the failed-visit and supplement screens do besides drawing."""

    steps = ("outcome",)

    def __init__(
        self,
        db: sqlite_utils.Database,
        documents: ReceiptStore,
        on_recorded: Callable[[], object] | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(db, on_recorded, clock)
        self.documents = documents  # the supplement slip is served like receipts

    # -- state (in memory) ----------------------------------------------------------------
    def load(self, visit_id: int, detail: VisitDetail | None = None) -> Draft:
        """A fresh outcome: no fix yet, tomorrow's working day proposed."""
        return Draft(visit_id, 0, {"gps": {}, "date": self.next_working_day(), "note": ""})

    def save(self, draft: Draft) -> None:
        """Nothing to persist: see the module docstring."""

    def missing(self, detail: VisitDetail) -> list[RequiredDocument]:
        """Required documents the pickup's checklist has not ticked (what the citizen must bring)."""
        saved = store.load_draft(self.db, detail.row.visit_id)
        checklist = (saved.data if saved else {}).get("checklist", {})
        return PickupService.missing_required(detail.procedure, checklist)

    async def add_door_photo(self, draft: Draft, raw: bytes) -> dict:
        """An optional photo of the door, or of the note left there."""
        photo = {**await self.stage_photo(raw, "photo"), "document_code": DOOR}
        draft.data["photo"] = photo
        return photo

    # -- recording ------------------------------------------------------------------------
    def _proof(self, draft: Draft, errors: dict[str, str]) -> tuple[dict | None, list[dict]]:
        try:
            gps = self.gps_check(draft.data.get("gps", {}))
        except FlowError as exc:
            errors.update(exc.errors)
            gps = None
        photo = draft.data.get("photo")
        return gps, [photo] if photo else []

    @staticmethod
    def _refs(photos: list[dict]) -> list[dict]:
        return [{k: p[k] for k in ("sha256", "size", "mime", "document_code")} for p in photos]

    def report_failed(self, draft: Draft, reason: str | None) -> str:
        """Record a failed visit: coded reason, proposed new date, GPS proof, optional door photo."""
        note = (draft.data.get("note") or "").strip()
        errors: dict[str, str] = {}
        if not reason:
            errors["reason"] = "err_pick_reason"
        if reason == "other" and not note:
            errors["note"] = "err_other_note"
        pd = self._future_date(draft.data.get("date"), errors)
        gps, photos = self._proof(draft, errors)
        if errors:
            raise FlowError(errors)
        event = VisitFailed(
            id=uuid.uuid4(),
            visit_id=draft.visit_id,
            occurred_at=self.now(),
            payload=FailedPayload.model_validate(
                {"reason": reason, "note": note or None, "proposed_date": pd, "gps": gps,
                 "photos": self._refs(photos)}
            ),
        )
        event_id = self._record(event, self.staged(photos))
        store.delete_draft(self.db, draft.visit_id)  # the pickup/delivery in progress ends here
        return event_id

    def request_supplement(self, draft: Draft, detail: VisitDetail, officer_name: str) -> ReceiptInfo:
        """End the pickup with a supplement request; returns the slip listing what to bring."""
        missing = self.missing(detail)
        note = (draft.data.get("note") or "").strip()
        errors: dict[str, str] = {}
        if not missing:
            errors["missing"] = "err_no_missing"
        pd = self._future_date(draft.data.get("date"), errors)
        gps, photos = self._proof(draft, errors)
        if errors:
            raise FlowError(errors)
        names = [d.name for d in missing]
        occurred = self.now()
        event = SupplementRequested(
            id=uuid.uuid4(),
            visit_id=draft.visit_id,
            occurred_at=occurred,
            payload=SupplementPayload.model_validate(
                {"missing": [d.code for d in missing], "note": note or f"Cần bổ sung: {', '.join(names)}",
                 "proposed_date": pd, "gps": gps, "photos": self._refs(photos)}
            ),
        )
        self._record(event, self.staged(photos))
        store.delete_draft(self.db, draft.visit_id)
        slip = SupplementSlipData(
            dossier_code=detail.row.dossier_code,
            unit_name=f"UBND {detail.unit_name}" if detail.unit_name else "UBND xã",
            citizen_name=detail.row.citizen_name,
            address=detail.row.address,
            procedure_name=detail.procedure.name if detail.procedure else detail.row.procedure_name,
            missing=tuple(names),
            note=note,
            proposed_date=datetime.fromisoformat(pd).strftime("%d/%m/%Y") if pd else "",
            issued_at=occurred.astimezone(VN_TZ).strftime("%H:%M ngày %d/%m/%Y"),
            officer_name=officer_name,
        )
        return self.documents.save_document(
            f"supplement:{draft.visit_id}", draft.visit_id, supplement_slip_pdf(slip), detail.row.dossier_code
        )

    def slip(self, visit_id: int) -> ReceiptInfo | None:
        """The supplement slip of a visit, or None."""
        return self.documents.get_document(f"supplement:{visit_id}", visit_id)

    def _future_date(self, value: str | None, errors: dict[str, str]) -> str | None:
        if not (value or "").strip():
            return None
        d = parse_date(value or "")
        if d is None or d < self.today():
            errors["date"] = "err_date"
            return None
        return d.isoformat()
