"""The pickup flow, one step per screen, its draft saved at every step (resumes after a crash)."""

from __future__ import annotations

import flet as ft

from api_client.models import FeeKind
from mobile.i18n import format_vnd
from mobile.receipt import qr_png
from mobile.services.location import LocationError
from mobile.services.pickup import RECEIPT_STEP, STEPS, FlowError, next_working_day
from mobile.ui.context import ViewContext
from mobile.ui.signature_pad import SignaturePad
from mobile.ui.theme import DANGER, MUTED, OK, PRIMARY, TOUCH, WARN, big_button, document_label, error_text

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
GPS_REASONS = (
    "indoors",
    "device_gps_weak",
    "citizen_moved",
    "met_elsewhere",
    "registered_location_wrong",
    "no_gps_permission",
    "other",
)
PAD_W, PAD_H = 340, 180


class PickupView:
    """Steps 1-8 of a home pickup; every 'Tiếp tục' validates, saves the draft and moves on."""

    def __init__(self, ctx: ViewContext, visit_id: int) -> None:
        self.ctx = ctx
        self.svc = ctx.services.pickup
        self.detail = ctx.services.route.detail(visit_id)
        self.visit_id = visit_id
        self.draft = self.svc.load(visit_id, self.detail)
        self.receipt = self.svc.receipt(visit_id)
        if self.receipt is not None and self.detail is not None and not self.detail.row.is_open:
            self.draft.step = RECEIPT_STEP
        self.content = ft.Column(spacing=10)
        self.error = error_text()
        self.header = ft.Text("", size=18, weight=ft.FontWeight.BOLD, color=PRIMARY)
        self.nav_row = ft.Row(wrap=True)
        self.fields: dict[str, ft.TextField] = {}
        self.pad: SignaturePad | None = None
        self.gps_busy = False

    @property
    def proc(self):
        """The procedure of the visit, in the catalogue version it started under."""
        return self.detail.procedure if self.detail else None

    def build(self) -> ft.Control:
        """The flow's frame; each step gets a fresh scrolling column (a new step starts at the top)."""
        if self.detail is None:
            return ft.Text(self.ctx.t("no_visits"))
        self.frame = ft.Container(expand=True)
        self.render()
        return ft.Container(
            padding=12,
            expand=True,
            content=ft.Column(
                [
                    ft.Row(
                        [
                            ft.IconButton(
                                ft.Icons.ARROW_BACK,
                                tooltip=self.ctx.t("back"),
                                width=TOUCH,
                                height=TOUCH,
                                on_click=lambda e: self.ctx.nav.go("detail", visit_id=self.visit_id),
                            ),
                            ft.Text(
                                f"{self.detail.row.citizen_name} · {self.detail.row.dossier_code}",
                                size=14,
                                color=MUTED,
                                expand=True,
                            ),
                        ]
                    ),
                    self.frame,
                ],
                expand=True,
                spacing=4,
            ),
        )

    # -- frame ------------------------------------------------------------------------
    def render(self) -> None:
        """Draw the current step."""
        t = self.ctx.t
        step = self.draft.step
        # fresh controls per step: a brand-new scroll view starts at the top of the step
        self.content = ft.Column(spacing=10)
        self.error = error_text()
        self.header = ft.Text("", size=18, weight=ft.FontWeight.BOLD, color=PRIMARY)
        self.nav_row = ft.Row(wrap=True)
        self.header.value = f"{t('step_of', i=step + 1, n=len(STEP_TITLES))}: {t(STEP_TITLES[step])}"
        self.fields = {}
        renderer = [
            self._identify,
            self._checklist,
            self._photos,
            self._form,
            self._fee,
            self._signature,
            self._gps,
            self._receipt,
        ][step]
        self.content.controls = renderer()
        nav: list[ft.Control] = []
        if 0 < step < RECEIPT_STEP:
            nav.append(big_button(t("prev"), self._prev, primary=False, key="prev"))
        if step < len(STEPS) - 1:
            nav.append(big_button(t("next"), self._next, key="next"))
        elif step == len(STEPS) - 1:
            nav.append(big_button(t("complete"), self._complete, key="complete"))
        self.nav_row.controls = nav
        if hasattr(self, "frame"):
            # the step buttons stay pinned under the scrolling step: always in thumb reach
            self.frame.content = ft.Column(
                [
                    ft.ListView(expand=True, spacing=10, controls=[self.header, self.content, self.error]),
                    ft.Container(self.nav_row, padding=ft.Padding.only(top=6)),
                ],
                expand=True,
                spacing=0,
            )

    def _fail(self, errors: dict[str, str] | str) -> None:
        if isinstance(errors, str):
            msg = errors
        else:
            for key, msg_ in errors.items():
                if key in self.fields:
                    self.fields[key].error = msg_
            msg = "\n".join(errors.values())
        self.error.value, self.error.visible = msg, True

    def _field(self, key: str, label: str, value: str = "", **kw) -> ft.TextField:
        f = ft.TextField(label=label, value=value, key=f"field-{key}", on_blur=self._save_fields, **kw)
        self.fields[key] = f
        return f

    def _save_fields(self, e: ft.Event | None = None) -> None:
        """Keep typed text in the draft even before 'Tiếp tục' (a crash mid-form loses nothing)."""
        step = STEPS[self.draft.step] if self.draft.step < len(STEPS) else ""
        bucket = {"identify": "identity", "form": "form", "fee": "fee_input", "gps": "gps"}.get(step)
        if not bucket:
            return
        target = self.draft.data.setdefault(bucket, {})
        for k, f in self.fields.items():
            target[k if bucket != "gps" else "reason_note"] = f.value or ""
        self.svc.save(self.draft)

    def _go(self, step: int) -> None:
        self.draft.step = step
        if step < len(STEPS):
            self.svc.save(self.draft)
        self.render()

    def _prev(self, e: ft.Event) -> None:
        self._save_fields()
        self._go(max(0, self.draft.step - 1))

    def _next(self, e: ft.Event) -> None:
        handler = [
            self._done_identify,
            self._done_checklist,
            self._done_photos,
            self._done_form,
            self._done_fee,
            self._done_signature,
        ][self.draft.step]
        try:
            handler()
        except FlowError as exc:
            self._fail(exc.errors)
            return
        self._go(self.draft.step + 1)

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
        t = self.ctx.t
        names = ", ".join(d.name for d in missing)
        self._sup_note = ft.TextField(
            label=t("supplement_note"), value=f"Cần bổ sung: {names}", multiline=True, key="supplement-note"
        )
        self._sup_date = ft.TextField(
            label=t("proposed_date"), value=next_working_day(), key="supplement-date"
        )
        return ft.Container(
            border=ft.Border.all(2, WARN),
            border_radius=8,
            padding=10,
            content=ft.Column(
                [
                    ft.Text(t("missing_required", docs=names), color=WARN, weight=ft.FontWeight.BOLD),
                    self._sup_note,
                    self._sup_date,
                    big_button(t("send_supplement"), self._send_supplement, key="send-supplement"),
                ]
            ),
        )

    def _send_supplement(self, e: ft.Event) -> None:
        missing = self.svc.missing_required(self.proc, self.draft.data.get("checklist", {}))
        try:
            self.svc.request_supplement(
                self.detail, [d.code for d in missing], self._sup_note.value or "", self._sup_date.value or ""
            )
        except FlowError as exc:
            self._fail(exc.errors)
            return
        self.ctx.nav.toast(self.ctx.t("supplement_saved"))
        self.ctx.nav.go("route")

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
            p = photos.get(doc.code)
            status = ft.Text(
                t("photo_ok", kb=round(p["size"] / 1024)) if p else t("no_photo"),
                color=OK if p else DANGER,
                weight=ft.FontWeight.BOLD,
            )
            rows.append(
                ft.Container(
                    border=ft.Border.all(1, "#9E9E9E"),
                    border_radius=8,
                    padding=8,
                    content=ft.Column(
                        [
                            ft.Text(doc.name, weight=ft.FontWeight.BOLD),
                            status,
                            ft.OutlinedButton(
                                content=t("take_photo"),
                                icon=ft.Icons.PHOTO_CAMERA,
                                height=TOUCH,
                                data=doc.code,
                                on_click=self._take,
                                key=f"photo-{doc.code}",
                            ),
                        ]
                    ),
                )
            )
        return rows

    async def _take(self, e: ft.Event) -> None:
        code = e.control.data
        raw = await self.ctx.services.photos.pick()
        if not raw:
            return
        try:
            await self.svc.add_photo(self.draft, code, raw)
        except FlowError as exc:
            self._fail(exc.errors)
            self.ctx.page.update()
            return
        self.render()
        self.ctx.page.update()

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
                            (ft.FilledButton if c == current else ft.OutlinedButton)(
                                content=c,
                                height=TOUCH,
                                data=(f.key, c),
                                on_click=self._choose,
                                key=f"choice-{f.key}-{c}",
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
            hint = "DD/MM/YYYY" if f.kind == "date" else None
            items.append(self._field(f.key, label, values.get(f.key, ""), keyboard_type=kb, hint_text=hint))
        items.append(
            self._field("_sets", t("sets"), values.get("_sets", "1"), keyboard_type=ft.KeyboardType.NUMBER)
        )
        return items

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

    def _fee(self) -> list[ft.Control]:
        t = self.ctx.t
        amount = self.svc.fee_amount(self.proc, self._pages())
        fee_in = self.draft.data.setdefault("fee_input", {})
        items: list[ft.Control] = []
        if self.proc and self.proc.fee.kind == FeeKind.PER_PAGE:
            pages = self._field("pages", t("pages"), str(self._pages()), keyboard_type=ft.KeyboardType.NUMBER)
            pages.on_change = self._pages_changed
            items.append(pages)
        if amount <= 0:
            items.append(ft.Text(t("fee_free"), size=18, weight=ft.FontWeight.BOLD, color=OK))
            if self.proc and self.proc.fee.note:
                items.append(ft.Text(self.proc.fee.note, color=MUTED))
            return items
        items.append(ft.Text(t("fee_amount", amount=format_vnd(amount)), size=20, weight=ft.FontWeight.BOLD))
        method = fee_in.get("method")
        items.append(
            ft.Row(
                wrap=True,
                controls=[
                    (ft.FilledButton if method == m else ft.OutlinedButton)(
                        content=t(f"pay_{m}"), height=TOUCH, data=m, on_click=self._method, key=f"pay-{m}"
                    )
                    for m in ("cash", "transfer")
                ],
            )
        )
        items.append(self._field("receipt_no", t("receipt_no"), fee_in.get("receipt_no", "")))
        if method == "transfer":
            qr = self.svc.vietqr(amount, self.detail.row.dossier_code)
            if qr:
                payload, bank = qr
                items.append(ft.Text(t("vietqr_hint", bank=bank.bank_name, account=bank.account)))
                items.append(ft.Image(src=qr_png(payload, box_size=5), width=220, height=220))
                items.append(ft.Text(payload, size=10, color=MUTED, selectable=True))
        return items

    def _pages_changed(self, e: ft.Event) -> None:
        self._save_fields()
        self.render()

    def _method(self, e: ft.Event) -> None:
        self._save_fields()
        self.draft.data.setdefault("fee_input", {})["method"] = e.control.data
        self.svc.save(self.draft)
        self.render()

    def _done_fee(self) -> None:
        self._save_fields()
        fee_in = self.draft.data.get("fee_input", {})
        amount = self.svc.fee_amount(self.proc, self._pages())
        self.draft.data["pages"] = self._pages()
        self.draft.data["payment"] = self.svc.check_payment(
            amount, fee_in.get("method"), fee_in.get("receipt_no", "")
        )

    # -- 6 signature -----------------------------------------------------------------------------
    def _signature(self) -> list[ft.Control]:
        t = self.ctx.t
        sig = self.draft.data.get("signature", {})
        self.pad = SignaturePad(
            PAD_W, PAD_H, label=t("sign_here"), on_change=self._sig_changed, initial=sig.get("strokes")
        )
        self._officer_ok = ft.Checkbox(
            label=t("officer_confirms"),
            value=bool(sig.get("officer_confirmed")),
            key="officer-confirm",
            on_change=self._sig_changed,
        )
        self._sig_status = ft.Text(self._sig_label(), color=MUTED, key="signature-status")
        return [
            ft.Text(t("sign_here")),
            self.pad.control,
            self._sig_status,
            big_button(t("clear"), lambda e: self.pad.clear(), primary=False, key="clear-signature"),
            self._officer_ok,
        ]

    def _sig_label(self) -> str:
        n = len([s for s in self.pad.strokes if len(s) > 1]) if self.pad else 0
        return self.ctx.t("signed_strokes", n=n) if n else self.ctx.t("not_signed")

    def _sig_changed(self, _: object) -> None:
        # saved on every stroke: a rotation or a crash must not make the citizen sign again
        self.draft.data["signature"] = {
            "width": PAD_W,
            "height": PAD_H,
            "strokes": self.pad.encoded() if self.pad else "",
            "officer_confirmed": bool(self._officer_ok.value),
        }
        self.svc.save(self.draft)
        self._sig_status.value = self._sig_label()

    def _done_signature(self) -> None:
        self._sig_changed(None)
        sig = self.draft.data["signature"]
        self.svc.check_signature(sig["strokes"], sig["officer_confirmed"])

    # -- 7 GPS -------------------------------------------------------------------------------------
    def _gps(self) -> list[ft.Control]:
        t = self.ctx.t
        gps = self.draft.data.setdefault("gps", {})
        items: list[ft.Control] = []
        if self.gps_busy:
            items.append(ft.Row([ft.ProgressRing(width=24, height=24), ft.Text(t("gps_getting"))]))
        elif gps.get("fix"):
            fix = gps["fix"]
            dist = gps.get("distance_m")
            items.append(
                ft.Text(
                    t(
                        "gps_fix",
                        lat=f"{fix['lat']:.5f}",
                        lon=f"{fix['lon']:.5f}",
                        acc=f"{fix['accuracy_m']:.0f}",
                        dist=f"{dist:.0f} m" if dist is not None else "?",
                    ),
                    size=15,
                    key="gps-status",
                )
            )
        elif "error" in gps:
            items.append(ft.Text(t("gps_none", why=gps["error"]), color=DANGER, key="gps-status"))
        warnings = gps.get("warnings") or []
        if gps.get("fix") and not warnings and not self.gps_busy:
            items.append(ft.Text(t("gps_good"), color=OK, weight=ft.FontWeight.BOLD))
        for w in warnings:
            items.append(ft.Text("⚠ " + t(f"warn_{w}"), color=WARN, weight=ft.FontWeight.BOLD))
        if warnings:
            items.append(ft.Text(t("gps_reason"), weight=ft.FontWeight.BOLD))
            reason = gps.get("reason")
            items.append(
                ft.Row(
                    wrap=True,
                    controls=[
                        (ft.FilledButton if reason == r else ft.OutlinedButton)(
                            content=t(f"reason_{r}"),
                            height=TOUCH,
                            data=r,
                            on_click=self._reason,
                            key=f"reason-{r}",
                        )
                        for r in GPS_REASONS
                    ],
                )
            )
            items.append(self._field("reason_note", t("reason_note"), gps.get("reason_note", "")))
        items.append(
            big_button(
                t("gps_retry"), self._retry_gps, primary=False, key="gps-retry", disabled=self.gps_busy
            )
        )
        if not gps.get("fix") and "error" not in gps and not self.gps_busy:
            self.ctx.run(self._acquire)  # the fix is taken automatically when the step opens
        return items

    async def _retry_gps(self, e: ft.Event) -> None:
        await self._acquire()

    async def _acquire(self) -> None:
        if self.gps_busy:
            return
        self.gps_busy = True
        self.render()
        self._safe_update()
        gps = self.draft.data.setdefault("gps", {})
        try:
            fix = await self.ctx.services.location.current_fix(15.0)
            gps["fix"] = {
                "lat": fix.lat,
                "lon": fix.lon,
                "accuracy_m": fix.accuracy_m,
                "device_time": fix.device_time.isoformat(),
            }
            gps.pop("error", None)
        except LocationError as exc:
            gps["fix"] = None
            gps["error"] = str(exc)
        dist, warnings = self.svc.evaluate_fix(self.detail, gps.get("fix"))
        gps["distance_m"], gps["warnings"] = dist, warnings
        if not warnings:
            gps["reason"] = None
        self.gps_busy = False
        self.svc.save(self.draft)
        if self.draft.step == STEPS.index("gps"):
            self.render()
            self._safe_update()

    def _safe_update(self) -> None:
        try:
            self.ctx.page.update()
        except Exception:  # noqa: BLE001 - the officer navigated away meanwhile
            pass

    def _reason(self, e: ft.Event) -> None:
        self._save_fields()
        self.draft.data.setdefault("gps", {})["reason"] = e.control.data
        self.svc.save(self.draft)
        self.render()

    def _complete(self, e: ft.Event) -> None:
        if self.gps_busy:
            return
        self._save_fields()
        gps = self.draft.data.get("gps", {})
        if (gps.get("warnings") or not gps.get("fix")) and not gps.get("reason"):
            self._fail(self.ctx.t("err_gps_reason"))
            return
        if gps.get("reason") == "other" and not (gps.get("reason_note") or "").strip():
            self._fail(self.ctx.t("err_note"))
            return
        try:
            self.receipt = self.svc.complete(self.draft, self.detail, self.ctx.services.officer_name())
        except FlowError as exc:
            self._fail(exc.errors)
            return
        self.draft.step = RECEIPT_STEP
        self.render()
        # recording notified the sync bar, which updated itself: Flet then skips its
        # automatic update for this handler, so send the new step explicitly
        self.ctx.page.update()

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
            ft.Image(src=qr_png(r.lookup, box_size=5), width=200, height=200),
            ft.Text(r.lookup, size=11, color=MUTED, selectable=True),
        ]
        if r.url:
            items.append(
                ft.FilledButton(
                    content=t("download_pdf"),
                    icon=ft.Icons.DOWNLOAD,
                    height=TOUCH,
                    url=r.url,
                    key="download-pdf",
                )
            )
        else:
            items.append(ft.Text(t("pdf_saved", path=str(r.path)), size=12, selectable=True))
        items.append(
            big_button(
                t("back_to_route"), lambda e: self.ctx.nav.go("route"), primary=False, key="back-to-route"
            )
        )
        return items
