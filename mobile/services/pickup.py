"""The pickup flow's rules and persistence: a draft saved at every step, then one recorded event."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime

import sqlite_utils
from pydantic import ValidationError

from api_client.documents.signature_image import signature_png
from api_client.domain.clock import VN_TZ, Clock
from api_client.domain.identity import IdentityError, check_citizen_id, check_phone
from api_client.domain.timeliness import appointment_for
from api_client.models import (
    PickupCompleted,
    PickupPayload,
    Procedure,
    RequiredDocument,
)
from mobile import store
from mobile.receipt import RETURN_PLACES, ReceiptData

from .flow import FlowError, FlowRules
from .lookup import lookup_base_url, lookup_link, new_lookup_token
from .models import Draft, VisitDetail
from .receipts import ReceiptInfo, ReceiptStore

STEPS = ("identify", "checklist", "photos", "form", "fee", "signature", "gps")
RECEIPT_STEP = len(STEPS)  # shown after completion
# form field kinds checked (and normalised) by the shared identity rules
IDENTITY_CHECKS: dict[str, Callable[[str], str]] = {"citizen_id": check_citizen_id, "phone": check_phone}


def parse_date(value: str) -> date | None:
    """Accept 'YYYY-MM-DD' or 'DD/MM/YYYY' (how officers write it); None if neither."""
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


class PickupService(FlowRules):
    """Everything the pickup, supplement and failed-visit screens do besides drawing."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        receipts: ReceiptStore,
        on_recorded=None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(db, on_recorded, clock)
        self.receipts = receipts

    steps = STEPS

    # -- drafts -------------------------------------------------------------------------
    def _fresh_data(self, detail: VisitDetail | None) -> dict:
        """The catalogue version the pickup starts under and the cached citizen's identity."""
        data: dict = {"catalogue_version": detail.catalogue.version if detail and detail.catalogue else None}
        if detail:
            data["identity"] = {
                "full_name": detail.row.citizen_name,
                "id_number": detail.row.id_number,
                "phone": detail.row.phone or "",
                "confirmed": False,
            }
        return data

    def discard(self, visit_id: int) -> None:
        """Drop a draft (the flow ended in a supplement or a failed visit)."""
        store.delete_draft(self.db, visit_id)

    # -- step rules ---------------------------------------------------------------------
    @staticmethod
    def check_identity(
        full_name: str, id_number: str, phone: str, confirmed: bool, birth_date: str | None = None
    ) -> dict[str, str]:
        """Normalised identity values; FlowError with per-field Vietnamese messages."""
        errors: dict[str, str] = {}
        params: dict[str, dict] = {}
        out = {"full_name": " ".join((full_name or "").split())}
        if not out["full_name"]:
            errors["full_name"] = "err_name"
        try:
            bd = date.fromisoformat(birth_date) if birth_date else None
        except ValueError:
            bd = None
        try:
            out["id_number"] = check_citizen_id(id_number or "", bd)
        except IdentityError as exc:
            errors["id_number"], params["id_number"] = exc.code, exc.params
        if (phone or "").strip():
            try:
                out["phone"] = check_phone(phone)
            except IdentityError as exc:
                errors["phone"], params["phone"] = exc.code, exc.params
        else:
            out["phone"] = ""
        if not confirmed:
            errors["confirmed"] = "err_confirm_identity"
        if errors:
            raise FlowError(errors, params)
        return out

    @staticmethod
    def missing_required(proc: Procedure | None, checklist: dict[str, bool]) -> list[RequiredDocument]:
        """Required documents not ticked (shown-only ones included: they must be shown)."""
        if proc is None:
            return []
        return [d for d in proc.documents if d.required and not checklist.get(d.code, False)]

    @staticmethod
    def collected(proc: Procedure | None, checklist: dict[str, bool]) -> list[RequiredDocument]:
        """Documents taken with the dossier (present and not merely shown): each needs a photo."""
        if proc is None:
            return []
        return [d for d in proc.documents if checklist.get(d.code) and not d.shown_only]

    async def add_photo(self, draft: Draft, document_code: str, raw: bytes) -> dict:
        """Resize, store durably on the phone and link the photo to its checklist item."""
        photo = {**await self.stage_photo(raw, document_code), "document_code": document_code}
        draft.data.setdefault("photos", {})[document_code] = photo
        self.save(draft)
        return photo

    def missing_photos(self, proc: Procedure | None, draft: Draft) -> list[RequiredDocument]:
        """Collected documents still without a photo."""
        photos = draft.data.get("photos", {})
        return [d for d in self.collected(proc, draft.data.get("checklist", {})) if d.code not in photos]

    @staticmethod
    def check_form(proc: Procedure | None, values: dict[str, str]) -> dict[str, str]:
        """Validate the declaration (viết hộ) by field kind; returns the cleaned values or FlowError."""
        errors: dict[str, str] = {}
        params: dict[str, dict] = {}
        out: dict[str, str] = {}
        for f in proc.form_fields if proc else []:
            v = (values.get(f.key) or "").strip()
            if not v:
                if f.required:
                    errors[f.key] = "err_required"
                continue
            if f.kind == "date":
                d = parse_date(v)
                if d is None:
                    errors[f.key] = "err_date_format"
                    continue
                v = d.strftime("%d/%m/%Y")
            elif f.kind in IDENTITY_CHECKS:
                try:
                    v = IDENTITY_CHECKS[f.kind](v)
                except IdentityError as exc:
                    errors[f.key], params[f.key] = exc.code, exc.params
                    continue
            elif f.kind == "number":
                if not re.fullmatch(r"\d{1,9}", v):
                    errors[f.key] = "err_number"
                    continue
            elif f.kind == "choice" and f.choices and v not in f.choices:
                errors[f.key] = "err_choice"
                continue
            out[f.key] = v
        sets = (values.get("_sets") or "1").strip()
        if not re.fullmatch(r"[1-9]\d{0,1}", sets):
            errors["_sets"] = "err_sets"
        out["_sets"] = sets
        if errors:
            raise FlowError(errors, params)
        return out

    @staticmethod
    def fee_amount(proc: Procedure | None, pages: int = 1) -> int:
        """Fee in VND from the catalogue rule."""
        return proc.fee.fee_for(max(1, pages)) if proc else 0

    # -- finishing ----------------------------------------------------------------------
    def complete(self, draft: Draft, detail: VisitDetail, officer_name: str) -> ReceiptInfo:
        """Write the pickup event (record + outbox atomically), then the receipt PDF."""
        data = draft.data
        proc = detail.procedure
        checklist = data.get("checklist", {})
        photos = [p for code, p in data.get("photos", {}).items() if checklist.get(code)]
        payload = {
            "citizen": {
                k: v for k, v in data["identity"].items() if k in ("id_number", "full_name", "phone") and v
            },
            "checklist": [
                {"code": d.code, "present": bool(checklist.get(d.code))}
                for d in (proc.documents if proc else [])
            ],
            "photos": [
                {
                    "sha256": p["sha256"],
                    "size": p["size"],
                    "mime": p["mime"],
                    "document_code": p["document_code"],
                }
                for p in photos
            ],
            "form": {k: v for k, v in data.get("form", {}).items() if not k.startswith("_")},
            "payment": data.get("payment"),
            "signature": {
                "width": data["signature"]["width"],
                "height": data["signature"]["height"],
                "strokes": data["signature"]["strokes"],
                "signer_name": data["identity"]["full_name"],
            },
            "gps": self.gps_check(data.get("gps", {})),
            "catalogue_version": data.get("catalogue_version")
            or (detail.catalogue.version if detail.catalogue else 1),
            "pages": int(data.get("pages") or 1),
            # made once and kept in the draft: a retry after a crash prints and sends the same token
            "lookup_token": data.setdefault("lookup_token", new_lookup_token()),
        }
        self.save(draft)
        occurred = self.now()
        try:
            event = PickupCompleted(
                id=uuid.uuid4(),
                visit_id=draft.visit_id,
                occurred_at=occurred,
                payload=PickupPayload.model_validate(payload),
            )
        except ValidationError as exc:
            why = "; ".join(e["msg"] for e in exc.errors())
            raise FlowError({"event": "err_event"}, {"event": {"detail": why}}) from exc
        self._record(event, self.staged(photos))
        return self.write_receipt(detail, data, occurred, officer_name)

    @staticmethod
    def appointment(detail: VisitDetail, received: datetime) -> datetime:
        """When the result is due for a dossier received at `received` (Vietnam time)."""
        days = detail.procedure.time_limit_days if detail.procedure else 0
        return appointment_for(received.astimezone(VN_TZ), days)

    def summary(self, draft: Draft, detail: VisitDetail) -> dict:
        """What the citizen signs under: procedure, documents received, payment, appointment (now)."""
        proc = detail.procedure
        checklist = draft.data.get("checklist", {})
        return {
            "procedure": proc.name if proc else detail.row.procedure_name,
            "procedure_en": (proc.name_en or proc.name) if proc else detail.row.procedure_name,
            "documents": [d for d in (proc.documents if proc else []) if checklist.get(d.code)],
            "payment": draft.data.get("payment"),
            "appointment": self.appointment(detail, self.now()),
        }

    def write_receipt(
        self, detail: VisitDetail, data: dict, received: datetime, officer_name: str
    ) -> ReceiptInfo:
        """Render the receipt and appointment slip for a completed pickup."""
        proc = detail.procedure
        local = received.astimezone(VN_TZ)
        days = proc.time_limit_days if proc else 0
        appointment = self.appointment(detail, received)
        sig = data.get("signature") or {}
        ident = data.get("identity", {})
        checklist = data.get("checklist", {})
        payment = data.get("payment")
        token = data.get("lookup_token")
        from mobile.i18n import format_vnd

        rd = ReceiptData(
            dossier_code=detail.row.dossier_code,
            unit_name=f"UBND {detail.unit_name}" if detail.unit_name else "UBND xã",
            submitter_name=ident.get("full_name", detail.row.citizen_name),
            submitter_address=detail.row.address,
            submitter_phone=ident.get("phone", ""),
            submitter_id=ident.get("id_number", detail.row.id_number),
            procedure_name=proc.name if proc else detail.row.procedure_name,
            sets=int(data.get("form", {}).get("_sets") or 1),
            processing_time=f"{days} ngày làm việc"
            if days
            else "Trong ngày (sau 15 giờ: ngày làm việc tiếp theo)",
            received_at=local.strftime("%H:%M ngày %d/%m/%Y"),
            appointment_at=appointment.strftime("%H:%M ngày %d/%m/%Y"),
            return_place=RETURN_PLACES["home"],
            officer_name=officer_name,
            fee=format_vnd(payment["amount_vnd"])
            + f" ({'tiền mặt' if payment['method'] == 'cash' else 'chuyển khoản'}"
            f", biên lai {payment['receipt_no']})"
            if payment
            else "Miễn phí",
            documents=tuple(d.name for d in (proc.documents if proc else []) if checklist.get(d.code)),
            # the unit's lookup page from the server's settings; before the first sync, the server's own
            lookup=lookup_link(self.lookup_base(detail.unit_id) or lookup_base_url(self.db), token)
            if token else "",
            submitter_signature=signature_png(
                sig.get("strokes", ""), sig.get("width", 0), sig.get("height", 0)
            ),
        )
        return self.receipts.save(detail.row.visit_id, rd, lookup_token=token)  # the citizen may fetch it too

    def receipt(self, visit_id: int) -> ReceiptInfo | None:
        """The saved receipt of a completed pickup."""
        return self.receipts.get(visit_id)
