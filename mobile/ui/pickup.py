"""The pickup flow, one step per screen, its draft saved at every step (resumes after a crash)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date

import flet as ft

from api_client.models import FeeKind, Procedure
from mobile.i18n import format_vnd
from mobile.receipt import qr_png
from mobile.services.pickup import RECEIPT_STEP, STEPS, FlowError
from mobile.ui.context import ViewContext
from mobile.ui.dates import date_picker, parse_shown, show_date
from mobile.ui.steps import FeeStep, GpsStep, SignatureStep, StepFlow, photo_box
from mobile.ui.theme import MUTED, OK, WARN, big_button, document_label, document_link, icon_button

STEP_TITLES = (
    "step_identify",
    "step_checklist",
    "step_photos",
    "step_form",
    "step_fee",
    "step_signature",
    "step_gps",
    "step_receipt",
)


class PickupView(StepFlow, FeeStep, SignatureStep, GpsStep):
    """Steps 1-8 of a home pickup; every 'Tiếp tục' validates, saves the draft and moves on."""

    steps = STEPS
    step_titles = STEP_TITLES
    # which draft bucket the text fields of a step are kept in before 'Tiếp tục'
    buckets = {"identify": "identity", "form": "form", "fee": "fee_input", "gps": "gps"}

    def __init__(self, ctx: ViewContext, visit_id: int) -> None:
        super().__init__(ctx, visit_id, ctx.services.pickup)
        self.receipt = self.svc.receipt(visit_id)
        if self.receipt is not None and self._closed():
            self.draft.step = RECEIPT_STEP

    @property
    def proc(self) -> Procedure | None:
        """The procedure of the visit, in the catalogue version it started under."""
        return self.detail.procedure if self.detail else None

    def _renderers(self) -> list[Callable[[], list[ft.Control]]]:
        return [
            self._identify,
            self._checklist,
            self._photos,
            self._form,
            self._fee,
            self._signature,
            self._gps,
            self._receipt,
        ]

    def _validators(self) -> list[Callable[[], None]]:
        return [
            self._done_identify,
            self._done_checklist,
            self._done_photos,
            self._done_form,
            self._done_fee,
            self._done_signature,
        ]

    # -- 1 identify ---------------------------------------------------------------------
    def _identify(self) -> list[ft.Control]:
        t = self.ctx.t
        ident = self.draft.data.get("identity", {})
        self._confirm = ft.Checkbox(
            label=t("confirm_identity"), value=bool(ident.get("confirmed")), key="confirm-id"
        )
        return [
            self._field("full_name", t("full_name"), ident.get("full_name", "")),
            self._field(
                "id_number",
                t("id_number"),
                ident.get("id_number", ""),
                keyboard_type=ft.KeyboardType.NUMBER,
                max_length=12,
            ),
            self._field("phone", t("phone"), ident.get("phone", ""), keyboard_type=ft.KeyboardType.PHONE),
            self._confirm,
        ]

    def _done_identify(self) -> None:
        assert self.detail is not None  # build() draws no step without the visit
        f = self.fields
        out = self.svc.check_identity(
            f["full_name"].value or "",
            f["id_number"].value or "",
            f["phone"].value or "",
            bool(self._confirm.value),
            self.detail.birth_date,
        )
        self.draft.data["identity"] = {**out, "confirmed": True}

    # -- 2 checklist ----------------------------------------------------------------------
    def _checklist(self) -> list[ft.Control]:
        t = self.ctx.t
        checklist = self.draft.data.setdefault("checklist", {})
        en = self.ctx.tr.lang == "en"
        items: list[ft.Control] = []
        for doc in self.proc.documents if self.proc else []:
            items.append(
                ft.Checkbox(
                    label=document_label(doc, t, en),
                    value=bool(checklist.get(doc.code)),
                    key=f"doc-{doc.code}",
                    data=doc.code,
                    on_change=self._tick,
                )
            )
        missing = self.svc.missing_required(self.proc, checklist)
        if missing:
            items.append(self._supplement_box(missing))
        return items

    def _tick(self, e: ft.Event) -> None:
        self.draft.data.setdefault("checklist", {})[e.control.data] = bool(e.control.value)
        self.svc.save(self.draft)
        self.render()

    def _supplement_box(self, missing) -> ft.Control:
        """Documents missing: the supplement request (its own screen, with proof of presence)."""
        t = self.ctx.t
        names = ", ".join(d.name for d in missing)
        return ft.Container(
            border=ft.Border.all(2, WARN),
            border_radius=8,
            padding=10,
            content=ft.Column(
                [
                    ft.Text(t("missing_required", docs=names), color=WARN, weight=ft.FontWeight.BOLD),
                    big_button(
                        t("supplement_open"),
                        lambda e: self.ctx.nav.go("supplement", visit_id=self.visit_id),
                        key="send-supplement",
                    ),
                ]
            ),
        )

    def _done_checklist(self) -> None:
        missing = self.svc.missing_required(self.proc, self.draft.data.get("checklist", {}))
        if missing:
            raise FlowError(
                {"checklist": self.ctx.t("missing_required", docs=", ".join(d.name for d in missing))}
            )

    # -- 3 photos ---------------------------------------------------------------------------
    def _photos(self) -> list[ft.Control]:
        t = self.ctx.t
        photos = self.draft.data.get("photos", {})
        rows: list[ft.Control] = []
        for doc in self.svc.collected(self.proc, self.draft.data.get("checklist", {})):
            rows.append(
                photo_box(t, doc.name, photos.get(doc.code), self._take, f"photo-{doc.code}", doc.code)
            )
        return rows

    async def _take(self, e: ft.Event) -> None:
        code = e.control.data
        await self._take_photo(lambda raw: self.svc.add_photo(self.draft, code, raw))

    def _done_photos(self) -> None:
        missing = self.svc.missing_photos(self.proc, self.draft)
        if missing:
            raise FlowError({"photos": self.ctx.t("err_photos", docs=", ".join(d.name for d in missing))})

    # -- 4 form -------------------------------------------------------------------------------
    def _form(self) -> list[ft.Control]:
        t = self.ctx.t
        values = self.draft.data.setdefault("form", {})
        en = self.ctx.tr.lang == "en"
        items: list[ft.Control] = []
        for f in self.proc.form_fields if self.proc else []:
            label = ((f.label_en or f.label) if en else f.label) + (
                "" if f.required else f" ({t('optional')})"
            )
            if f.kind == "choice" and f.choices:
                current = values.get(f.key, "")
                items.append(ft.Text(label, weight=ft.FontWeight.BOLD))
                items.append(
                    ft.Row(
                        wrap=True,
                        controls=[
                            big_button(
                                c,
                                self._choose,
                                primary=c == current,
                                key=f"choice-{f.key}-{c}",
                                data=(f.key, c),
                            )
                            for c in f.choices
                        ],
                    )
                )
                continue
            kb = {
                "date": ft.KeyboardType.DATETIME,
                "citizen_id": ft.KeyboardType.NUMBER,
                "phone": ft.KeyboardType.PHONE,
                "number": ft.KeyboardType.NUMBER,
            }.get(f.kind, ft.KeyboardType.TEXT)
            hint = "dd/mm/yyyy" if f.kind == "date" else None
            field = self._field(
                f.key, label, values.get(f.key, ""), keyboard_type=kb, hint_text=hint, expand=True
            )
            if f.kind == "date":
                # typed as officers write it, or chosen on the calendar
                items.append(ft.Row([field, self._calendar(f.key, label, field)], spacing=4))
            else:
                items.append(field)
        items.append(
            self._field("_sets", t("sets"), values.get("_sets", "1"), keyboard_type=ft.KeyboardType.NUMBER)
        )
        return items

    def _calendar(self, key: str, label: str, field: ft.TextField) -> ft.Control:
        today = self.svc.today()

        def picked(iso: str) -> None:
            field.value = show_date(iso)
            self._save_fields()
            self.ctx.page.update()

        picker = date_picker(
            self.ctx, label, parse_shown(field.value), picked, f"date-{key}", date(1900, 1, 1), today
        )
        return icon_button(
            ft.Icons.CALENDAR_MONTH,
            self.ctx.t("pick_date"),
            lambda e: self.ctx.page.show_dialog(picker),
            key=f"calendar-{key}",
        )

    def _choose(self, e: ft.Event) -> None:
        key, value = e.control.data
        self._save_fields()
        self.draft.data.setdefault("form", {})[key] = value
        self.svc.save(self.draft)
        self.render()

    def _done_form(self) -> None:
        values = dict(self.draft.data.get("form", {}))
        values.update({k: f.value or "" for k, f in self.fields.items()})
        self.draft.data["form"] = values
        self.draft.data["form"] = self.svc.check_form(self.proc, values)

    # -- 5 fee --------------------------------------------------------------------------------
    def _pages(self) -> int:
        try:
            return max(
                1, int(self.draft.data.get("fee_input", {}).get("pages") or self.draft.data.get("pages") or 1)
            )
        except ValueError:
            return 1

    def _fee_amount(self) -> int:
        return self.svc.fee_amount(self.proc, self._pages())

    def _fee_lead(self) -> list[ft.Control]:
        if self.proc and self.proc.fee.kind == FeeKind.PER_PAGE:
            pages = self._field(
                "pages", self.ctx.t("pages"), str(self._pages()), keyboard_type=ft.KeyboardType.NUMBER
            )
            pages.on_change = self._pages_changed
            return [pages]
        return []

    def _fee_free(self) -> list[ft.Control]:
        items = FeeStep._fee_free(self)
        if self.proc and self.proc.fee.note:
            items.append(ft.Text(self.proc.fee.note, color=MUTED))
        return items

    def _pages_changed(self, e: ft.Event) -> None:
        self._save_fields()
        self.render()

    def _done_fee(self) -> None:
        FeeStep._done_fee(self)
        self.draft.data["pages"] = self._pages()

    # -- 6 signature, 7 GPS: shared steps (mobile.ui.steps) -------------------------------
    def _signature_summary(self) -> list[tuple[str, str]]:
        t = self.ctx.t
        en = self.ctx.tr.lang == "en"
        s = self.svc.summary(self.draft, self.detail)
        docs = ", ".join(((d.name_en or d.name) if en else d.name) for d in s["documents"])
        pay = s["payment"]
        fee = (
            f"{format_vnd(pay['amount_vnd'])} · {t('pay_' + pay['method'])}"
            if pay
            else t("fee_free")
        )
        return [
            (t("sum_procedure"), s["procedure_en"] if en else s["procedure"]),
            (t("sum_documents"), docs or t("sum_none")),
            (t("sum_fee"), fee),
            (t("sum_appointment"), s["appointment"].strftime("%H:%M %d/%m/%Y")),
        ]

    async def _record(self) -> None:
        officer = self.ctx.services.officer_name()
        # the event is written (fsynced) before the receipt is rendered, both off the event loop
        self.receipt = await asyncio.to_thread(self.svc.complete, self.draft, self.detail, officer)

    # -- 8 receipt -----------------------------------------------------------------------------------
    def _receipt(self) -> list[ft.Control]:
        t = self.ctx.t
        r = self.receipt or self.svc.receipt(self.visit_id)
        if r is None:
            return [ft.Text(t("visit_closed"))]
        items: list[ft.Control] = [
            ft.Text(
                t("completed", code=r.dossier_code),
                size=18,
                weight=ft.FontWeight.BOLD,
                color=OK,
                key="receipt-code",
            ),
            ft.Text(t("receipt_title"), weight=ft.FontWeight.BOLD),
            ft.Text(f"{t('appointment')}: {r.appointment}"),
        ]
        if r.lookup:  # the citizen's QR to the public lookup page (with this dossier's token)
            items += [
                ft.Image(src=qr_png(r.lookup, box_size=5), width=200, height=200, key="receipt-qr"),
                ft.Text(r.lookup, size=11, color=MUTED, selectable=True, key="receipt-lookup"),
            ]
        items.append(document_link(t, t("download_pdf"), r.url, r.path, "download-pdf"))
        items.append(
            big_button(
                t("back_to_route"), lambda e: self.ctx.nav.go("route"), primary=False, key="back-to-route"
            )
        )
        return items
