"""'Hồ sơ' (the one-stop desk): search and filter the supervisor's dossiers a page at a time; open one
to move it along the life cycle (legal moves only, confirmed), see the delivery the server planned,
apologise with a new appointment (phiếu xin lỗi và hẹn lại) and read its tracking log."""

from __future__ import annotations

from datetime import date
from typing import Any

import flet as ft

from api_client.domain.lifecycle import DossierStatus
from api_client.models import DossierPublic, VisitPublic
from mobile.services.desk import (
    DESK_PAGE,
    TERMINAL,
    DeskPage,
    apology_errors,
    is_overdue,
    legal_moves,
)
from mobile.services.supervision import SupervisionError, SupervisionOffline
from mobile.ui.conflicts import TYPE_KEYS
from mobile.ui.context import ViewContext
from mobile.ui.route import fmt_date, fmt_time
from mobile.ui.supervisor.common import WIDE, confirm_dialog, failure_text, pager_controls, safe_update
from mobile.ui.supervisor.indicators import parse_day
from mobile.ui.theme import DANGER, MUTED, OK, PRIMARY, TOUCH, big_button, document_link, title
from mobile.ui.tracking import TrackingLogView

Failure = (SupervisionOffline, SupervisionError)
EVENT_LABELS = {**TYPE_KEYS, "visit.en_route": "status_en_route"}  # i18n key of each event type


