"""The delivery flow (trả kết quả tại nhà), one step per screen, its draft saved at every step."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import flet as ft

from mobile.i18n import format_vnd
from mobile.services.delivery import DONE_STEP, STEPS, FlowError
from mobile.ui.context import ViewContext
from mobile.ui.steps import FeeStep, GpsStep, SignatureStep, StepFlow, photo_box
from mobile.ui.theme import MUTED, OK, WARN, big_button, document_link, link_button

STEP_TITLES = (
    "dstep_recipient",
    "dstep_receipt_code",
    "step_fee",
    "dstep_handover",
    "step_signature",
    "step_gps",
    "dstep_done",
)
# which draft bucket the text fields of a step are kept in before 'Tiếp tục'
BUCKETS = {"recipient": "recipient", "receipt_code": "receipt_input", "fee": "fee_input", "gps": "gps"}


class DeliveryView(StepFlow, FeeStep, SignatureStep, GpsStep):
    """Steps 1-7 of a home delivery; every 'Tiếp tục' validates, saves the draft and moves on."""

    steps = STEPS
    step_titles = STEP_TITLES
    buckets = BUCKETS
    complete_label = "complete_delivery"
    officer_confirm_key = "officer_confirms_delivery"

    def __init__(self, ctx: ViewContext, visit_id: int) -> None:
        super().__init__(ctx, visit_id, ctx.services.delivery)
        if self._closed():
            self.draft.step = DONE_STEP
        self.stopped = False  # the receipt code did not match: only 'failed visit' is offered

    def _renderers(self) -> list[Callable[[], list[ft.Control]]]:
        return [
            self._recipient,
            self._receipt_code,
            self._fee,
            self._handover,
            self._signature,
            self._gps,
            self._done,
        ]

    def _validators(self) -> list[Callable[[], None]]:
        return [
            self._done_recipient,
            self._done_receipt_code,
            self._done_fee,
            self._done_handover,
            self._done_signature,
        ]

    # -- 1 recipient --------------------------------------------------------------------
    def _recipient(self) -> list[ft.Control]:
        t = self.ctx.t
        assert self.detail is not None  # build() draws no step without the visit
        rec = self.draft.data.setdefault("recipient", {})
        kind = rec.get("kind") or "applicant"
        items: list[ft.Control] = [
            ft.Row(
                wrap=True,
                controls=[
                    big_button(
                        t(f"recipient_{k}"), self._pick_kind, primary=kind == k, key=f"recipient-{k}", data=k
                    )
                    for k in ("applicant", "authorised")
                ],
            ),
            ft.Text(
                t("applicant_hint", name=self.detail.row.citizen_name)
                if kind == "applicant"
                else t("authorised_hint"),
                color=MUTED,
            ),
            self._field("full_name", t("recipient_name"), rec.get("full_name", "")),
            self._field(
                "id_number",
                t("id_number"),
                rec.get("id_number", ""),
                keyboard_type=ft.KeyboardType.NUMBER,
                max_length=12,
            ),
        ]
        if kind == "authorised":
            items.append(self._field("relationship", t("relationship"), rec.get("relationship", "")))
            items.append(
                photo_box(t, t("authorisation_photo"), rec.get("photo"), self._take_auth, "auth-photo")
            )
        self._confirm = ft.Checkbox(
            label=t("confirm_identity"),
            value=bool(rec.get("confirmed")),
            key="confirm-id",
            on_change=self._confirm_changed,
        )
        items.append(self._confirm)
        return items

    def _pick_kind(self, e: ft.Event) -> None:
        assert self.detail is not None  # build() draws no step without the visit
        self._save_fields()
        rec = self.draft.data.setdefault("recipient", {})
        if rec.get("kind") != e.control.data:
            rec["kind"] = e.control.data
            # a different person: their name and ID are typed afresh
            rec["full_name"] = self.detail.row.citizen_name if e.control.data == "applicant" else ""
            rec["id_number"] = ""
        self.svc.save(self.draft)
        self.render()

    def _confirm_changed(self, e: ft.Event) -> None:
        self._save_fields()
        self.draft.data.setdefault("recipient", {})["confirmed"] = bool(self._confirm.value)
        self.svc.save(self.draft)

    async def _take_auth(self, e: ft.Event) -> None:
        self._save_fields()
        await self._take_photo(lambda raw: self.svc.add_authorisation_photo(self.draft, raw))

    def _done_recipient(self) -> None:
        self._save_fields()
        rec = self.draft.data["recipient"]
        rec["confirmed"] = bool(self._confirm.value)
        out = self.svc.check_recipient(self.detail, rec)
        self.draft.data["recipient"] = {**rec, **out}

    # -- 2 receipt code -----------------------------------------------------------------
    def _receipt_code(self) -> list[ft.Control]:
        t = self.ctx.t
        typed = self.draft.data.get("receipt_input", {}).get("receipt_code", "")
        items: list[ft.Control] = [
            ft.Text(t("receipt_code_hint")),
            self._field("receipt_code", t("receipt_code"), typed),
        ]
        if self.svc.qr_available():
            items.append(
                big_button(
                    t("scan_qr"), self._scan, primary=False, key="scan-qr", icon=ft.Icons.QR_CODE_SCANNER
                )
            )
        else:
            items.append(ft.Text(t("qr_unavailable"), color=MUTED))
        if self.stopped:
            items.append(
                ft.Container(
                    border=ft.Border.all(2, WARN),
                    border_radius=8,
                    padding=10,
                    content=ft.Column(
                        [
                            ft.Text(t("delivery_stopped"), color=WARN, weight=ft.FontWeight.BOLD),
                            big_button(
                                t("report_failed"),
                                lambda e: self.ctx.nav.go("failed", visit_id=self.visit_id),
                                primary=False,
                                key="mismatch-failed",
                            ),
                        ]
                    ),
                )
            )
        return items

    async def _scan(self, e: ft.Event) -> None:
        async def keep(raw: bytes) -> None:
            code = await self.svc.read_receipt_qr(raw, self.detail)
            self.draft.data.setdefault("receipt_input", {})["receipt_code"] = code
            self.draft.data["receipt_input"]["source"] = "qr"
            self.svc.save(self.draft)

        await self._take_photo(keep)

    def _done_receipt_code(self) -> None:
        self._save_fields()
        code = self.draft.data.get("receipt_input", {}).get("receipt_code", "")
        try:
            value = self.svc.check_receipt_code(self.detail, code)
        except FlowError:
            self.stopped = True
            self.render()  # the stop box with the way out; the message is set after
            raise
        self.stopped = False
        self.draft.data["receipt_code"] = {"value": value}

    # -- 3 fee still owed ---------------------------------------------------------------
    def _fee_amount(self) -> int:
        return self.svc.owed(self.detail)

    def _fee_free(self) -> list[ft.Control]:
        return [ft.Text(self.ctx.t("fee_none_owed"), size=18, weight=ft.FontWeight.BOLD, color=OK)]

    def _fee_lead(self) -> list[ft.Control]:
        amount = self._fee_amount()
        return (
            [ft.Text(self.ctx.t("fee_owed_hint", amount=format_vnd(amount)), color=MUTED)] if amount else []
        )

    # -- 4 handover and letter ----------------------------------------------------------
    def _handover(self) -> list[ft.Control]:
        t = self.ctx.t
        assert self.detail is not None  # build() draws no step without the visit
        proc = self.detail.procedure
        items: list[ft.Control] = [
            ft.Text(
                t("hand_result", doc=proc.result_document if proc else self.detail.row.procedure_name),
                size=16,
                weight=ft.FontWeight.BOLD,
            )
        ]
        kind = self.svc.letter_kind(self.detail)
        if kind:
            name = self.svc.letter_name(kind)
            letter = self.svc.letter(self.detail, self.ctx.services.officer_name())
            box: list[ft.Control] = [
                ft.Text(t("letter_reminder", letter=name), color=WARN, weight=ft.FontWeight.BOLD)
            ]
            if letter:
                label = t("letter_pdf", letter=name)
                box.append(document_link(t, label, letter.url, letter.path, "letter-pdf"))
            box.append(
                ft.Checkbox(
                    label=t("letter_handed", letter=name),
                    value=bool(self.draft.data.get("letter_handed")),
                    key="letter-handed",
                    on_change=self._letter_changed,
                )
            )
            items.append(
                ft.Container(
                    border=ft.Border.all(2, WARN),
                    border_radius=8,
                    padding=10,
                    content=ft.Column(box),
                )
            )
        items.append(
            photo_box(
                t,
                f"{t('handover_photo')} ({t('optional')})",
                self.draft.data.get("handover_photo"),
                self._take_handover,
                "handover-photo",
            )
        )
        return items

    def _letter_changed(self, e: ft.Event) -> None:
        self.draft.data["letter_handed"] = bool(e.control.value)
        self.svc.save(self.draft)

    async def _take_handover(self, e: ft.Event) -> None:
        await self._take_photo(lambda raw: self.svc.add_handover_photo(self.draft, raw))

    def _done_handover(self) -> None:
        kind = self.svc.letter_kind(self.detail)
        if kind and not self.draft.data.get("letter_handed") and not self.draft.data.get("letter_warned"):
            # one reminder; a second 'Tiếp tục' records that the letter was not handed over
            self.draft.data["letter_warned"] = True
            self.svc.save(self.draft)
            raise FlowError(
                {"letter": self.ctx.t("err_letter_not_handed", letter=self.svc.letter_name(kind))}
            )

    # -- 5 signature: the summary the recipient signs under -------------------------------
    def _signature_summary(self) -> list[tuple[str, str]]:
        t = self.ctx.t
        assert self.detail is not None  # the flow never draws a step without its visit
        proc = self.detail.procedure
        rec = self.draft.data.get("recipient", {})
        who = rec.get("full_name", "")
        if rec.get("kind") == "authorised" and rec.get("relationship"):
            who += f" ({rec['relationship']})"
        pay = self.draft.data.get("payment")
        fee = f"{format_vnd(pay['amount_vnd'])} · {t('pay_' + pay['method'])}" if pay else t("fee_none_owed")
        return [
            (t("sum_dossier"), self.detail.row.dossier_code),
            (t("sum_result"), proc.result_document if proc else self.detail.row.procedure_name),
            (t("sum_recipient"), who),
            (t("sum_fee"), fee),
        ]

    # -- 6 complete -----------------------------------------------------------------------
    async def _record(self) -> None:
        await asyncio.to_thread(self.svc.complete, self.draft, self.detail, self.ctx.services.officer_name())

    # -- 7 done -----------------------------------------------------------------------------
    def _done(self) -> list[ft.Control]:
        t = self.ctx.t
        assert self.detail is not None  # build() draws no step without the visit
        items: list[ft.Control] = [
            ft.Text(
                t("delivered", code=self.detail.row.dossier_code),
                size=18,
                weight=ft.FontWeight.BOLD,
                color=OK,
                key="delivered",
            )
        ]
        slip = self.svc.slip(self.visit_id)
        if slip:
            items.append(document_link(t, t("delivery_slip_pdf"), slip.url, slip.path, "slip-pdf"))
        url = self.svc.letter_url(self.visit_id)
        if url:
            letter = self.svc.letter_name(self.svc.letter_kind(self.detail) or "")
            items.append(link_button(t("letter_pdf", letter=letter), url, "letter-pdf"))
        items.append(
            big_button(
                t("back_to_route"), lambda e: self.ctx.nav.go("route"), primary=False, key="back-to-route"
            )
        )
        return items
