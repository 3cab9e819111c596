"""Login: username + password once, while online; clear Vietnamese errors."""

from __future__ import annotations

import flet as ft

from mobile.services.auth import LoginFailed
from mobile.ui.context import ViewContext
from mobile.ui.theme import MUTED, TOUCH, big_button, error_text, title


class LoginView:
    """The first screen on a fresh phone (and after logout or token expiry)."""

    def __init__(self, ctx: ViewContext, notice: str = "") -> None:
        self.ctx = ctx
        t = ctx.t
        # after a restart the store is locked: the same officer types the password (works offline)
        locked = ctx.services.auth.is_locked()
        self.username = ft.TextField(
            label=t("username"),
            value=(ctx.services.auth.saved_username() or "") if locked else "",
            autofocus=True,
            height=56,
            autofill_hints=ft.AutofillHint.USERNAME,
            on_submit=self._submit,
        )
        self.password = ft.TextField(
            label=t("password"), password=True, can_reveal_password=True, height=56, on_submit=self._submit
        )
        self.error = error_text(notice or (t("login_unlock") if locked else ""))
        self.busy = ft.ProgressRing(visible=False, width=24, height=24)
        self.button = big_button(t("login"), self._submit, key="login-btn")

    def build(self) -> ft.Control:
        """The login form; on an installed phone also which server it talks to, and a way to change it."""
        t = self.ctx.t
        rows: list[ft.Control] = [
            title(t("login_title")),
            ft.Text(t("login_hint"), size=14),
            self.username,
            self.password,
            self.error,
            ft.Row([self.button, self.busy]),
        ]
        setup = self.ctx.services.setup
        if setup.can_change():
            server = ft.Text(t("setup_current", server=setup.server_url() or ""), size=13, color=MUTED,
                             key="login-server")
            line: list[ft.Control] = [server]
            if unit := setup.provisioned_unit():
                line.append(ft.Text(t("setup_unit", unit=unit), size=13, color=MUTED))
            line.append(ft.TextButton(content=t("setup_change"), height=TOUCH,
                                      on_click=lambda e: self.ctx.nav.go("setup"), key="change-server"))
            rows.append(ft.Row(line, wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER))
        return ft.Container(padding=20, content=ft.Column(rows, spacing=16, tight=True))

    async def _submit(self, e: ft.Event | None = None) -> None:
        t = self.ctx.t
        user, pw = (self.username.value or "").strip(), self.password.value or ""
        if not user or not pw:
            self._show_error(t("err_empty_login"))
            return
        self.button.disabled, self.busy.visible = True, True
        self.error.visible = False
        self.ctx.page.update()
        try:
            await self.ctx.services.auth.login(user, pw)
        except LoginFailed as exc:
            msg = {"bad": t("err_bad_login"), "offline": t("err_offline_login"),
                   "locked": exc.detail,  # the server's message says until when
                   "other_officer": t("err_other_officer"),
                   "old_password": t("err_old_password")}.get(exc.kind)
            # ready again before the update that shows the error: nothing updates the page after it,
            # and a button left disabled would stop the officer from retrying
            self.button.disabled, self.busy.visible = False, False
            self._show_error(msg or f"{t('err_server')} ({exc.detail})")
            return
        finally:
            self.button.disabled, self.busy.visible = False, False
        self.ctx.nav.go("route", first_sync=True)

    def _show_error(self, msg: str) -> None:
        self.error.value, self.error.visible = msg, True
        self.ctx.page.update()
