"""The officer's home: a compact route header (one row of statuses, kinds behind a button), 48 px
map markers, and the handovers screen in a labelled bottom navigation, counterpart first."""

from __future__ import annotations

import flet as ft
from uikit import click_key, login, officer_tab, shell, start_app


async def test_compact_header_one_row_of_filters(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    view = shell(h).view
    assert view.kind_row.visible is False and view.status_row.visible is not False
    assert view.status_row.wrap is False  # one row, scrolled sideways
    labels = [c.content for c in view.status_row.controls] + [c.content for c in view.kind_row.controls]
    assert len(labels) == len(set(labels)), labels  # no two chips say 'Tất cả'
    await click_key(h, "more-filters")
    assert view.kind_row.visible is True
    await click_key(h, "kind-delivery")
    assert all(r.kind == "delivery" for r in view.filtered())


async def test_map_markers_are_touch_sized(tmp_path, seeded_server):
    import flet_map as fm

    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    await click_key(h, "map-toggle")
    markers = [m for m in h.find_all(fm.Marker) if isinstance(m.content, ft.Container)]
    assert markers and all(m.width >= 44 and m.height >= 44 for m in markers)
    assert all(m.content.tooltip for m in markers)


async def test_handovers_in_the_labelled_bottom_navigation(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    nav = h.find(key="officer-nav")
    assert [d.label for d in nav.destinations] == ["Lộ trình", "Bàn giao"]
    await officer_tab(h, 1)
    assert shell(h).current[0] == "handovers"
    view = shell(h).view
    body = view.counterpart.parent
    order = body.controls
    assert order.index(view.counterpart) < order.index(view.lists)  # who first, then what
    assert h.find(key="officer-nav").selected_index == 1
    await officer_tab(h, 0)
    assert shell(h).current[0] == "route"


async def test_visit_actions_are_pinned_at_the_bottom(tmp_path, seeded_server):
    from uikit import pickup_row

    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    row = pickup_row(h)
    await click_key(h, f"visit-{row.visit_id}")
    start = h.find(key="start-pickup")
    scrolled = [c for c in h.find_all(ft.ListView) if start in _descendants(c)]
    assert not scrolled, "the start button scrolls away with the history"
    bar = start.parent.parent
    column = bar.parent
    assert isinstance(column, ft.Column) and column.controls[-1] is bar  # last: at the bottom


def _descendants(c) -> list:
    out = []
    for child in getattr(c, "controls", None) or []:
        out += [child, *_descendants(child)]
    content = getattr(c, "content", None)
    if isinstance(content, ft.Control):
        out += [content, *_descendants(content)]
    return out
