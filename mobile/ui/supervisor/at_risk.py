"""'Hồ sơ cần chú ý': due today / overdue / unassigned / repeatedly failed, a page at a time;
tick one or many and (re)assign them, with the suggested officer at the top of the picker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import flet as ft

from api_client.models import AtRiskDossier, BoardOfficer, SuggestedAssignee
from mobile.i18n import has_text
from mobile.services.supervision import (
    AT_RISK_KINDS,
    AT_RISK_PAGE,
    AssignOutcome,
    SupervisionError,
    SupervisionOffline,
)
from mobile.ui.context import ViewContext
from mobile.ui.route import fmt_time
from mobile.ui.supervisor.common import (
    chip,
    confirm_dialog,
    failure_text,
    km_text,
    pager_controls,
    safe_update,
)
from mobile.ui.theme import DANGER, MUTED, OK, PRIMARY, TOUCH, WARN, title


def assign_message(t: Callable[..., str], out: AssignOutcome, name: str, day: date) -> str:
    """What an assignment did, in the supervisor's language: moved / planned, skipped, refused (a
    refusal the screen knows by its code is worded here; others keep the server's message)."""
    text = t("sup_assigned_on", n=out.assigned + out.created, name=name, date=f"{day:%d/%m/%Y}")
    if out.skipped:
        text += " " + t("sup_skipped", items=", ".join(out.skipped))
    if out.failed:
        items = [f"{what}: {t('assign_fail_' + code) if has_text('assign_fail_' + code) else detail}"
                 for what, code, detail in out.failed]
        text += " " + t("sup_assign_failed", items="; ".join(items))
    return text


PICK_DAYS = 7  # the picker offers today and the next six days: enough for a week's plan, no typing


