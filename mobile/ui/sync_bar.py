"""The sync bar, always visible: pending items, last sync, errors and conflicts, 'Đồng bộ ngay'."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from api_client.domain.clock import vn_time
from mobile.ui.context import ViewContext
from mobile.ui.theme import DANGER, OK, TOUCH, WARN


def _short_time(iso: str | None) -> str:
    if not iso:
        return ""
    # the store keeps UTC ISO strings; officers read local time (UTC+7, no DST in Vietnam)
    try:
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return vn_time(dt).strftime("%H:%M %d/%m")


class SyncBar:
    """Re-renders itself whenever the SyncService state changes."""

    def __init__(self, ctx: ViewContext) -> None:
        self.ctx = ctx
        self.status = ft.Text("", weight=ft.FontWeight.BOLD, size=14)
        self.detail = ft.Text("", size=12)
        self.error = ft.Text("", size=12, color=DANGER, visible=False)
        self.conflicts = ft.TextButton(
            content="",
            visible=False,
            height=TOUCH,
            on_click=lambda e: ctx.nav.go("conflicts"),
            key="conflicts-btn",
        )
        self.button = ft.FilledButton(
            content=ctx.t("sync_now"), height=TOUCH, on_click=self._sync, key="sync-now"
        )
        self.control = ft.Container(
            bgcolor="#FFF8E1",
            padding=ft.Padding.symmetric(horizontal=10, vertical=4),
            content=ft.Row(
                [
                    ft.Column([self.status, self.detail, self.error], spacing=0, expand=True, tight=True),
                    self.conflicts,
                    self.button,
                ],
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
        )
        self._unsub = ctx.services.sync.state.subscribe(self._on_change)
        self.render()

    def render(self) -> None:
        """Copy the sync state into the controls."""
        t = self.ctx.t
        s = self.ctx.services.sync.state
        if s.syncing:
            # a retry while offline is not a sync: the words must match the 'Mất mạng' beside them
            self.status.value, self.status.color = t("reconnecting" if s.offline else "syncing"), WARN
        elif s.pending:
            self.status.value, self.status.color = t("pending", n=s.pending), WARN
        else:
            self.status.value, self.status.color = t("all_synced"), OK
        self.detail.value = (
            t("last_sync", t=_short_time(s.last_success_at)) if s.last_success_at else t("never_synced")
        )
        err = ""
        if s.offline:
            err = t("offline")
        elif s.last_error:
            err = t("sync_error", msg=s.last_error)
        self.error.value, self.error.visible = err, bool(err)
        problems = s.conflicts + s.dead
        self.conflicts.content = " · ".join(
            x
            for x in (
                t("conflicts", n=s.conflicts) if s.conflicts else "",
                t("dead_letters", n=s.dead) if s.dead else "",
            )
            if x
        )
        self.conflicts.visible = problems > 0
        self.button.disabled = s.syncing
        self.button.content = t("sync_now")

    def _on_change(self) -> None:
        self.render()
        try:
            self.control.update()
        except Exception:  # noqa: BLE001 - not mounted (login screen) or the tab went away
            pass

    async def _sync(self, e: ft.Event) -> None:
        await self.ctx.services.sync.sync_now()

    def dispose(self) -> None:
        """Stop listening (the shell rebuilt the bar)."""
        self._unsub()
