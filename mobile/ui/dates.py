"""Dates as Vietnamese users write them (dd/mm/yyyy), chosen with the platform's date picker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import flet as ft

from mobile.ui.context import ViewContext
from mobile.ui.theme import TOUCH


def show_date(value: str | date | None) -> str:
    """'2026-12-03' or a date -> '03/12/2026' ('' when empty or unreadable)."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    try:
        return date.fromisoformat((value or "").strip()).strftime("%d/%m/%Y")
    except ValueError:
        return value or ""


def date_button(
    ctx: ViewContext,
    label: str,
    value: str | None,
    on_pick: Callable[[str], None],
    key: str,
    first: date | None = None,
) -> ft.Control:
    """A 48 px button showing 'label: dd/mm/yyyy' that opens ft.DatePicker; `on_pick` gets ISO text."""
    t = ctx.t
    try:
        current = date.fromisoformat(value) if value else None
    except ValueError:
        current = None
    start = first or date(2000, 1, 1)

    def changed(e: ft.Event) -> None:
        picked = e.control.value
        if isinstance(picked, str):  # how the value may arrive over the wire
            try:
                picked = date.fromisoformat(picked[:10])
            except ValueError:
                return
        if isinstance(picked, datetime):
            picked = picked.date()
        if isinstance(picked, date):
            on_pick(picked.isoformat())

    picker = ft.DatePicker(
        value=current,
        first_date=start,
        last_date=start + timedelta(days=366 * 2),
        help_text=label,
        cancel_text=t("cancel"),
        confirm_text=t("ok"),
        field_hint_text="dd/mm/yyyy",
        on_change=changed,
        key=f"{key}-picker",
    )
    shown = show_date(current) if current else t("pick_date")
    return ft.OutlinedButton(
        content=f"{label}: {shown}",
        icon=ft.Icons.CALENDAR_MONTH,
        height=TOUCH,
        tooltip=t("pick_date"),
        on_click=lambda e: ctx.page.show_dialog(picker),
        key=key,
    )
