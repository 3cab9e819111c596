"""A bordered box for one photo: what it shows, whether it is taken, and the button to take it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from mobile.ui.theme import DANGER, OK, TOUCH


def photo_box(
    t: Callable[..., str], title: str, photo: dict | None, on_click: Any, key: str, data: Any = None
) -> ft.Control:
    """The photo row used by the document photos and the delivery's authorisation/handover photos."""
    status = ft.Text(
        t("photo_ok", kb=round(photo["size"] / 1024)) if photo else t("no_photo"),
        color=OK if photo else DANGER,
        weight=ft.FontWeight.BOLD,
    )
    return ft.Container(
        border=ft.Border.all(1, "#9E9E9E"),
        border_radius=8,
        padding=8,
        content=ft.Column(
            [
                ft.Text(title, weight=ft.FontWeight.BOLD),
                status,
                ft.OutlinedButton(
                    content=t("take_photo"),
                    icon=ft.Icons.PHOTO_CAMERA,
                    height=TOUCH,
                    data=data,
                    on_click=on_click,
                    key=key,
                ),
            ]
        ),
    )
