"""Playwright helpers for driving a Flet (Flutter web) app in system Chromium."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlparse

from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 20) -> float:
    """Poll until the Flet server answers; returns seconds waited."""
    import urllib.request

    t0 = time.monotonic()
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return time.monotonic() - t0
        except Exception:
            pass
        if time.monotonic() - t0 > timeout:
            raise TimeoutError(url)
        time.sleep(0.05)


@contextlib.contextmanager
def flet_server(script: str, port: int, env: dict | None = None, log="server.log"):
    """Start `python script` (which calls ft.run(..., port=PORT)) and kill it by PID."""
    e = {**os.environ, "PORT": str(port), **(env or {})}
    with open(log, "w") as lf:
        p = subprocess.Popen(
            [sys.executable, script],
            env=e,
            stdout=lf,
            stderr=subprocess.STDOUT,
            cwd=os.path.dirname(script) or ".",
        )
    try:
        wait_http(f"http://127.0.0.1:{port}/")
        yield p
    finally:
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()


@contextlib.contextmanager
def browser_page(width=1000, height=800):
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        ctx = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
        page = ctx.new_page()
        page.external_requests = []  # anything not served by localhost
        page.console_lines = []

        def on_req(req):
            host = urlparse(req.url).hostname
            if host not in ("127.0.0.1", "localhost", None) and not req.url.startswith(("data:", "blob:")):
                page.external_requests.append(req.url)

        page.on("request", on_req)
        page.on("console", lambda m: page.console_lines.append(f"{m.type}: {m.text}"))
        try:
            yield page
        finally:
            browser.close()


def open_flet_app(page: Page, url: str, timeout_ms: int = 60_000):
    """Load the app, wait for Flutter's first frame and switch semantics on."""
    page.goto(url, wait_until="domcontentloaded")
    # index.html removes #loading on the 'flutter-first-frame' event
    page.wait_for_function("() => !document.getElementById('loading')", timeout=timeout_ms)
    enable_semantics(page, timeout_ms)


def enable_semantics(page: Page, timeout_ms: int = 30_000):
    """Flutter web builds no DOM for widgets until accessibility is switched on.
    The engine renders an off-screen <flt-semantics-placeholder> button; clicking it
    turns the semantics tree (flt-semantics elements with role/aria-label) on."""
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=timeout_ms)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    page.wait_for_selector("flt-semantics", state="attached", timeout=timeout_ms)


def click_button(page: Page, label: str, timeout_ms=10_000):
    page.get_by_role("button", name=label, exact=True).click(timeout=timeout_ms)


def ensure_visible(page: Page, locator, bottom_margin: int = 90, top_margin: int = 120) -> None:
    """Scroll Flutter's own scroll view with the mouse wheel until `locator` is inside the viewport.

    Playwright's automatic scrolling moves the semantics DOM but not the Flutter canvas, so a
    click would land on whatever is drawn there; a wheel event scrolls the real list instead.
    """
    height = page.viewport_size["height"]
    for _ in range(20):
        box = locator.bounding_box()
        if box is None:
            return
        if box["y"] + box["height"] > height - bottom_margin:
            dy = min(300, box["y"] + box["height"] - (height - bottom_margin) + 20)
        elif box["y"] < top_margin:
            dy = -min(300, top_margin - box["y"] + 20)
        else:
            return
        page.mouse.move(page.viewport_size["width"] / 2, height / 2)
        page.mouse.wheel(0, dy)
        page.wait_for_timeout(350)


def fill_text_field(page: Page, label: str, text: str, timeout_ms=10_000, replace: bool = True):
    """Flutter TextField -> <input aria-label=label>; typed, then checked (a click during the
    first frames can lose focus, so retry until the field really holds the text)."""
    box = page.get_by_role("textbox", name=label, exact=True)
    box.wait_for(state="attached", timeout=timeout_ms)
    ensure_visible(page, box)
    for _ in range(3):
        box.click(timeout=timeout_ms)
        page.wait_for_timeout(150)
        if replace:
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
        # typing goes to the focused <input> Flutter created for editing
        page.keyboard.type(text, delay=15)
        page.wait_for_timeout(150)
        try:
            if box.input_value(timeout=2000) == text:
                return
        except Exception:
            pass
    raise AssertionError(f"could not type into {label!r}")


def expect_text(page: Page, text: str, timeout_ms=10_000):
    expect(page.get_by_text(text, exact=True)).to_be_visible(timeout=timeout_ms)


def draw_stroke(page: Page, box: dict, rel_points, steps=8):
    """Draw one stroke inside `box` (from locator.bounding_box()); rel_points in 0..1."""
    pts = [(box["x"] + rx * box["width"], box["y"] + ry * box["height"]) for rx, ry in rel_points]
    page.mouse.move(*pts[0])
    page.mouse.down()
    for x, y in pts[1:]:
        page.mouse.move(x, y, steps=steps)
    page.mouse.up()


def block_external(page: Page):
    """Make the test hermetic: abort every request not aimed at localhost
    (flet-web 1.0.5 always tries jsDelivr for rive_native.js, even with no_cdn)."""
    import re

    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda r: r.abort())


def screen_texts(page: Page) -> list[str]:
    """All text currently exposed by the semantics tree (Text values, button labels)."""
    return [t.strip() for t in page.locator("flt-semantics").all_inner_texts() if t.strip()]
