"""The supervisor's navigation: a rail on a wide window, a bottom bar on a phone."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from mobile.ui.theme import PRIMARY

# (screen, icon, label key): the order of the rail / bar
TABS: tuple[tuple[str, ft.IconData, str], ...] = (
    ("sup_board", ft.Icons.MAP, "nav_board"),
    ("sup_at_risk", ft.Icons.WARNING_AMBER, "nav_at_risk"),
    ("sup_indicators", ft.Icons.BAR_CHART, "nav_indicators"),
    ("handovers", ft.Icons.SWAP_HORIZ, "handovers"),
    ("sup_dossiers", ft.Icons.FOLDER_OPEN, "nav_dossiers"),  # last: the other tabs keep their index
)
SCREENS = {s for s, _, _ in TABS} | {"sup_officer"}


def tab_index(screen: str) -> int:
    """Which tab a screen belongs to (an officer's day sits under the board)."""
    screen = "sup_board" if screen == "sup_officer" else screen
    return next((i for i, (s, _, _) in enumerate(TABS) if s == screen), 0)


def frame(
    t: Callable[..., str], screen: str, content: ft.Control, wide: bool, go: Callable[[str], None]
) -> ft.Control:
    """`content` with the supervisor's navigation beside (wide) or below (narrow) it."""

    def changed(e: ft.Event) -> None:
        go(TABS[int(e.control.selected_index or 0)][0])

    index = tab_index(screen)
    if wide:
        rail = ft.NavigationRail(
            selected_index=index,
            label_type=ft.NavigationRailLabelType.ALL,
            min_width=96,
            destinations=[ft.NavigationRailDestination(icon=icon, label=t(label)) for _, icon, label in TABS],
            on_change=changed,
            indicator_color="#D6E0F5",
            key="sup-nav",
        )
        return ft.Row(
            [rail, ft.VerticalDivider(width=1, color=PRIMARY), ft.Container(content, expand=True)],
            expand=True,
            spacing=0,
            vertical_alignment=ft.CrossAxisAlignment.STRETCH,
        )
    bar = ft.NavigationBar(
        selected_index=index,
        destinations=[ft.NavigationBarDestination(icon=icon, label=t(label)) for _, icon, label in TABS],
        on_change=changed,
        key="sup-nav",
    )
    return ft.Column([ft.Container(content, expand=True), bar], expand=True, spacing=0)
