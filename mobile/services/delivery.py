"""The delivery flow's rules and persistence: return a result at home, a draft saved at every step."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import datetime
from typing import Any

import sqlite_utils
from pydantic import ValidationError

from api_client.documents.letters import LetterError, letter_title, render_letter
from api_client.documents.signature_image import signature_png
from api_client.domain.clock import VN_TZ, Clock
from api_client.domain.identity import IdentityError, check_citizen_id
from api_client.models import DeliveryCompleted, DeliveryPayload
from mobile import qr_reader, store
from mobile.delivery_slip import DeliverySlipData, delivery_slip_pdf
from mobile.i18n import format_vnd

from .flow import FlowError, FlowRules
from .models import Draft, VisitDetail
from .receipts import ReceiptInfo, ReceiptStore

STEPS = ("recipient", "receipt_code", "fee", "handover", "signature", "gps")
DONE_STEP = len(STEPS)  # shown after completion
RELATIONSHIPS = ("spouse", "parent", "child", "sibling", "relative", "other")


def _commune(unit_name: str) -> str:
    """'An Phú' -> 'xã An Phú' (how letters name the commune)."""
    lowered = unit_name.lower()
    for prefix in ("xã ", "phường ", "thị trấn ", "đặc khu "):
        if lowered.startswith(prefix):
            return prefix + unit_name[len(prefix) :]
    return f"xã {unit_name}" if unit_name else "xã"


class DeliveryService(FlowRules):
    """Everything the delivery screens do besides drawing (reads the phone's store only)."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        documents: ReceiptStore,
        on_recorded: Any = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(db, on_recorded, clock)
        self.documents = documents  # letters are served like receipts

    steps = STEPS

    # -- drafts -------------------------------------------------------------------------
    def _fresh_data(self, detail: VisitDetail | None) -> dict[str, Any]:
        """The applicant as recipient, the name pre-filled and the ID left to check."""
        data: dict[str, Any] = {"recipient": {"kind": "applicant", "full_name": "", "id_number": ""}}
        if detail:
            data["recipient"]["full_name"] = detail.row.citizen_name
        return data

    # -- 1 recipient --------------------------------------------------------------------
    @staticmethod
    def check_recipient(detail: VisitDetail, values: dict[str, Any]) -> dict[str, Any]:
        """The Recipient of the event (plus the photo dict), or FlowError with message codes."""
        errors: dict[str, str] = {}
        params: dict[str, dict] = {}
        kind = values.get("kind") or "applicant"
        name = " ".join((values.get("full_name") or "").split())
        if not name:
            errors["full_name"] = "err_recipient_name"
        id_number = ""
        try:
            id_number = check_citizen_id(values.get("id_number") or "")
        except IdentityError as exc:
            errors["id_number"], params["id_number"] = exc.code, exc.params
        out: dict[str, Any] = {"kind": kind, "full_name": name, "id_number": id_number}
        if kind == "applicant":
            if id_number and id_number != detail.row.id_number:
                errors["id_number"] = "err_id_not_applicant"
        else:
            relationship = (values.get("relationship") or "").strip()
            if not relationship:
                errors["relationship"] = "err_relationship"
            photo = values.get("photo")
            if not photo:
                errors["photo"] = "err_auth_photo"
            out.update(relationship=relationship, photo=photo)
        if not values.get("confirmed"):
            errors["confirmed"] = "err_confirm_identity"
        if errors:
            raise FlowError(errors, params)
        return out

    async def add_authorisation_photo(self, draft: Draft, raw: bytes) -> dict:
        """The photo of the authorisation paper, stored durably and kept in the draft."""
        photo = await self.stage_photo(raw, "photo")
        draft.data.setdefault("recipient", {})["photo"] = photo
        self.save(draft)
        return photo

    # -- 2 receipt code -----------------------------------------------------------------
    @staticmethod
    def check_receipt_code(detail: VisitDetail, code: str) -> str:
        """The code on the citizen's slip must be this dossier's; a mismatch stops the delivery."""
        code = (code or "").strip()
        if not code:
            raise FlowError({"receipt_code": "err_receipt_code_empty"})
        if code.casefold() != detail.row.dossier_code.casefold():
            raise FlowError(
                {"receipt_code": "err_receipt_code_mismatch"},
                {"receipt_code": {"code": code, "expected": detail.row.dossier_code}},
            )
        return detail.row.dossier_code

    @staticmethod
    def qr_available() -> bool:
        """Whether a photo of the slip's QR can be decoded on this device."""
        return qr_reader.available()

    async def read_receipt_qr(self, raw: bytes, detail: VisitDetail) -> str:
        """The dossier code read from a photo of the slip's QR code, or FlowError. The QR carries the
        dossier's lookup token: it names this dossier only when it equals the token the phone holds."""
        texts = await asyncio.to_thread(qr_reader.decode_qr, raw)
        if not texts:
            raise FlowError({"receipt_code": "err_qr_unreadable"})
        token = qr_reader.token_from_text(texts[0])
        if token is None:
            return qr_reader.code_from_text(texts[0])  # older slips: the code itself
        dossier = store.get_dossier(self.db, detail.row.dossier_id)
        if dossier is None or not dossier.lookup_token:
            raise FlowError({"receipt_code": "Máy chưa có mã tra cứu của hồ sơ này: hãy nhập mã hồ sơ "
                                             "in trên giấy tiếp nhận."})
        if not secrets.compare_digest(token, dossier.lookup_token):
            other = f"Mã QR trên giấy tiếp nhận không thuộc hồ sơ {detail.row.dossier_code}."
            raise FlowError({"receipt_code": f"{other} Dừng trả kết quả: không giao giấy tờ."})
        return detail.row.dossier_code

    # -- 3 fee --------------------------------------------------------------------------
    def owed(self, detail: VisitDetail) -> int:
        """The fee still owed on the dossier (fee_vnd - fee_paid_vnd), never negative."""
        d = store.get_dossier(self.db, detail.row.dossier_id)
        return max(0, (d.fee_vnd - d.fee_paid_vnd) if d else 0)

    # -- 4 handover and letter ----------------------------------------------------------
    @staticmethod
    def letter_kind(detail: VisitDetail) -> str | None:
        """'congratulation' (marriage), 'condolence' (death) or None."""
        return detail.procedure.letter if detail.procedure else None

    @staticmethod
    def letter_name(kind: str) -> str:
        """'Thư chúc mừng' / 'Thư chia buồn'."""
        return letter_title(kind)

    def letter(self, detail: VisitDetail, officer_name: str) -> ReceiptInfo | None:
        """The letter PDF for this visit, rendered on the phone (offline) the first time."""
        kind = self.letter_kind(detail)
        if not kind:
            return None
        key = f"letter:{detail.row.visit_id}"
        existing = self.documents.get_document(key, detail.row.visit_id)
        if existing:
            return existing
        commune = _commune(detail.unit_name)
        today = self.today()
        values = {
            "citizen_names": detail.row.citizen_name,
            "commune": commune,
            "commune_upper": commune.upper(),
            "commune_name": detail.unit_name,
            "day": f"{today.day:02d}",
            "month": f"{today.month:02d}",
            "year": str(today.year),
            "date": f"{today:%d/%m/%Y}",
            "officer": officer_name,
            "result_document": detail.procedure.result_document if detail.procedure else "",
            "dossier_code": detail.row.dossier_code,
            "deceased": "người thân của gia đình",
        }
        try:
            pdf = render_letter(kind, values)
        except LetterError:
            return None  # a broken template must not block the result itself
        return self.documents.save_document(key, detail.row.visit_id, pdf, detail.row.dossier_code)

    async def add_handover_photo(self, draft: Draft, raw: bytes) -> dict:
        """An optional photo of the handover."""
        photo = {**await self.stage_photo(raw, "handover_photo"), "document_code": "handover"}
        draft.data["handover_photo"] = photo
        self.save(draft)
        return photo

    # -- finishing ----------------------------------------------------------------------
    def complete(self, draft: Draft, detail: VisitDetail, officer_name: str = "") -> str:
        """Write the delivery event (record + outbox atomically), trigger a sync, render the slip."""
        data = draft.data
        rec = data["recipient"]
        recipient: dict[str, Any] = {
            "kind": rec["kind"],
            "full_name": rec["full_name"],
            "id_number": rec["id_number"],
        }
        blobs = []
        if rec["kind"] == "authorised":
            recipient.update(relationship=rec["relationship"], authorisation_photo=rec["photo"]["sha256"])
            blobs.append(rec["photo"])
        photos = [data["handover_photo"]] if data.get("handover_photo") else []
        payload = {
            "recipient": recipient,
            "receipt_code": data["receipt_code"]["value"],
            "payment": data.get("payment"),
            "letter_handed": bool(data.get("letter_handed")),
            "signature": {
                "width": data["signature"]["width"],
                "height": data["signature"]["height"],
                "strokes": data["signature"]["strokes"],
                "signer_name": rec["full_name"],
            },
            "gps": self.gps_check(data.get("gps", {})),
            "photos": [
                {"sha256": p["sha256"], "size": p["size"], "mime": p["mime"], "document_code": "handover"}
                for p in photos
            ],
        }
        occurred = self.now()
        try:
            event = DeliveryCompleted(
                id=uuid.uuid4(),
                visit_id=draft.visit_id,
                occurred_at=occurred,
                payload=DeliveryPayload.model_validate(payload),
            )
        except ValidationError as exc:
            why = "; ".join(e["msg"] for e in exc.errors())
            raise FlowError({"event": "err_event"}, {"event": {"detail": why}}) from exc
        event_id = self._record(event, self.staged(blobs + photos))
        self.write_slip(detail, data, occurred, officer_name)
        return event_id

    def write_slip(
        self, detail: VisitDetail, data: dict, delivered: datetime, officer_name: str
    ) -> ReceiptInfo:
        """Render the delivery slip (recipient's signature included), kept and served like receipts."""
        rec, sig, pay = data["recipient"], data.get("signature") or {}, data.get("payment")
        fee = (
            format_vnd(pay["amount_vnd"]) + (" (tiền mặt)" if pay["method"] == "cash" else " (chuyển khoản)")
            if pay
            else "Không"
        )
        slip = DeliverySlipData(
            dossier_code=detail.row.dossier_code,
            unit_name=f"UBND {detail.unit_name}" if detail.unit_name else "UBND xã",
            result_document=(
                detail.procedure.result_document if detail.procedure else detail.row.procedure_name
            ),
            recipient_name=rec["full_name"],
            recipient_id=rec["id_number"],
            relationship=rec.get("relationship", "") if rec.get("kind") == "authorised" else "",
            delivered_at=delivered.astimezone(VN_TZ).strftime("%H:%M ngày %d/%m/%Y"),
            fee=fee,
            officer_name=officer_name,
            recipient_signature=signature_png(
                sig.get("strokes", ""), sig.get("width", 0), sig.get("height", 0)
            ),
        )
        pdf = delivery_slip_pdf(slip)
        return self.documents.save_document(f"slip:{detail.row.visit_id}", detail.row.visit_id, pdf,
                                            detail.row.dossier_code)

    def slip(self, visit_id: int) -> ReceiptInfo | None:
        """The delivery slip of a completed delivery, or None."""
        return self.documents.get_document(f"slip:{visit_id}", visit_id)

    def letter_url(self, visit_id: int) -> str | None:
        """Download URL (web) of a visit's letter once rendered, or None."""
        info = self.documents.get_document(f"letter:{visit_id}", visit_id)
        return info.url if info else None
