"""An officer's day: visits in order with arrival, completion, time spent, failures and GPS flags;
the day's track exported as GeoJSON / GPX (downloaded like receipts); the officer's account: a login
lockout to lift, the phones signed in, each revocable."""

from __future__ import annotations

import flet as ft

from api_client.models import DayVisit, OfficerDay
from mobile.services.supervision import TRACK_FORMATS, OfficerAccount, SupervisionError, SupervisionOffline
from mobile.ui.context import ViewContext
from mobile.ui.route import STATUS_COLORS
from mobile.ui.supervisor.common import (
    confirm_dialog,
    download_control,
    duration_text,
    export_buttons,
    failure_text,
    hhmm,
    km_text,
    safe_update,
    screen,
)
from mobile.ui.theme import DANGER, MUTED, PRIMARY, back_button, title

FLAG_ICONS = {
    "far_from_home": ft.Icons.WRONG_LOCATION,
    "poor_fix": ft.Icons.GPS_NOT_FIXED,
    "no_fix": ft.Icons.GPS_OFF,
    "clock_off": ft.Icons.SCHEDULE,
    "clock_jump": ft.Icons.UPDATE,
    "impossible_speed": ft.Icons.SPEED,
    "identical_fix": ft.Icons.CONTENT_COPY,
    "mock_location": ft.Icons.LOCATION_DISABLED,
    "evidence": ft.Icons.GPP_BAD,
}


