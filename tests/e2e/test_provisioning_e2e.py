"""A new phone set up from the supervisor's provisioning QR, in a real browser.

The supervisor opens the provisioning QR on the board of `doorstep demo`; a phone (the web app
started with `doorstep app --first-run`, so it knows no server) gets the QR's text on its
first-run screen, keeps the address, and the demo officer logs in to the demo server through it.
"""

from __future__ import annotations

import re

from e2ekit import ARTIFACTS, Proc, on_failure, phone_page, wait_text
from flet_pw import (
    CHROME_ARGS,
    CHROMIUM,
    block_external,
    click_button,
    fill_text_field,
    free_port,
    open_flet_app,
)
from pickup_steps import login
from playwright.sync_api import Page, sync_playwright

from mobile.provisioning import parse_provisioning

SUPERVISOR, PASSWORD = "giamsat.anphu", "doorstep123"


def _shot(page: Page, name: str) -> None:
    path = ARTIFACTS / "provisioning" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)
    page.screenshot(path=str(path))


def _provisioning_text_on_the_board(url: str) -> str:
    """Log in as the demo supervisor, open the provisioning QR and read the text shown under it."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        ctx = browser.new_context(viewport={"width": 1280, "height": 860}, service_workers="block",
                                  locale="vi-VN")
        page = ctx.new_page()
        block_external(page)
        try:
            with on_failure(page, lambda name: _shot(page, f"sup-{name}")):
                open_flet_app(page, url + "/")
                fill_text_field(page, "Tên đăng nhập", SUPERVISOR)
                fill_text_field(page, "Mật khẩu", PASSWORD)
                click_button(page, "Đăng nhập")
                wait_text(page, "Hôm nay: ")
                click_button(page, "Mã cấp phát điện thoại")
                wait_text(page, "doorstep://provision")
                _shot(page, "01-supervisor-qr")
                snapshot = page.locator("flt-semantics-host").aria_snapshot()
        finally:
            browser.close()
    found = re.search(r"doorstep://provision\S+", snapshot)
    assert found, snapshot
    return found.group(0).rstrip("\"'")


def test_phone_set_up_from_the_supervisors_qr_logs_in(tmp_path, procs):
    server = Proc("demo", tmp_path / "server", free_port()).start("/api/v1/health")
    procs.append(server)
    phones = Proc("first-run", tmp_path / "phones", free_port()).start("/")
    procs.append(phones)

    text = _provisioning_text_on_the_board(server.url)
    assert parse_provisioning(text).server == server.url and parse_provisioning(text).unit

    with phone_page(10.871, 105.087, 10) as page:
        with on_failure(page, lambda name: _shot(page, f"phone-{name}")):
            open_flet_app(page, phones.url + "/")
            wait_text(page, "Cài đặt máy chủ")
            _shot(page, "02-first-run")
            fill_text_field(page, "Địa chỉ máy chủ hoặc mã cấp phát", text)
            click_button(page, "Lưu và kết nối")
            wait_text(page, "Đăng nhập cán bộ")
            wait_text(page, re.escape(f"Máy chủ hiện tại: {server.url}"))
            _shot(page, "03-login")
            login(page)  # the demo officer, on the demo server, through the provisioned address
            _shot(page, "04-route")
            # the address is the phone's own now: a reload opens the route, not the first-run screen
            page.reload()
            open_flet_app(page, phones.url + "/")
            wait_text(page, "Lộ trình hôm nay")
