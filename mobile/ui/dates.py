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


def date_picker(
    ctx: ViewContext,
    label: str,
    current: date | None,
    on_pick: Callable[[str], None],
    key: str,
    first: date,
    last: date,
) -> ft.DatePicker:
    """The platform date picker (calendar, or typed dd/mm/yyyy in its input mode); ISO to `on_pick`."""
    t = ctx.t

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

    inside = current if current and first <= current <= last else None
    picker = ft.DatePicker(
        first_date=first,
        last_date=last,
        help_text=label,
        cancel_text=t("cancel"),
        confirm_text=t("ok"),
        field_hint_text="dd/mm/yyyy",
        on_change=changed,
        key=f"{key}-picker",
    )
    if inside:
        picker.value = inside
        picker.current_date = inside
    return picker


def parse_shown(value: str | None) -> date | None:
    """'03/12/2026' or '2026-12-03' -> a date, else None."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime((value or "").strip(), fmt).date()
        except ValueError:
            continue
    return None


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
    current = parse_shown(value)
    start = first or date(2000, 1, 1)
    picker = date_picker(ctx, label, current, on_pick, key, start, start + timedelta(days=366 * 2))
    shown = show_date(current) if current else t("pick_date")
    return ft.OutlinedButton(
        content=f"{label}: {shown}",
        icon=ft.Icons.CALENDAR_MONTH,
        height=TOUCH,
        tooltip=t("pick_date"),
        on_click=lambda e: ctx.page.show_dialog(picker),
        key=key,
    )
