"""Failed visit: a coded reason (other needs text) and a proposed new date."""

from __future__ import annotations

import asyncio

import flet as ft

from mobile.services.pickup import FlowError
from mobile.ui.context import ViewContext
from mobile.ui.theme import back_button, big_button, error_text, title

REASONS = ("nobody_home", "missing_documents", "refused", "wrong_address", "other")


class FailedView:
    """Report why the visit could not be done; a new planned visit follows on the server."""

    def __init__(self, ctx: ViewContext, visit_id: int) -> None:
        self.ctx = ctx
        self.visit_id = visit_id
        self.reason: str | None = None
        self.reasons = ft.Row(wrap=True)
        self.note = ft.TextField(label=ctx.t("fail_note"), multiline=True, key="fail-note")
        self.date = ft.TextField(label=ctx.t("proposed_date"), value=ctx.services.pickup.next_working_day(),
                                 key="fail-date")
        self.error = error_text()

    def build(self) -> ft.Control:
        """The form."""
        t = self.ctx.t
        d = self.ctx.services.route.detail(self.visit_id)
        self._render_reasons()
        return ft.Container(
            padding=12,
            content=ft.Column(
                [
                    back_button(t, lambda e: self.ctx.nav.go("detail", visit_id=self.visit_id)),
                    title(t("failed_title")),
                    ft.Text(f"{d.row.citizen_name} · {d.row.dossier_code}" if d else ""),
                    self.reasons,
                    self.note,
                    self.date,
                    self.error,
                    big_button(t("save_failed"), self._save, key="save-failed"),
                ],
                spacing=10,
            ),
        )

    def _render_reasons(self) -> None:
        t = self.ctx.t
        self.reasons.controls = [
            big_button(t(f"fail_{r}"), self._pick, primary=r == self.reason, key=f"fail-{r}", data=r)
            for r in REASONS
        ]

    def _pick(self, e: ft.Event) -> None:
        self.reason = e.control.data
        self._render_reasons()

    async def _save(self, e: ft.Event) -> None:
        try:
            # the fsynced write runs off the event loop (web mode: other tabs and the API keep going)
            await asyncio.to_thread(
                self.ctx.services.pickup.report_failed,
                self.visit_id, self.reason, self.note.value or "", self.date.value or ""
            )
        except FlowError as exc:
            self.error.value, self.error.visible = "\n".join(exc.errors.values()), True
            return
        self.ctx.services.pickup.discard(self.visit_id)
        self.ctx.nav.toast(self.ctx.t("failed_saved"))
        self.ctx.nav.go("route")