class DossiersView:
    """The desk's list (search, status filter, pager) and the selected dossier's panel."""

    def __init__(self, ctx: ViewContext, state: dict | None = None) -> None:
        self.ctx = ctx
        self.svc = ctx.services.desk
        # the shell keeps this dict: filters, page and the open dossier survive a language switch
        self.state: dict[str, Any] = (
            state if state is not None else {"q": "", "status": "", "page": 1, "open": None}
        )
        t = ctx.t
        self.q = ft.TextField(
            label=t("desk_search"),
            hint_text=t("desk_search_hint"),
            value=self.state["q"],
            prefix_icon=ft.Icons.SEARCH,
            on_submit=self._search,
            width=320,
            height=56,
            key="desk-q",
        )
        self.status = ft.Dropdown(
            label=t("desk_status_filter"),
            value=self.state["status"],
            options=[ft.DropdownOption(key="", text=t("desk_all_statuses"))]
            + [
                ft.DropdownOption(key=str(s.value), text=f"{s.value}. {t(f'dstatus_{s.value}')}")
                for s in DossierStatus
            ],
            on_select=self._status_changed,
            width=260,
            key="desk-status",
        )
        self.list = ft.Column(spacing=6)
        self.pager = ft.Row(wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER)
        self.message = ft.Text("", visible=False, weight=ft.FontWeight.BOLD, key="desk-message")
        self.detail = ft.Column(spacing=8, key="desk-detail")
        self.move_msg = ft.Text("", visible=False, weight=ft.FontWeight.BOLD, key="desk-move-msg")
        self.visits = ft.Column(spacing=4)
        self.downloads = ft.Column(spacing=4)
        self.tracking_slot = ft.Column(spacing=8)
        self.result = DeskPage()
        self.current: DossierPublic | None = None
        self.officers: dict[int, str] = {}
        self.procedures: dict[str, str] = {}

    def build(self) -> ft.Control:
        """Filters and the list (loaded in the background); the panel beside it on a wide window."""
        t = self.ctx.t
        self.list.controls = [ft.Text(t("loading"), color=MUTED)]
        self.ctx.run(self._load_page)
        if self.state["open"] is not None:
            self.ctx.run(self._open, self.state["open"])
        filters = ft.Row(
            [
                self.q,
                self.status,
                big_button(t("desk_search_btn"), self._search, key="desk-search", icon=ft.Icons.SEARCH),
            ],
            wrap=True,
            spacing=8,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
        listing = ft.ListView(
            [title(t("nav_dossiers")), filters, self.message, self.list, self.pager], spacing=8, expand=True
        )
        panel = ft.ListView([self.detail], spacing=8, expand=True)
        wide = (self.ctx.page.width or 0) >= WIDE
        if wide:
            body: ft.Control = ft.Row(
                [ft.Container(listing, expand=5), ft.VerticalDivider(width=1), ft.Container(panel, expand=4)],
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.STRETCH,
            )
        else:
            # a phone has no room for both: the open dossier replaces the list until 'Quay lại'
            self._narrow = (listing, panel)
            body = ft.Container(panel if self.state["open"] is not None else listing, expand=True)
            self._narrow_slot = body
        return ft.Container(
            expand=True, padding=ft.Padding.symmetric(horizontal=12, vertical=8), content=body
        )

    # -- list -----------------------------------------------------------------------------
    async def _load_page(self) -> None:
        t = self.ctx.t
        status = int(self.state["status"]) if self.state["status"] else None
        try:
            self.result = await self.svc.search(self.state["q"], status, self.state["page"], DESK_PAGE)
        except Failure as exc:
            self.list.controls = [
                ft.Text(failure_text(t, exc), color=DANGER, weight=ft.FontWeight.BOLD, key="desk-error")
            ]
            safe_update(self.ctx.page)
            return
        today = self.ctx.services.today()
        self.list.controls = [
            self._row(r.dossier, r.citizen_name, r.procedure_name, today) for r in self.result.rows
        ] or [ft.Text(t("desk_empty"), color=MUTED, key="desk-empty")]
        self._render_pager()
        safe_update(self.ctx.page)

    def _row(self, d: DossierPublic, citizen: str, procedure: str, today: date) -> ft.Control:
        late = is_overdue(d, today)
        due = fmt_time(d.appointment_at)[:10] if d.appointment_at else "—"  # the Vietnam day, not UTC's
        # a semantics node: browser tests and screen readers find (and press) the row by its id
        return ft.Semantics(
            identifier=f"deskrow-{d.id}",
            label=f"{d.code} · {citizen}",
            button=True,
            content=self._row_box(d, citizen, procedure, late, due),
        )

    def _row_box(self, d: DossierPublic, citizen: str, procedure: str, late: bool, due: str) -> ft.Control:
        t = self.ctx.t
        return ft.Container(
            key=f"deskrow-{d.id}",
            data=d.id,
            on_click=self._row_clicked,
            border=ft.Border.all(
                2 if self.state["open"] == d.id else 1, PRIMARY if self.state["open"] == d.id else "#9E9E9E"
            ),
            border_radius=8,
            padding=ft.Padding.symmetric(horizontal=10, vertical=6),
            content=ft.Column(
                [
                    ft.Text(f"{d.code} · {citizen}", weight=ft.FontWeight.BOLD),
                    ft.Text(f"{procedure} · {t(f'dstatus_{int(d.status)}')}", size=13, color=MUTED),
                    ft.Text(
                        f"{t('sup_appointment')}: {due}" + (f" · {t('desk_overdue')}" if late else ""),
                        size=13,
                        color=DANGER if late else None,
                        weight=ft.FontWeight.BOLD if late else None,
                        key=f"deskdue-{d.id}",
                    ),
                ],
                spacing=2,
            ),
        )

    def _render_pager(self) -> None:
        self.pager.controls = pager_controls(self.ctx.t, self.state["page"], self.result.total, DESK_PAGE,
                                             self._step, "desk")

    async def _search(self, e: ft.Event) -> None:
        self.state["q"], self.state["page"] = (self.q.value or "").strip(), 1
        await self._load_page()

    async def _status_changed(self, e: ft.Event) -> None:
        # the filters apply together: what is in the search box counts, even before 'Tìm'
        self.state["q"] = (self.q.value or "").strip()
        self.state["status"], self.state["page"] = self.status.value or "", 1
        await self._load_page()

    def _step(self, step: int):
        async def handler(e: ft.Event) -> None:
            self.state["page"] = max(1, self.state["page"] + step)
            await self._load_page()

        return handler

    # -- the open dossier -----------------------------------------------------------------
    async def _row_clicked(self, e: ft.Event) -> None:
        await self._open(int(e.control.data))

    async def _open(self, dossier_id: int) -> None:
        """Fetch the dossier fresh (the list may be minutes old) and show its panel."""
        t = self.ctx.t
        self.state["open"] = dossier_id
        self.move_msg.visible = False
        self.downloads.controls = []
        self.detail.controls = [ft.Text(t("loading"), color=MUTED)]
        self._show_panel(True)
        try:
            self.current = await self.svc.dossier(dossier_id)
            self.officers = await self.svc.officer_names()
            self.procedures = await self.svc.procedure_names()
            visits = await self.svc.open_visits(dossier_id)
        except Failure as exc:
            self.detail.controls = [
                ft.Text(
                    failure_text(t, exc), color=DANGER, weight=ft.FontWeight.BOLD, key="desk-detail-error"
                )
            ]
            safe_update(self.ctx.page)
            return
        self._render_detail(visits)
        self._refresh_list_marks()
        safe_update(self.ctx.page)

    def _show_panel(self, show: bool) -> None:
        slot = getattr(self, "_narrow_slot", None)
        if slot is not None:
            slot.content = self._narrow[1] if show else self._narrow[0]

    def _close(self, e: ft.Event) -> None:
        self.state["open"], self.current = None, None
        self.detail.controls = []
        self._show_panel(False)
        self._refresh_list_marks()
        safe_update(self.ctx.page)

    def _refresh_list_marks(self) -> None:
        today = self.ctx.services.today()
        if self.result.rows:
            self.list.controls = [
                self._row(r.dossier, r.citizen_name, r.procedure_name, today) for r in self.result.rows
            ]

    def _render_detail(self, visits: list[VisitPublic]) -> None:
        t = self.ctx.t
        d = self.current
        if d is None:
            return
        status = int(d.status)
        today = self.ctx.services.today()
        late = is_overdue(d, today)
        citizen = self.svc.citizen_name(d.citizen_id)
        head: list[ft.Control] = [
            big_button(t("back"), self._close, primary=False, key="desk-close", icon=ft.Icons.ARROW_BACK),
            ft.Text(
                f"{d.code}",
                size=18,
                weight=ft.FontWeight.BOLD,
                color=PRIMARY,
                key="desk-code",
            ),
            ft.Text(f"{t('citizen')}: {citizen}", visible=bool(citizen)),
            ft.Text(self.procedures.get(d.procedure_code, d.procedure_code), color=MUTED),
            ft.Text(
                f"{t('sup_status').capitalize()}: {status}. {t(f'dstatus_{status}')}",
                weight=ft.FontWeight.BOLD,
                key="desk-status-label",
            ),
            ft.Text(t(f"desk_return_{d.return_method.value}"), size=13, color=MUTED),
        ]
        if d.appointment_at:
            head.append(
                ft.Text(
                    f"{t('sup_appointment')}: {fmt_time(d.appointment_at)}"
                    + (f" · {t('desk_overdue')}" if late else ""),
                    color=DANGER if late else None,
                    weight=ft.FontWeight.BOLD if late else None,
                    key="desk-appointment",
                )
            )
        if d.original_appointment_at:
            head.append(
                ft.Text(t("desk_original", at=fmt_time(d.original_appointment_at)), size=13, color=MUTED)
            )
        head.extend(self._evidence_lines(d))
        moves = legal_moves(status)
        move_controls: list[ft.Control] = [ft.Text(t("desk_moves"), weight=ft.FontWeight.BOLD, color=PRIMARY)]
        if moves:
            move_controls.append(
                ft.Row(
                    [
                        ft.OutlinedButton(
                            content=t("desk_move_to", label=t(f"dstatus_{m.value}"), n=m.value),
                            icon=ft.Icons.ARROW_FORWARD,
                            height=TOUCH,
                            data=m.value,
                            on_click=self._ask_move,
                            key=f"desk-move-{m.value}",
                        )
                        for m in moves
                    ],
                    wrap=True,
                    spacing=6,
                )
            )
        else:
            move_controls.append(ft.Text(t("desk_no_moves"), color=MUTED, key="desk-no-moves"))
        self._render_visits(visits)
        actions: list[ft.Control] = []
        if d.appointment_at and status not in TERMINAL:
            actions.append(
                ft.FilledButton(
                    content=t("desk_apology"),
                    icon=ft.Icons.EVENT_REPEAT,
                    height=TOUCH,
                    on_click=self._ask_apology,
                    key="desk-apology",
                )
            )
        # the tracking log is the shared view, embedded: same rows and PDF as the officer sees
        self.tracking_slot.controls = [
            ft.Text(t("tracking_title"), weight=ft.FontWeight.BOLD, color=PRIMARY),
            TrackingLogView(self.ctx, d.id).panel(),
        ]
        self.detail.controls = [
            *head,
            ft.Divider(),
            *move_controls,
            self.move_msg,
            self.visits,
            ft.Row(actions, wrap=True),
            self.downloads,
            ft.Divider(),
            self.tracking_slot,
        ]

    def _evidence_lines(self, d: DossierPublic) -> list[ft.Control]:
        """'Evidence verified', or why not, for each event recorded on the dossier's visits."""
        t = self.ctx.t
        if not d.integrity:
            return []
        lines: list[ft.Control] = [ft.Text(t("desk_evidence"), weight=ft.FontWeight.BOLD, color=PRIMARY)]
        for i, check in enumerate(d.integrity):
            what = t(EVENT_LABELS[check.type]) if check.type in EVENT_LABELS else check.type
            why = "; ".join(t(f"evidence_{f}") for f in check.flags) or t("evidence_verified")
            lines.append(ft.Text(t("evidence_line", what=what, why=why), size=13,
                                 color=DANGER if check.flags else None,
                                 weight=ft.FontWeight.BOLD if check.flags else None,
                                 key=f"desk-evidence-{i}"))
        return lines

    def _render_visits(self, visits: list[VisitPublic]) -> None:
        t = self.ctx.t
        rows: list[ft.Control] = []
        if visits:
            rows.append(ft.Text(t("desk_open_visits"), weight=ft.FontWeight.BOLD, color=PRIMARY))
        for v in visits:
            who = (
                t("desk_assignee", name=self.officers.get(v.assignee_id, f"#{v.assignee_id}"))
                if v.assignee_id
                else t("sup_unassigned")
            )
            rows.append(
                ft.Container(
                    key=f"desk-visit-{v.id}",
                    border=ft.Border.all(1, OK if v.assignee_id else DANGER),
                    border_radius=8,
                    padding=8,
                    content=ft.Column(
                        [
                            ft.Text(
                                t(f"desk_visit_{v.kind.value}", date=fmt_date(v.planned_date)),
                                weight=ft.FontWeight.BOLD,
                            ),
                            ft.Text(who, color=OK if v.assignee_id else DANGER, key=f"desk-visit-who-{v.id}"),
                            ft.Text(v.notice or "", size=13, color=MUTED, visible=bool(v.notice)),
                        ],
                        spacing=2,
                    ),
                )
            )
        self.visits.controls = rows

    # -- moving ---------------------------------------------------------------------------
    def _ask_move(self, e: ft.Event) -> None:
        t = self.ctx.t
        d = self.current
        if d is None:
            return
        target = int(e.control.data)
        note = ft.TextField(label=t("desk_note"), multiline=True, max_length=500, key="desk-move-note")

        async def confirm(ev: ft.Event) -> None:
            self.ctx.page.pop_dialog()
            await self.move(target, (note.value or "").strip() or None)

        dlg = confirm_dialog(
            self.ctx.page,
            t("desk_confirm_title"),
            [
                ft.Text(
                    t(
                        "desk_confirm_text",
                        code=d.code,
                        a=f"{int(d.status)}. {t(f'dstatus_{int(d.status)}')}",
                        b=f"{target}. {t(f'dstatus_{target}')}",
                    ),
                    key="desk-confirm-text",
                ),
                note,
            ],
            cancel_label=t("cancel"),
            cancel_key="desk-move-cancel",
            width=420,
            ok_label=t("desk_confirm"),
            on_ok=confirm,
            ok_key="desk-move-confirm",
        )
        self.ctx.page.show_dialog(dlg)

    async def move(self, target: int, note: str | None = None) -> None:
        """Send the move to the server; show its refusal as it worded it, or the planned delivery."""
        t = self.ctx.t
        d = self.current
        if d is None:
            return
        try:
            out = await self.svc.move(d.id, target, note)
        except Failure as exc:
            text = exc.detail if isinstance(exc, SupervisionError) else failure_text(t, exc)
            self._say(text, error=True)
            return
        self.current = out.dossier
        self._render_detail(out.visits)
        text = t("desk_moved", n=target, label=t(f"dstatus_{target}"))
        if target == DossierStatus.RESULT_READY:
            deliveries = [v for v in out.visits if v.kind.value == "delivery"]
            text += " " + (t("desk_delivery_planned") if deliveries else t("desk_no_delivery"))
        self._say(text, error=False)
        await self._load_page()  # the row's status label moved too

    def _say(self, text: str, error: bool) -> None:
        self.move_msg.value, self.move_msg.visible = text, True
        self.move_msg.color = DANGER if error else OK
        safe_update(self.ctx.page)

    # -- apology --------------------------------------------------------------------------
    def _ask_apology(self, e: ft.Event) -> None:
        t = self.ctx.t
        d = self.current
        if d is None:
            return
        reason = ft.TextField(
            label=t("desk_reason"), multiline=True, min_lines=2, max_length=500, key="desk-apology-reason"
        )
        new_date = ft.TextField(
            label=t("desk_new_date"), hint_text="dd/mm/yyyy", width=200, key="desk-apology-date"
        )
        error = ft.Text("", color=DANGER, visible=False, weight=ft.FontWeight.BOLD, key="desk-apology-error")

        async def save(ev: ft.Event) -> None:
            day = parse_day(new_date.value or "")
            errors = apology_errors(reason.value or "", day, d.appointment_at)
            if errors or day is None:
                error.value = " ".join(t(k) for k in errors.values())
                error.visible = True
                safe_update(self.ctx.page)
                return
            try:
                apology = await self.svc.apologise(d.id, reason.value or "", day)
            except Failure as exc:
                error.value = exc.detail if isinstance(exc, SupervisionError) else failure_text(t, exc)
                error.visible = True
                safe_update(self.ctx.page)
                return
            self.ctx.page.pop_dialog()
            await self._after_apology(fmt_time(apology.new_appointment_at)[:10])

        dlg = confirm_dialog(
            self.ctx.page,
            t("desk_apology_title"),
            [ft.Text(t("desk_apology_hint", code=d.code), size=13, color=MUTED), reason, new_date, error],
            cancel_label=t("cancel"),
            cancel_key="desk-apology-cancel",
            width=440,
            ok_label=t("desk_apology_save"),
            on_ok=save,
            ok_key="desk-apology-save",
        )
        self.ctx.page.show_dialog(dlg)

    async def _after_apology(self, new_day: str) -> None:
        """Show the new appointment, the notice on the open visits, and the form to print."""
        t = self.ctx.t
        d = self.current
        if d is None:
            return
        try:
            self.current = await self.svc.dossier(d.id)
            visits = await self.svc.open_visits(d.id)
            pdf = await self.svc.apology_pdf(d.id, d.code)
        except Failure as exc:
            self._say(failure_text(t, exc), error=True)
            return
        self._render_detail(visits)
        self.downloads.controls = [
            document_link(t, t("desk_apology_pdf"), pdf.url, pdf.path, "desk-apology-pdf")
        ]
        self._say(t("desk_apologised", date=new_day), error=False)
        await self._load_page()