class AtRiskView:
    """Tabs of at-risk dossiers with paging, multi-select and assignment."""

    def __init__(self, ctx: ViewContext, state: dict | None = None) -> None:
        self.ctx = ctx
        self.svc = ctx.services.supervision
        # the shell keeps this dict, so the tab and page survive a language switch
        self.state: dict[str, Any] = state if state is not None else {"kind": "due_today", "page": 1}
        self.totals: dict[str, int | None] = {k: None for k in AT_RISK_KINDS}
        self.items: list[AtRiskDossier] = []
        self.total = 0
        self.selected: dict[int, AtRiskDossier] = {}
        self.pick_day: date = self.svc.today()
        self.day_chips = ft.Row()
        self.picker_body = ft.Column()
        self.officers: dict[int, BoardOfficer] = {}
        self.procedures: dict[str, str] = {}
        self.tabs = ft.Row(wrap=True, spacing=6)
        self.list = ft.Column(spacing=6)
        self.pager = ft.Row(wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER)
        self.message = ft.Text("", visible=False, weight=ft.FontWeight.BOLD, key="risk-message")
        self.assign_btn = ft.FilledButton(
            content="",
            icon=ft.Icons.ASSIGNMENT_IND,
            height=TOUCH,
            on_click=self._open_picker,
            key="risk-assign",
        )

    def build(self) -> ft.Control:
        """Tabs, actions, the list and the pager; data load in the background."""
        t = self.ctx.t
        self._render_tabs()
        self._render_actions()
        self.list.controls = [ft.Text(t("loading"), color=MUTED)]
        self.ctx.run(self._load_all)
        actions = ft.Row(
            [
                ft.OutlinedButton(
                    content=t("sup_select_page"),
                    icon=ft.Icons.CHECKLIST,
                    height=TOUCH,
                    on_click=self._select_page,
                    key="risk-select-page",
                ),
                self.assign_btn,
            ],
            wrap=True,
        )
        return ft.Container(
            expand=True,
            padding=ft.Padding.symmetric(horizontal=12, vertical=8),
            content=ft.ListView(
                [title(t("nav_at_risk")), self.tabs, self.message, actions, self.list, self.pager],
                spacing=8,
                expand=True,
            ),
        )

    # -- loading --------------------------------------------------------------------------
    async def _load_all(self) -> None:
        """Tab totals (one small request each) and the current page."""
        try:
            for kind in AT_RISK_KINDS:
                self.totals[kind] = (await self.svc.at_risk(kind, 1, 1)).total
            self.officers = {o.id: o for o in await self.svc.field_officers()}
            self.procedures = await self.svc.procedure_names()
        except (SupervisionOffline, SupervisionError) as exc:
            self._show_failure(exc)
            return
        self._render_tabs()
        await self._load_page()

    async def _load_page(self) -> None:
        t = self.ctx.t
        try:
            page = await self.svc.at_risk(self.state["kind"], self.state["page"], AT_RISK_PAGE)
        except (SupervisionOffline, SupervisionError) as exc:
            self._show_failure(exc)
            return
        self.items, self.total = list(page), page.total
        self.totals[self.state["kind"]] = page.total
        self.list.controls = [self._row(d) for d in self.items] or [
            ft.Text(t("sup_risk_empty"), color=MUTED, key="risk-empty")
        ]
        self._render_tabs()
        self._render_pager()
        self._render_actions()
        safe_update(self.ctx.page)

    def _show_failure(self, exc: Exception) -> None:
        t = self.ctx.t
        text = failure_text(t, exc)
        self.list.controls = [ft.Text(text, color=DANGER, weight=ft.FontWeight.BOLD, key="risk-error")]
        safe_update(self.ctx.page)

    # -- rendering ------------------------------------------------------------------------
    def _render_tabs(self) -> None:
        t = self.ctx.t
        self.tabs.controls = [
            chip(
                t(f"sup_risk_{k}") + (f" ({self.totals[k]})" if self.totals[k] is not None else ""),
                self.state["kind"] == k,
                self._set_kind(k),
                f"risk-tab-{k}",
            )
            for k in AT_RISK_KINDS
        ]

    def _render_actions(self) -> None:
        n = len(self.selected)
        self.assign_btn.content = self.ctx.t("sup_assign_n", n=n)
        self.assign_btn.disabled = n == 0

    def _render_pager(self) -> None:
        self.pager.controls = pager_controls(self.ctx.t, self.state["page"], self.total, AT_RISK_PAGE,
                                             self._page, "risk")

    def _row(self, d: AtRiskDossier) -> ft.Control:
        t = self.ctx.t
        who = self.officers.get(d.assignee_id) if d.assignee_id else None
        if d.open_visit_id is None and d.next_visit_kind is None:
            assignee = ft.Text(t("sup_visit_not_needed"), color=MUTED, key=f"risk-no-need-{d.id}")
        elif d.open_visit_id is None:
            kind = t(f"kind_{d.next_visit_kind.value}").lower() if d.next_visit_kind else ""
            assignee = ft.Text(t("sup_no_visit", kind=kind), color=WARN, weight=ft.FontWeight.BOLD)
        elif who is None and d.assignee_id is None:
            assignee = ft.Text(t("sup_unassigned"), color=DANGER, weight=ft.FontWeight.BOLD)
        else:
            name = who.full_name if who else f"#{d.assignee_id}"
            assignee = ft.Text(f"{t('sup_assignee')}: {name}", color=OK, key=f"risk-assignee-{d.id}")
        details: list[ft.Control] = [
            ft.Text(
                f"{self.procedures.get(d.procedure_code, d.procedure_code)} · {t(f'dstatus_{d.status}')}",
                size=13,
                color=MUTED,
            ),
            ft.Text(f"{t('sup_appointment')}: {fmt_time(d.appointment_at) or '—'}", size=13),
            assignee,
        ]
        if d.open_visit_id is None and d.last_visit_kind and d.last_visit_status and d.last_visit_at:
            key = f"sup_last_visit_{d.last_visit_kind.value}_{d.last_visit_status.value}"
            details.append(ft.Text(t(key, at=fmt_time(d.last_visit_at)), size=13, key=f"risk-last-{d.id}"))
        if d.failed_visits:
            details.append(ft.Text(t("sup_failed_times", n=d.failed_visits), color=DANGER, size=13))
        return ft.Container(
            key=f"riskrow-{d.id}",
            border=ft.Border.all(1, "#9E9E9E"),
            border_radius=8,
            padding=ft.Padding.only(left=2, right=10, top=4, bottom=6),
            content=ft.Column(
                [
                    ft.Checkbox(
                        label=f"{d.code} · {d.citizen_name}",
                        value=d.id in self.selected,
                        data=d.id,
                        on_change=self._tick,
                        key=f"risk-{d.id}",
                    ),
                    ft.Container(ft.Column(details, spacing=2), padding=ft.Padding.only(left=44)),
                ],
                spacing=0,
            ),
        )

    # -- events ---------------------------------------------------------------------------
    def _set_kind(self, kind: str):
        async def handler(e: ft.Event) -> None:
            self.state["kind"], self.state["page"] = kind, 1
            self.selected.clear()
            self._render_tabs()
            self._render_actions()
            await self._load_page()

        return handler

    def _page(self, step: int):
        async def handler(e: ft.Event) -> None:
            self.state["page"] = max(1, self.state["page"] + step)
            await self._load_page()

        return handler

    def _tick(self, e: ft.Event) -> None:
        did = int(e.control.data)
        item = next((d for d in self.items if d.id == did), None)
        if e.control.value and item:
            self.selected[did] = item
        else:
            self.selected.pop(did, None)
        self._render_actions()
        safe_update(self.ctx.page)

    def _select_page(self, e: ft.Event) -> None:
        for d in self.items:
            self.selected[d.id] = d
        self.list.controls = [self._row(d) for d in self.items] or self.list.controls
        self._render_actions()
        safe_update(self.ctx.page)

    async def _open_picker(self, e: ft.Event) -> None:
        """The picker: a day (today or later, never typed) and every officer with their load that day."""
        t = self.ctx.t
        chosen = list(self.selected.values())
        if not chosen:
            return
        self.pick_day = self.svc.today()
        self.day_chips = ft.Row(wrap=True, spacing=6, key="pick-days")
        self.picker_body = ft.Column([ft.Text(t("loading"), color=MUTED)], spacing=8, tight=True)
        self._render_day_chips()
        dlg = confirm_dialog(
            self.ctx.page,
            t("sup_assign_title", n=len(chosen)),
            [ft.Text(t("sup_pick_day"), weight=ft.FontWeight.BOLD, color=PRIMARY), self.day_chips,
             self.picker_body],
            cancel_label=t("cancel"),
            cancel_key="pick-cancel",
            width=420,
            scroll=ft.ScrollMode.AUTO,
        )
        self.ctx.page.show_dialog(dlg)
        await self._fill_picker()

    def _render_day_chips(self) -> None:
        t = self.ctx.t
        today = self.svc.today()
        days = [today + timedelta(days=i) for i in range(PICK_DAYS)]
        labels = {0: t("sup_day_today"), 1: t("sup_day_tomorrow")}
        self.day_chips.controls = [
            chip(
                f"{labels[i]} {d:%d/%m}" if i in labels else f"{t(f'weekday_{d.weekday()}')} {d:%d/%m}",
                d == self.pick_day,
                self._set_pick_day(d),
                f"pickday-{d.isoformat()}",
            )
            for i, d in enumerate(days)
        ]

    def _set_pick_day(self, day: date):
        async def handler(e: ft.Event) -> None:
            self.pick_day = day
            self._render_day_chips()
            await self._fill_picker()

        return handler

    async def _fill_picker(self) -> None:
        """Officers ranked by the server for the chosen day; each shows the load the board shows."""
        t = self.ctx.t
        chosen = list(self.selected.values())
        try:
            suggested: list[SuggestedAssignee] = await self.svc.suggest_for(chosen, self.pick_day.isoformat())
        except (SupervisionOffline, SupervisionError):
            suggested = []  # the plain list below still lets the supervisor choose
        options: list[ft.Control] = []
        seen: set[int] = set()
        for i, s in enumerate(suggested):
            seen.add(s.officer_id)
            extra = [t(f"sup_reason_{s.reason}"), t("sup_open_visits", n=s.open_visits)]
            if s.distance_m is not None:
                extra.append(km_text(s.distance_m))
            if not s.has_capacity:
                extra.append(t("sup_full"))
            options.append(self._option(s.officer_id, s.full_name, " · ".join(extra), best=i == 0))
        others = [o for o in self.officers.values() if o.id not in seen]
        if others:
            options.append(ft.Text(t("sup_other_officers"), weight=ft.FontWeight.BOLD, color=PRIMARY))
        for o in others:
            # offline: the board's load (today's) is the only one known; say which day it is for
            load = t("sup_open_visits_today", n=o.open_visits)
            options.append(self._option(o.id, o.full_name, load, best=False))
        first = chosen[0] if chosen else None
        heading = (
            t("sup_suggested_for", code=first.code) if first and suggested else t("sup_pick_officer_for")
        )
        self.picker_body.controls = [ft.Text(heading, size=13, color=MUTED), *options]
        safe_update(self.ctx.page)

    def _option(self, officer_id: int, name: str, why: str, best: bool) -> ft.Control:
        # a semantics node with an identifier: browser tests (and screen readers) find each choice
        return ft.Semantics(
            identifier=f"pick-{officer_id}",
            label=name,
            button=True,
            content=self._option_box(officer_id, name, why, best),
        )

    def _option_box(self, officer_id: int, name: str, why: str, best: bool) -> ft.Control:
        t = self.ctx.t
        return ft.Container(
            key=f"pick-{officer_id}",
            data=officer_id,
            on_click=self._pick,
            border=ft.Border.all(2 if best else 1, OK if best else "#9E9E9E"),
            bgcolor="#E8F5E9" if best else None,
            border_radius=8,
            padding=10,
            content=ft.Column(
                [
                    ft.Row(
                        [
                            ft.Icon(
                                ft.Icons.STAR if best else ft.Icons.PERSON, color=OK if best else PRIMARY
                            ),
                            ft.Text(name, weight=ft.FontWeight.BOLD, size=15, expand=True),
                            ft.Text(t("sup_suggested"), color=OK, weight=ft.FontWeight.BOLD, visible=best),
                        ]
                    ),
                    ft.Text(why, size=13, color=MUTED),
                ],
                spacing=2,
            ),
        )

    async def _pick(self, e: ft.Event) -> None:
        t = self.ctx.t
        officer_id = int(e.control.data)
        self.ctx.page.pop_dialog()
        chosen = list(self.selected.values())
        name = self.officers[officer_id].full_name if officer_id in self.officers else f"#{officer_id}"
        try:
            out = await self.svc.assign(chosen, officer_id, self.pick_day.isoformat())
        except (SupervisionOffline, SupervisionError) as exc:
            text = failure_text(t, exc)
            self.message.value, self.message.color, self.message.visible = text, DANGER, True
            safe_update(self.ctx.page)
            return
        text = assign_message(t, out, name, self.pick_day)
        self.message.value, self.message.visible = text, True
        self.message.color = DANGER if out.failed else WARN if out.skipped else OK
        self.selected.clear()
        await self.svc.refresh_board()  # counts on the board move with the assignment
        await self._load_all()
