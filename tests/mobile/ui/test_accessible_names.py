"""Every clickable control of every main screen has an accessible name (tooltip, label, text or
Semantics label), in Vietnamese by default and in English after the switch."""

from __future__ import annotations

import flet as ft
from a11y import accessible_name, unlabelled
from deliveryui import advance_delivery, delivery_row, dstep
from supkit import start_supervisor
from uikit import (
    advance_to,
    click_key,
    current_step,
    finish_gps,
    login,
    make_fix,
    pickup_row,
    shell,
    start_app,
    wait_until,
)


def _check(h, screen: str, seen: dict[str, list[str]]) -> None:
    seen[screen] = unlabelled(h)


def _assert_all_named(seen: dict[str, list[str]]) -> None:
    bad = {k: v for k, v in seen.items() if v}
    assert not bad, f"clickable controls without an accessible name: {bad}"


async def test_officer_screens_name_every_clickable_control(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    seen: dict[str, list[str]] = {}
    _check(h, "login", seen)
    await login(h)
    _check(h, "route", seen)
    await click_key(h, "map-toggle")
    _check(h, "route-map", seen)
    await click_key(h, "map-toggle")
    row = pickup_row(h)
    h.location.fix = make_fix(row.lat, row.lon)
    await click_key(h, f"visit-{row.visit_id}")
    _check(h, "detail-pickup", seen)
    await click_key(h, "start-pickup")
    for step in range(1, 8):
        await advance_to(h, step)
        if step == 7:
            await finish_gps(h)
        _check(h, f"pickup-{step}", seen)
    await click_key(h, "complete")
    assert current_step(h) == 8
    _check(h, "pickup-receipt", seen)
    for screen in ("handovers", "conflicts", "failed", "supplement"):
        params = {"visit_id": pickup_row(h).visit_id} if screen in ("failed", "supplement") else {}
        shell(h).go(screen, **params)
        await h.settle()
        if screen in ("failed", "supplement"):
            await wait_until(h, lambda: not shell(h).view.gps_busy, what="gps")
        _check(h, screen, seen)
    drow = delivery_row(h)
    h.location.fix = make_fix(drow.lat or 10.87, drow.lon or 105.08)
    shell(h).go("detail", visit_id=drow.visit_id)
    await h.settle()
    _check(h, "detail-delivery", seen)
    await click_key(h, "start-delivery")
    for step in range(1, 7):
        await advance_delivery(h, drow, step)
        assert dstep(h) == step
        _check(h, f"delivery-{step}", seen)
    await click_key(h, "lang")  # English: the names follow the language
    _check(h, "delivery-6-en", seen)
    _assert_all_named(seen)


async def test_icon_buttons_say_what_they_do(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    names = {accessible_name(b) for b in h.find_all(ft.IconButton)}
    for expected in ("Đăng xuất", "Cập nhật vị trí", "Lọc theo loại"):
        assert expected in names, names
    for b in h.find_all(ft.IconButton):  # a screen reader name, not only a hover tooltip
        sem = b.parent
        assert isinstance(sem, ft.Semantics) and sem.label == b.tooltip and sem.button and sem.on_tap


async def test_supervisor_screens_name_every_clickable_control(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup")
    seen: dict[str, list[str]] = {}
    for screen in ("sup_board", "sup_at_risk", "sup_dossiers", "sup_indicators"):
        shell(h).go(screen)
        await h.settle()
        _check(h, screen, seen)
    _assert_all_named(seen)


async def test_the_walker_catches_nameless_controls():
    from harness import AppHarness

    def main(page: ft.Page) -> None:
        page.add(
            ft.IconButton(ft.Icons.LOGOUT, on_click=lambda e: None, key="bare"),
            ft.Container(ft.Icon(ft.Icons.MAP), on_click=lambda e: None, key="bare-box"),
            ft.IconButton(ft.Icons.LOGOUT, tooltip="Đăng xuất", on_click=lambda e: None),
            ft.FilledButton(content="Lưu", on_click=lambda e: None),
        )

    h = await AppHarness(main).start()
    bad = unlabelled(h)
    assert len(bad) == 2 and "'bare'" in bad[0] and "'bare-box'" in bad[1]
