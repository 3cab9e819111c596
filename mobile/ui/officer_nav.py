"""The field officer's main navigation: a labelled bottom bar (route, handovers) on the home screens."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

# (screen, icon, label key), in the bar's order
TABS: tuple[tuple[str, ft.IconData, str], ...] = (
    ("route", ft.Icons.ROUTE, "nav_route"),
    ("handovers", ft.Icons.SWAP_HORIZ, "handovers"),
)
SCREENS = {s for s, _, _ in TABS}


def frame(t: Callable[..., str], screen: str, content: ft.Control, go: Callable[[str], None]) -> ft.Control:
    """`content` above the bar; each tab is named in words under its icon (and for screen readers)."""

    def changed(e: ft.Event) -> None:
        go(TABS[int(e.control.selected_index or 0)][0])

    bar = ft.NavigationBar(
        selected_index=next(i for i, (s, _, _) in enumerate(TABS) if s == screen),
        destinations=[
            ft.NavigationBarDestination(icon=icon, label=t(label), tooltip=t(label))
            for _, icon, label in TABS
        ],
        label_behavior=ft.NavigationBarLabelBehavior.ALWAYS_SHOW,
        height=64,
        on_change=changed,
        key="officer-nav",
    )
    return ft.Column([ft.Container(content, expand=True), bar], expand=True, spacing=0)
