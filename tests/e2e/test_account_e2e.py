"""Issue 9 in a real browser against `doorstep demo`: five wrong passwords end in the Vietnamese
lockout message (even the right password is then refused); the supervisor opens the officer's day,
sees the lockout and lifts it; the officer signs in."""

from __future__ import annotations

from e2ekit import ARTIFACTS, Proc, on_failure, texts, wait_text
from flet_pw import (
    CHROME_ARGS,
    CHROMIUM,
    block_external,
    click_button,
    ensure_visible,
    fill_text_field,
    open_flet_app,
)
from playwright.sync_api import Page, sync_playwright

from api_client import Client

OFFICER, SUPERVISOR, PASSWORD = "canbo.anphu", "giamsat.anphu", "doorstep123"


def _shot(page: Page, name: str) -> None:
    path = ARTIFACTS / "account" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def _sign_in(page: Page, username: str, password: str) -> None:
    fill_text_field(page, "Tên đăng nhập", username)
    fill_text_field(page, "Mật khẩu", password)
    click_button(page, "Đăng nhập")


def test_lockout_in_browser_and_supervisor_lifts_it(tmp_path, procs, port):
    server = Proc("demo", tmp_path / "server", port).start("/api/v1/health")
    procs.append(server)
    api = Client(server.url)
    api.login(SUPERVISOR, PASSWORD)
    officer_id = next(o.id for o in api.list_officers() if o.username == OFFICER)
    index = next(i for i, o in enumerate(api.board().officers) if o.id == officer_id)  # its row's place

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        try:
            phone = browser.new_context(viewport={"width": 420, "height": 860}, service_workers="block",
                                        locale="vi-VN").new_page()
            block_external(phone)
            open_flet_app(phone, server.url + "/")
            with on_failure(phone, lambda n: _shot(phone, n)):
                for _ in range(4):
                    _sign_in(phone, OFFICER, "sai-mat-khau")
                    wait_text(phone, "Sai tên đăng nhập hoặc mật khẩu")
                _sign_in(phone, OFFICER, "sai-mat-khau")
                wait_text(phone, "Tài khoản tạm khóa vì nhập sai mật khẩu nhiều lần")
                wait_text(phone, r"Thử lại sau \d\d:\d\d ngày \d\d/\d\d/\d{4} \(giờ Việt Nam\)")
                _shot(phone, "40-login-locked")
                _sign_in(phone, OFFICER, PASSWORD)  # refused too while locked
                wait_text(phone, "Tài khoản tạm khóa")
                assert len(api.audit_log(event="login_locked")) == 1

            desk = browser.new_context(viewport={"width": 1280, "height": 860}, service_workers="block",
                                       locale="vi-VN").new_page()
            block_external(desk)
            open_flet_app(desk, server.url + "/")
            with on_failure(desk, lambda n: _shot(desk, n)):
                _sign_in(desk, SUPERVISOR, PASSWORD)
                wait_text(desk, "Hôm nay: ")
                day = desk.get_by_role("button", name="Ngày làm việc").nth(index)
                ensure_visible(desk, day)
                day.click()
                wait_text(desk, "Tài khoản và thiết bị")
                wait_text(desk, r"Đang bị khóa đăng nhập đến \d\d:\d\d")
                _shot(desk, "40-supervisor-lockout")
                unlock = desk.get_by_role("button", name="Mở khóa đăng nhập")
                ensure_visible(desk, unlock)
                unlock.click()
                wait_text(desk, "Đã mở khóa đăng nhập")
                wait_text(desk, "Không bị khóa đăng nhập")
                assert not api.officer_lockout(officer_id).locked

            with on_failure(phone, lambda n: _shot(phone, n)):
                _sign_in(phone, OFFICER, PASSWORD)
                wait_text(phone, "Lộ trình hôm nay", timeout_ms=40_000)
                assert "Tài khoản tạm khóa" not in texts(phone)
        finally:
            browser.close()
