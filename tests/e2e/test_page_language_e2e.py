"""In a real browser with every non-local request blocked: the app's page declares Vietnamese
(`<html lang="vi">`, English after the switch), and /api/docs renders Swagger UI from the backend's
own files."""

from __future__ import annotations

from e2ekit import Proc, phone_page, wait_text
from flet_pw import click_button, free_port, open_flet_app


def test_page_language_and_offline_api_docs(tmp_path, procs):
    server = Proc("demo", tmp_path / "server", free_port()).start("/api/v1/health")
    procs.append(server)
    with phone_page(10.87, 105.09, 10, locale="en-US") as page:  # an English browser: the app stays vi
        failed: list[str] = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        open_flet_app(page, server.url + "/")
        wait_text(page, "Đăng nhập cán bộ")
        page.wait_for_function("() => document.documentElement.lang === 'vi'", timeout=20_000)
        click_button(page, "English")
        wait_text(page, "Officer sign-in")
        page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=20_000)

        failed.clear()
        page.goto(server.url + "/api/docs", wait_until="load")
        page.wait_for_selector(".swagger-ui .information-container .title", timeout=20_000)
        assert "Doorstep API" in page.inner_text(".swagger-ui .information-container .title")
        assert page.locator(".opblock").count() > 10  # the operations were read from /api/openapi.json
        assert failed == []  # nothing was fetched from outside (it would have been blocked)
