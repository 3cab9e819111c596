"""First-run screen: the server address, typed, pasted or read from the supervisor's provisioning QR."""

from __future__ import annotations

import flet as ft

from mobile.services.setup import SetupError
from mobile.ui.context import ViewContext
from mobile.ui.theme import MUTED, big_button, error_text, title


class SetupView:
    """Shown before the login until this phone knows its server (and from the login to change it)."""

    def __init__(self, ctx: ViewContext) -> None:
        self.ctx = ctx
        self.svc = ctx.services.setup
        t = ctx.t
        self.field = ft.TextField(
            label=t("setup_field"),
            autofocus=True,
            multiline=False,
            keyboard_type=ft.KeyboardType.URL,
            on_submit=self._save,
            key="setup-url",
        )
        self.error = error_text()
        self.busy = ft.ProgressRing(visible=False, width=24, height=24)
        self.button = big_button(t("setup_save"), self._save, key="setup-save")

    def build(self) -> ft.Control:
        """The form: hint, field, save (and scan when a QR decoder is installed, cancel when set)."""
        t = self.ctx.t
        current = self.svc.server_url()
        rows: list[ft.Control] = [title(t("setup_title")), ft.Text(t("setup_hint"), size=14)]
        if current:
            rows.append(ft.Text(t("setup_current", server=current), color=MUTED, key="setup-current"))
        rows.append(self.field)
        if self.svc.qr_available():
            rows.append(
                big_button(t("setup_scan"), self._scan, primary=False, icon=ft.Icons.QR_CODE_SCANNER,
                           key="setup-scan")
            )
        else:
            rows.append(ft.Text(t("setup_no_scanner"), size=13, color=MUTED))
        rows += [self.error, ft.Row([self.button, self.busy], wrap=True)]
        if current:
            rows.append(
                big_button(t("cancel"), lambda e: self.ctx.nav.go("login"), primary=False, key="setup-cancel")
            )
        return ft.Container(padding=20, content=ft.Column(rows, spacing=16, tight=True))

    async def _scan(self, e: ft.Event) -> None:
        raw = await self.ctx.services.photos.pick()
        if not raw:
            return
        text = await self.svc.read_qr(raw)
        if not text:
            self._show_error(self.ctx.t("setup_qr_unreadable"))
            return
        self.field.value = text
        await self._save()

    async def _save(self, e: ft.Event | None = None) -> None:
        t = self.ctx.t
        self.button.disabled, self.busy.visible, self.error.visible = True, True, False
        self.ctx.page.update()
        try:
            prov = await self.svc.apply(self.field.value or "")
        except SetupError as exc:
            self._show_error(t(f"setup_err_{exc.code}"))
            return
        finally:
            self.button.disabled, self.busy.visible = False, False
        self.ctx.nav.toast(t("setup_saved", server=prov.server))
        self.ctx.nav.go("login")

    def _show_error(self, msg: str) -> None:
        self.error.value, self.error.visible = msg, True
        self.ctx.page.update()
