"""Formatting and small widgets the supervisor screens share (times, ages, rates, legends)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import flet as ft

from api_client.models.supervision import STATUS_COLOURS
from mobile.services.supervision import SupervisionOffline
from mobile.ui.theme import TOUCH, big_button

WIDE = 900  # px: from here the supervisor screens put panels side by side and use a rail
TRACK_COLOUR = "#6A1B9A"  # the actual track: purple, unlike any status colour
PLAN_COLOUR = "#00838F"  # the planned route: teal, dashed


def hhmm(iso: str | None) -> str:
    """A server timestamp (UTC) as Vietnam wall time '07:32' ('' when unknown)."""
    from api_client.domain.clock import VN_TZ

    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(VN_TZ).strftime("%H:%M")
    except ValueError:
        return ""


def age_text(t: Callable[..., str], minutes: int | None) -> str:
    """'vừa xong' / '5 phút trước' / '2 giờ trước' / '3 ngày trước'."""
    if minutes is None:
        return t("sup_no_position")
    if minutes < 1:
        return t("sup_age_now")
    if minutes < 60:
        return t("sup_age_min", n=minutes)
    if minutes < 24 * 60:
        return t("sup_age_hour", n=minutes // 60)
    return t("sup_age_day", n=minutes // (24 * 60))


def duration_text(t: Callable[..., str], seconds: int | None) -> str:
    """'12 phút' / '1 giờ 05 phút' ('' when unknown)."""
    if seconds is None:
        return ""
    m = max(0, seconds) // 60
    return t("sup_minutes", n=m) if m < 60 else t("sup_hours_minutes", h=m // 60, m=f"{m % 60:02d}")


def km_text(metres: float | None) -> str:
    """'2,9 km' / '350 m' (Vietnamese decimal comma)."""
    if metres is None:
        return ""
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.1f} km".replace(".", ",")


def pct(rate: float | None) -> str:
    """0.302 -> '30,2%'; None (nothing to divide by) -> '—'."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%".replace(".", ",")


def dot(colour: str, size: int = 14) -> ft.Control:
    """A coloured circle (legend swatch)."""
    return ft.Container(width=size, height=size, bgcolor=colour, border_radius=size / 2)


def status_legend(t: Callable[..., str]) -> ft.Control:
    """Visit colours by status plus the two lines (actual track, planned route)."""
    items: list[ft.Control] = []
    for status, colour in STATUS_COLOURS.items():
        items.append(
            ft.Row([dot(colour), ft.Text(t(f"sup_legend_{status}"), size=13)], spacing=4, tight=True)
        )
    items.append(
        ft.Row(
            [ft.Container(width=26, height=4, bgcolor=TRACK_COLOUR), ft.Text(t("sup_legend_track"), size=13)],
            spacing=4,
            tight=True,
        )
    )
    items.append(
        ft.Row(
            [
                ft.Row([ft.Container(width=7, height=4, bgcolor=PLAN_COLOUR) for _ in range(3)], spacing=3),
                ft.Text(t("sup_legend_plan"), size=13),
            ],
            spacing=4,
            tight=True,
        )
    )
    return ft.Row(items, wrap=True, spacing=14, run_spacing=4, key="legend")


def chip(label: str, selected: bool, on_click, key: str) -> ft.Control:
    """A filter/tab button (filled when selected), as on the officer's route screen."""
    return big_button(label, on_click, primary=selected, key=key)


def safe_update(page: ft.Page) -> None:
    """page.update() that survives a closed tab or a view already replaced."""
    try:
        page.update()
    except Exception:  # noqa: BLE001 - the supervisor navigated away or closed the tab
        pass


def screen(controls: list[ft.Control], spacing: int = 8) -> ft.Control:
    """A supervisor screen: one scrolling column with the screens' common padding."""
    return ft.Container(
        expand=True,
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        content=ft.ListView(controls, spacing=spacing, expand=True),
    )


def failure_text(t: Callable[..., str], exc: Exception) -> str:
    """What to tell the supervisor when an online call failed: offline, or the server's refusal."""
    if isinstance(exc, SupervisionOffline):
        return t("sup_offline")
    return f"{t('err_server')} ({getattr(exc, 'detail', exc)})"


def export_buttons(
    t: Callable[..., str], formats: tuple[str, ...], label: str, on_click, key: str
) -> list[ft.Control]:
    """One outlined button per export format; `label` and `key` are prefixes the format ends."""
    return [
        ft.OutlinedButton(
            content=t(f"{label}{fmt}"),
            icon=ft.Icons.DOWNLOAD,
            height=TOUCH,
            on_click=on_click,
            data=fmt,
            key=f"{key}{fmt}",
        )
        for fmt in formats
    ]


def download_control(t: Callable[..., str], fmt: str, url: str | None, path: object, key: str) -> ft.Control:
    """An export, fetched: its download button (web), else where the file was saved (data = format)."""
    if url:
        return ft.FilledButton(
            content=t("sup_download", fmt=fmt.upper()),
            icon=ft.Icons.DOWNLOAD,
            height=TOUCH,
            url=url,
            data=fmt,
            key=key,
        )
    return ft.Text(t("sup_file_saved", path=str(path)), size=12, selectable=True, data=fmt)


def pager_controls(t: Callable[..., str], page: int, total: int, page_size: int,
                   on_step: Callable[[int], ft.ControlEventHandler[ft.OutlinedButton]],
                   key: str) -> list[ft.Control]:
    """Previous / 'page p of n' / next, the same on every paginated supervisor list."""
    pages = max(1, -(-total // page_size))
    return [
        ft.OutlinedButton(content=t("sup_prev"), icon=ft.Icons.CHEVRON_LEFT, height=TOUCH,
                          disabled=page <= 1, on_click=on_step(-1), key=f"{key}-prev"),
        ft.Text(t("sup_page", p=page, n=pages, total=total), key=f"{key}-page"),
        ft.OutlinedButton(content=t("sup_next"), icon=ft.Icons.CHEVRON_RIGHT, height=TOUCH,
                          disabled=page >= pages, on_click=on_step(1), key=f"{key}-next"),
    ]


def confirm_dialog(
    page: ft.Page,
    title: str,
    controls: list[ft.Control],
    cancel_label: str,
    cancel_key: str,
    width: int,
    ok_label: str | None = None,
    on_ok=None,
    ok_key: str | None = None,
    scroll: ft.ScrollMode | None = None,
) -> ft.AlertDialog:
    """A modal dialog: a title, a tight column of controls, cancel (closes it) and an optional OK."""
    actions: list[ft.Control] = [
        ft.TextButton(content=cancel_label, on_click=lambda ev: page.pop_dialog(), key=cancel_key)
    ]
    if ok_label is not None:
        actions.append(ft.FilledButton(content=ok_label, on_click=on_ok, key=ok_key))
    return ft.AlertDialog(
        modal=True,
        title=ft.Text(title),
        content=ft.Column(controls, tight=True, scroll=scroll, width=width),
        actions=actions,
    )
