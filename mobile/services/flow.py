"""Rules shared by the door-step flows (pickup, delivery): fee, signature, GPS, photos, recording."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlite_utils

from api_client.domain.clock import Clock, current_clock, vn_date
from api_client.domain.geo import distance_m, gps_warnings
from api_client.domain.signature import signature_problem_code
from api_client.domain.timeliness import add_working_days
from mobile import store
from mobile.media import resize_photo
from mobile.store.blobs import StagedBlob, stage_blob
from mobile.vietqr import vietqr_payload

from .models import Draft, VisitDetail

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BankAccount:
    """Where transfer fees go (the commune's account, from the server's unit settings), for VietQR."""

    bin: str
    account: str
    bank_name: str
    account_name: str = ""


class FlowError(ValueError):
    """A step's input is not acceptable; `errors` maps field keys to message codes (mobile/i18n.py
    keys, translated by the screen in its language), `params` a field's values for its message.
    A value that is not a known code (an API answer) is shown as it is."""

    def __init__(self, errors: dict[str, str], params: dict[str, dict[str, Any]] | None = None) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.params = params or {}


class FlowRules:
    """The evidence rules every door-step flow applies the same way, its draft, and how it records.

    A flow names its steps (`steps`) and what a fresh draft holds (`_fresh_data`)."""

    steps: tuple[str, ...] = ()

    def __init__(
        self,
        db: sqlite_utils.Database,
        on_recorded: Callable[[], Any] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.db = db
        self.on_recorded = on_recorded  # called after an action is recorded (triggers a sync)
        self.clock: Clock = clock or current_clock()

    # -- time ---------------------------------------------------------------------------
    def now(self) -> datetime:
        """The current instant by the device's clock (UTC)."""
        return self.clock.now()

    def today(self) -> date:
        """Today's date in Vietnam (where the commune's days are counted)."""
        return vn_date(self.clock.now())

    def next_working_day(self) -> str:
        """The default proposed date for a new visit: the next working day after today, ISO."""
        return add_working_days(self.today() + timedelta(days=1), 0).isoformat()

    # -- drafts -------------------------------------------------------------------------
    def existing_draft(self, visit_id: int) -> Draft | None:
        """The saved draft, or None when the flow was never started."""
        d = store.load_draft(self.db, visit_id)
        if d is None:
            return None
        step = self.steps.index(d.step) if d.step in self.steps else 0
        return Draft(visit_id, step, dict(d.data))

    def load(self, visit_id: int, detail: VisitDetail | None = None) -> Draft:
        """Resume the draft, or start one pre-filled from the cached visit."""
        existing = self.existing_draft(visit_id)
        if existing:
            return existing
        draft = Draft(visit_id, 0, self._fresh_data(detail))
        self.save(draft)
        return draft

    def _fresh_data(self, detail: VisitDetail | None) -> dict[str, Any]:
        """What a new draft starts with."""
        return {}

    def save(self, draft: Draft) -> None:
        """Persist the draft now (every step and every significant change)."""
        step = self.steps[min(draft.step, len(self.steps) - 1)]
        store.save_draft(self.db, draft.visit_id, step, draft.data)

    # -- photos -------------------------------------------------------------------------
    async def stage_photo(self, raw: bytes, error_key: str) -> dict:
        """Resize and store a photo durably on the phone; the dict goes into the draft."""
        try:
            small = await asyncio.to_thread(resize_photo, raw)
        except Exception as exc:  # noqa: BLE001 - Pillow raises many types for a bad file
            raise FlowError({error_key: "err_photo_bad"}) from exc
        staged = await asyncio.to_thread(stage_blob, self.db, small, "image/jpeg")
        return {"sha256": staged.sha256, "size": staged.size, "mime": staged.mime, "path": staged.path}

    @staticmethod
    def staged(photos: Iterable[dict]) -> list[StagedBlob]:
        """Draft photo dicts as blobs for record_action."""
        return [StagedBlob(p["sha256"], p["size"], p["mime"], p.get("path"), None) for p in photos]

    # -- fee ----------------------------------------------------------------------------
    def bank_for(self, unit_id: int | None) -> BankAccount | None:
        """The account of the dossier's commune as the server last sent it; None: cash only.

        Never a default: a made-up account would send citizens' money to the wrong place.
        """
        s = store.unit_settings_for(self.db, unit_id)
        if s is None or not s.bank_bin or not s.bank_account_no:
            return None
        name = s.bank_name or s.bank_bin
        return BankAccount(s.bank_bin, s.bank_account_no, name, s.bank_account_name or "")

    def lookup_base(self, unit_id: int | None) -> str | None:
        """The public lookup page the receipt's QR points at (None until a sync brought it)."""
        s = store.unit_settings_for(self.db, unit_id)
        return s.lookup_url if s and s.lookup_url else None

    def vietqr(
        self, amount: int, dossier_code: str, unit_id: int | None = None
    ) -> tuple[str, BankAccount] | None:
        """Transfer QR payload (amount, dossier code in the note) when the unit has an account."""
        bank = self.bank_for(unit_id)
        if bank is None or amount <= 0:
            return None
        try:
            return vietqr_payload(bank.bin, bank.account, amount, f"LE PHI {dossier_code}"), bank
        except ValueError:
            log.warning("unit %s has an unusable bank account %s/%s", unit_id, bank.bin, bank.account)
            return None

    def check_payment(self, amount: int, method: str | None, receipt_no: str,
                      unit_id: int | None = None) -> dict | None:
        """The Payment of the event (None when free) or FlowError."""
        if amount <= 0:
            return None
        errors = {}
        if method == "transfer" and self.bank_for(unit_id) is None:
            errors["method"] = "Đơn vị chưa có tài khoản nhận chuyển khoản: chỉ thu tiền mặt."
        elif method not in ("cash", "transfer"):
            errors["method"] = "err_pay_method"
        if not (receipt_no or "").strip():
            errors["receipt_no"] = "err_receipt_no"
        if errors:
            raise FlowError(errors)
        return {"method": method, "amount_vnd": amount, "receipt_no": receipt_no.strip()}

    # -- signature ----------------------------------------------------------------------
    @staticmethod
    def check_signature(encoded: str, officer_confirmed: bool) -> None:
        """Empty or trivial signatures are refused (domain.signature)."""
        errors = {}
        problem = signature_problem_code(encoded or "")
        if problem:
            errors["signature"] = problem
        if not officer_confirmed:
            errors["officer"] = "err_officer_confirm"
        if errors:
            raise FlowError(errors)

    # -- GPS ----------------------------------------------------------------------------
    @staticmethod
    def evaluate_fix(detail: VisitDetail, fix: dict | None) -> tuple[float | None, list[str]]:
        """Distance to the household and the GPS rules the fix breaks."""
        if fix is None:
            return None, gps_warnings(None, None)
        dist = None
        if detail.row.lat is not None and detail.row.lon is not None:
            dist = distance_m(fix["lat"], fix["lon"], detail.row.lat, detail.row.lon)
        return dist, gps_warnings(fix["accuracy_m"], dist)

    @staticmethod
    def gps_check(gps: dict) -> dict:
        """The GpsCheck of the event, or FlowError when a reason is needed and missing."""
        fix, warnings, reason = gps.get("fix"), gps.get("warnings") or [], gps.get("reason")
        if (fix is None or warnings) and not reason:
            raise FlowError({"reason": "err_gps_reason"})
        return {
            "fix": fix,
            "warnings": list(warnings),
            "reason": reason or None,
            "reason_note": (gps.get("reason_note") or None),
        }

    # -- recording ----------------------------------------------------------------------
    def _record(self, event: Any, blobs: Iterable[StagedBlob] = ()) -> str:
        event_id = store.record_action(self.db, event, blobs=blobs)
        if self.on_recorded:
            self.on_recorded()
        return event_id
