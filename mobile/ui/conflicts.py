"""Conflicts and rejected actions, each resolved by the officer: keep the server's state or send again."""

from __future__ import annotations

import flet as ft

from mobile.i18n import problem_text
from mobile.ui.context import ViewContext
from mobile.ui.theme import DANGER, WARN, back_button, big_button, title

TYPE_KEYS = {
    "visit.pickup_completed": "kind_pickup",
    "visit.delivery_completed": "kind_delivery",
    "visit.failed": "status_failed",
    "visit.supplement_requested": "request_supplement",
}


class ConflictsView:
    """The list the sync bar's conflict button opens."""

    def __init__(self, ctx: ViewContext) -> None:
        self.ctx = ctx
        self.list = ft.Column(spacing=8)

    def build(self) -> ft.Control:
        """Every problem with its message and the two choices."""
        t = self.ctx.t
        self._render()
        return ft.Container(
            padding=12,
            content=ft.Column(
                [
                    back_button(t, lambda e: self.ctx.nav.go("route")),
                    title(t("conflicts_title")),
                    self.list,
                ],
                spacing=10,
            ),
        )

    def _render(self) -> None:
        t = self.ctx.t
        items = self.ctx.services.sync.problems()
        if not items:
            self.list.controls = [ft.Text(t("no_conflicts"))]
            return
        rows: list[ft.Control] = []
        for p in items:
            label = t(TYPE_KEYS.get(p.type, "")) if p.type in TYPE_KEYS else p.type
            rows.append(
                ft.Container(
                    border=ft.Border.all(2, WARN if p.state == "conflict" else DANGER),
                    border_radius=8,
                    padding=10,
                    content=ft.Column(
                        [
                            ft.Text(f"{label} · #{p.visit_id}", weight=ft.FontWeight.BOLD),
                            ft.Text(problem_text(t, p.message), color=DANGER, key=f"problem-{p.event_id}"),
                            ft.Row(
                                wrap=True,
                                controls=[
                                    big_button(
                                        t("keep_server"),
                                        self._resolve,
                                        key=f"discard-{p.event_id}",
                                        data=(p.event_id, "discard"),
                                    ),
                                    big_button(
                                        t("retry_mine"),
                                        self._resolve,
                                        primary=False,
                                        key=f"retry-{p.event_id}",
                                        data=(p.event_id, "retry"),
                                    ),
                                ],
                            ),
                        ]
                    ),
                )
            )
        self.list.controls = rows

    def _resolve(self, e: ft.Event) -> None:
        event_id, action = e.control.data
        self.ctx.services.sync.resolve(event_id, action)
        self._render()
        self.ctx.page.update()  # resolve() notified the sync bar, which disables the auto-update