class OfficerDayView:
    """One officer's visits today, read from the server (online only)."""

    def __init__(self, ctx: ViewContext, officer_id: int) -> None:
        self.ctx = ctx
        self.svc = ctx.services.supervision
        self.officer_id = officer_id
        self.body = ft.Column(spacing=8)
        self.downloads = ft.Row(wrap=True, spacing=8)
        self.message = ft.Text("", visible=False, weight=ft.FontWeight.BOLD)
        self.account = ft.Column(spacing=6, key="officer-account")

    def build(self) -> ft.Control:
        """Back, heading, export buttons and the visit list (loaded in the background)."""
        t = self.ctx.t
        officer = self.svc.state.officer(self.officer_id)
        name = officer.full_name if officer else f"#{self.officer_id}"
        exports = export_buttons(t, TRACK_FORMATS, "sup_export_", self._export, "export-")
        self.body.controls = [ft.Text(t("loading"), color=MUTED)]
        self.ctx.run(self._load)
        self.ctx.run(self._load_account)
        return screen(
            [
                # in a Row, not stretched across a wide window
                ft.Row([back_button(t, lambda e: self.ctx.nav.go("sup_board"))]),
                title(t("sup_day_title", name=name)),
                ft.Row([*exports, ft.OutlinedButton(content=t("sup_wipe"), icon=ft.Icons.PHONELINK_ERASE,
                                                    on_click=self._ask_wipe, key="wipe-phone")],
                       wrap=True, spacing=8),
                self.message,
                self.downloads,
                # the account first: a locked-out officer is waiting at the door for this button
                ft.Text(t("sup_account"), weight=ft.FontWeight.BOLD, size=16),
                self.account,
                ft.Divider(),
                self.body,
            ]
        )

    async def _load_account(self) -> None:
        t = self.ctx.t
        try:
            account = await self.svc.account(self.officer_id)
        except (SupervisionOffline, SupervisionError) as exc:
            self.account.controls = [ft.Text(failure_text(t, exc), color=DANGER)]
        else:
            self.account.controls = self._account_rows(account)
        safe_update(self.ctx.page)

    def _account_rows(self, account: OfficerAccount) -> list[ft.Control]:
        t = self.ctx.t
        lock = account.lockout
        rows: list[ft.Control] = []
        if lock.locked:
            rows.append(ft.Row([
                ft.Icon(ft.Icons.LOCK_CLOCK, color=DANGER),
                ft.Text(t("sup_locked_until", at=hhmm(lock.locked_until)), color=DANGER,
                        weight=ft.FontWeight.BOLD),
                ft.FilledButton(t("sup_unlock"), icon=ft.Icons.LOCK_OPEN, on_click=self._unlock,
                                key="unlock-officer"),
            ], wrap=True, spacing=8))
        else:
            rows.append(ft.Text(t("sup_not_locked"), color=MUTED))
        for d in account.devices:
            line = t("sup_device", device=d.device_id, at=hhmm(d.last_seen_at), address=d.last_address or "?")
            revoke: ft.Control = (
                ft.Text(t("sup_device_revoked"), color=MUTED) if d.revoked_at
                else ft.OutlinedButton(t("sup_revoke"), icon=ft.Icons.PHONELINK_OFF, data=d.device_id,
                                       on_click=self._revoke, key=f"revoke-{d.device_id}"))
            rows.append(ft.Row([ft.Icon(ft.Icons.SMARTPHONE, color=MUTED), ft.Text(line), revoke], wrap=True,
                               spacing=8))
        if not account.devices:
            rows.append(ft.Text(t("sup_no_devices"), color=MUTED))
        if lock.active:
            rows.append(ft.Row([ft.OutlinedButton(t("sup_disable"), icon=ft.Icons.PERSON_OFF,
                                                  on_click=self._ask_disable, key="disable-officer")]))
        else:
            rows.append(ft.Row([
                ft.Text(t("sup_disabled"), color=DANGER, weight=ft.FontWeight.BOLD),
                ft.FilledButton(t("sup_enable"), icon=ft.Icons.PERSON, data=True, on_click=self._set_active,
                                key="enable-officer"),
            ], wrap=True, spacing=8))
        return rows

    def _ask_disable(self, e: ft.Event) -> None:
        t = self.ctx.t
        officer = self.svc.state.officer(self.officer_id)
        name = officer.full_name if officer else f"#{self.officer_id}"

        async def confirmed(ev: ft.Event) -> None:
            self.ctx.page.pop_dialog()
            await self._change_active(False)

        self.ctx.page.show_dialog(confirm_dialog(
            self.ctx.page, t("sup_disable"), [ft.Text(t("sup_disable_confirm", name=name))], t("cancel"),
            "disable-cancel", 420, ok_label=t("sup_disable"), on_ok=confirmed, ok_key="disable-confirm"))

    async def _set_active(self, e: ft.Event) -> None:
        await self._change_active(bool(e.control.data))

    async def _change_active(self, active: bool) -> None:
        t = self.ctx.t
        try:
            await self.svc.set_active(self.officer_id, active)
        except (SupervisionOffline, SupervisionError) as exc:
            self._say(failure_text(t, exc), True)
        else:
            self._say(t("sup_enabled" if active else "sup_disabled"), False)
        await self._load_account()

    async def _unlock(self, e: ft.Event) -> None:
        try:
            await self.svc.unlock(self.officer_id)
        except (SupervisionOffline, SupervisionError) as exc:
            self._say(failure_text(self.ctx.t, exc), True)
        else:
            self._say(self.ctx.t("sup_unlocked"), False)
        await self._load_account()

    async def _revoke(self, e: ft.Event) -> None:
        device = str(e.control.data)
        try:
            await self.svc.revoke_device(self.officer_id, device)
        except (SupervisionOffline, SupervisionError) as exc:
            self._say(failure_text(self.ctx.t, exc), True)
        else:
            self._say(self.ctx.t("sup_revoked", device=device), False)
        await self._load_account()

    def _ask_wipe(self, e: ft.Event) -> None:
        """Confirm first: the phone's data is erased at its next sync (after it sends what it can)."""
        t = self.ctx.t
        force = ft.Checkbox(label=t("sup_wipe_force"), value=False, key="wipe-force")

        async def confirm(ev: ft.Event) -> None:
            self.ctx.page.pop_dialog()
            try:
                await self.svc.order_wipe(self.officer_id, force=bool(force.value))
            except (SupervisionOffline, SupervisionError) as exc:
                self.message.value, self.message.color = failure_text(t, exc), DANGER
            else:
                self.message.value, self.message.color = t("sup_wipe_ordered"), None
            self.message.visible = True
            safe_update(self.ctx.page)

        self.ctx.page.show_dialog(confirm_dialog(
            self.ctx.page, t("sup_wipe"), [ft.Text(t("sup_wipe_text")), force], t("cancel"), "wipe-cancel",
            420, ok_label=t("sup_wipe_confirm"), on_ok=confirm, ok_key="wipe-confirm"))

    async def _load(self) -> None:
        t = self.ctx.t
        try:
            day = await self.svc.officer_day(self.officer_id)
        except SupervisionOffline:
            self.body.controls = [ft.Text(t("sup_offline"), color=DANGER, weight=ft.FontWeight.BOLD)]
        except SupervisionError as exc:
            self.body.controls = [ft.Text(failure_text(t, exc), color=DANGER)]
        else:
            self.body.controls = self._rows(day)
        safe_update(self.ctx.page)

    def _rows(self, day: OfficerDay) -> list[ft.Control]:
        t = self.ctx.t
        c = day.counts
        facts = [
            t("sup_day_distance", km=km_text(day.distance_m)),
            t("sup_day_points", n=day.points),
            t("sup_day_span", start=hhmm(day.first_point_at) or "—", end=hhmm(day.last_point_at) or "—"),
            t("sup_counts", total=c.total, done=c.completed, failed=c.failed, left=day.open_visits),
        ]
        out: list[ft.Control] = [
            ft.ResponsiveRow(
                [
                    ft.Container(
                        ft.Text(f, size=15, weight=ft.FontWeight.BOLD, key=f"day-fact-{i}"),
                        col={"xs": 12, "sm": 6, "md": 3},
                        bgcolor="#EEF2FA",
                        border_radius=6,
                        padding=8,
                    )
                    for i, f in enumerate(facts)
                ]
            )
        ]
        if day.flagged:
            out.append(
                ft.Row(
                    [
                        ft.Icon(ft.Icons.FLAG, color=DANGER),
                        ft.Text(t("sup_flagged", n=day.flagged), color=DANGER, weight=ft.FontWeight.BOLD),
                    ],
                    key="day-flagged",
                )
            )
        out.append(ft.Text(t("sup_day_visits"), size=16, weight=ft.FontWeight.BOLD, color=PRIMARY))
        if not day.visits:
            out.append(ft.Text(t("no_visits"), color=MUTED))
        out += [self._visit(i + 1, v) for i, v in enumerate(day.visits)]
        out.append(
            ft.Text(t("sup_day_failed", n=len(day.failed)), size=16, weight=ft.FontWeight.BOLD, color=PRIMARY)
        )
        for v in day.failed:
            out.append(
                ft.Text(
                    f"{v.citizen_name} · {v.dossier_code} · {self._reason(v)}",
                    color=DANGER,
                    key=f"failed-{v.visit_id}",
                )
            )
        if not day.failed:
            out.append(ft.Text(t("sup_none"), color=MUTED))
        return out

    def _reason(self, v: DayVisit) -> str:
        t = self.ctx.t
        reason = t(f"fail_{v.failure_reason.value}") if v.failure_reason else t("fail_other")
        return f"{reason} — {v.failure_note}" if v.failure_note else reason

    def _visit(self, n: int, v: DayVisit) -> ft.Control:
        t = self.ctx.t
        kind = t("kind_pickup") if v.kind.value == "pickup" else t("kind_delivery")
        times = [
            t("sup_arrived", at=hhmm(v.arrived_at), src=t(f"sup_src_{v.arrival_source}"))
            if v.arrived_at
            else t("sup_not_arrived"),
        ]
        if v.completed_at:
            times.append(t("sup_completed_at", at=hhmm(v.completed_at)))
        if v.time_spent_s is not None:
            times.append(t("sup_spent", d=duration_text(t, v.time_spent_s)))
        flags = [self._flag(v, f) for f in v.flags + v.honesty]
        if v.evidence not in (None, "verified"):
            flags.append(self._flag(v, "evidence"))
        lines: list[ft.Control] = [
            ft.Row(
                [
                    ft.Text(f"{n}.", weight=ft.FontWeight.BOLD),
                    ft.Text(v.citizen_name, size=16, weight=ft.FontWeight.BOLD, expand=True),
                    ft.Text(kind, color=PRIMARY),
                    ft.Text(
                        t(f"status_{v.status.value}"),
                        color=STATUS_COLORS.get(v.status.value),
                        weight=ft.FontWeight.BOLD,
                        key=f"dayrow-status-{v.visit_id}",
                    ),
                ],
            ),
            ft.Text(v.dossier_code, size=13, color=MUTED),
            ft.Text(" · ".join(times), size=14, key=f"dayrow-times-{v.visit_id}"),
        ]
        if v.status.value == "failed":
            lines.append(
                ft.Text(f"{t('status_failed')}: {self._reason(v)}", color=DANGER, weight=ft.FontWeight.BOLD)
            )
        if flags:
            lines.append(ft.Row(flags, wrap=True, spacing=6))
        return ft.Container(
            key=f"dayrow-{v.visit_id}",
            border=ft.Border.all(2 if flags else 1, DANGER if flags else "#9E9E9E"),
            border_radius=8,
            padding=10,
            content=ft.Column(lines, spacing=2),
        )

    def _flag(self, v: DayVisit, flag: str) -> ft.Control:
        t = self.ctx.t
        detail = {
            "far_from_home": km_text(v.fix_distance_m),
            "poor_fix": f"±{v.fix_accuracy_m:.0f} m" if v.fix_accuracy_m is not None else "",
            "clock_off": t("sup_trusted_at", at=hhmm(v.trusted_at)) if v.trusted_at else "",
            "evidence": t(f"evidence_{v.evidence}"),
        }.get(flag, "")
        text = t(f"sup_flag_{flag}") + (f" ({detail})" if detail else "")
        return ft.Container(
            key=f"flag-{v.visit_id}-{flag}",
            bgcolor="#FDECEA",
            border=ft.Border.all(1, DANGER),
            border_radius=12,
            padding=ft.Padding.symmetric(horizontal=8, vertical=4),
            content=ft.Row(
                [
                    ft.Icon(FLAG_ICONS.get(flag, ft.Icons.FLAG), color=DANGER, size=18),
                    ft.Text(text, color=DANGER, weight=ft.FontWeight.BOLD, size=13),
                ],
                spacing=4,
                tight=True,
            ),
        )

    async def _export(self, e: ft.Event) -> None:
        t = self.ctx.t
        fmt = e.control.data
        try:
            info = await self.svc.export_track(self.officer_id, fmt)
        except (SupervisionOffline, SupervisionError) as exc:
            self._say(failure_text(t, exc), True)
        else:
            self._say(t("sup_export_ready", fmt=fmt.upper()), False)
            self.downloads.controls = [c for c in self.downloads.controls if c.data != fmt]
            self.downloads.controls.append(download_control(t, fmt, info.url, info.path, f"download-{fmt}"))
        safe_update(self.ctx.page)

    def _say(self, text: str, error: bool) -> None:
        self.message.value, self.message.visible = text, True
        self.message.color = DANGER if error else PRIMARY
