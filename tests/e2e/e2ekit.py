"""Helpers of the browser tests: paths, server subprocesses stopped by PID, a phone-sized browser,
the signature pad, downloads, and waiting for the server to record a visit."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from flet_pw import CHROME_ARGS, CHROMIUM, block_external, draw_stroke, screen_texts, wait_http
from playwright.sync_api import Page, sync_playwright

from api_client import Client
from api_client.domain.clock import now_utc

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARTIFACTS = ROOT / "test-artifacts"
# The docs' screenshots are refreshed only on request (`make screenshots`), so a test run
# never dirties the work tree; otherwise the small copies land beside the other artifacts.
SCREENSHOTS = (ROOT / "docs" / "screenshots" if os.environ.get("DOORSTEP_UPDATE_SCREENSHOTS")
               else ARTIFACTS / "docs-screenshots")


class Proc:
    """A server subprocess started by the test and stopped by its PID.

    `seeded_template` (set once per session by the e2e conftest): a demo database seeded at the
    tests' pinned day. Demo and API servers start from a copy of it, so `doorstep demo` finds its
    data already seeded instead of spending ~13 s seeding again.
    """

    seeded_template: Path | None = None

    def __init__(self, mode: str, data: Path, port: int, backend_url: str = "", log: Path | None = None):
        self.mode, self.data, self.port, self.backend_url = mode, data, port, backend_url
        self.log = log or (ARTIFACTS / f"{mode}-{port}.log")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Base URL."""
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        """The real CLI: `doorstep demo` (API + web UI), `--no-web-ui`, `doorstep app [--first-run]`.

        The server's business clock starts where the test's clock stands (`--now`), so the demo's
        "today" is the test's pinned day, not the machine's.
        """
        exe = [sys.executable, "-m", "backend.cli", "--now", now_utc().isoformat()]
        net = ["--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(self.data)]
        if self.mode == "demo":
            return [*exe, "demo", *net]
        if self.mode == "api":
            return [*exe, "demo", "--no-web-ui", *net]
        if self.mode == "app":
            return [*exe, "app", "--backend-url", self.backend_url, *net]
        if self.mode == "first-run":  # the web app with no preset server: tabs set up like new phones
            return [*exe, "app", "--first-run", *net]
        raise ValueError(self.mode)

    def start(self, ready_path: str = "/") -> Proc:
        """Start and wait until `ready_path` answers 200."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        db_file = self.data / "doorstep.db"
        if self.mode in ("demo", "api") and self.seeded_template and not db_file.exists():
            self.data.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.seeded_template, db_file)
        env = {**os.environ, "DOORSTEP_SYNC_INTERVAL": "5", "PYTHONPATH": str(ROOT)}
        with open(self.log, "a") as lf:
            self.proc = subprocess.Popen(
                self.command(), stdout=lf, stderr=subprocess.STDOUT, cwd=str(ROOT), env=env
            )
        wait_http(self.url + ready_path, timeout=60)
        return self

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


@contextlib.contextmanager
def phone_page(lat: float, lon: float, accuracy: float, locale: str | None = "vi-VN") -> Iterator[Page]:
    """Chromium sized like a phone, standing at (lat, lon), external requests blocked; closed after."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        ctx = browser.new_context(
            viewport={"width": 420, "height": 860},
            service_workers="block",
            geolocation={"latitude": lat, "longitude": lon, "accuracy": accuracy},
            permissions=["geolocation"],
            **({"locale": locale} if locale else {}),
        )
        page = ctx.new_page()
        block_external(page)
        try:
            yield page
        finally:
            browser.close()


@contextlib.contextmanager
def on_failure(page: Page, shot: Callable[[str], None], snapshot: bool = False) -> Iterator[None]:
    """A failing step leaves a screenshot and the screen's texts (and the accessibility tree)."""
    try:
        yield
    except Exception:
        shot("zz-failure")
        print(texts(page))
        if snapshot:
            print(page.locator("flt-semantics-host").aria_snapshot())
        raise


def wait_text(page: Page, pattern: str, timeout_ms: int = 20_000) -> None:
    """Wait until the app's accessibility snapshot (texts, group labels) matches `pattern` (a regex)."""
    deadline = page.evaluate("Date.now()") + timeout_ms
    while True:
        snap = page.locator("flt-semantics-host").aria_snapshot()
        if re.search(pattern, snap):
            return
        if page.evaluate("Date.now()") > deadline:
            raise AssertionError(f"{pattern!r} not shown:\n{snap}")
        page.wait_for_timeout(200)


def texts(page: Page) -> str:
    """All visible text, joined (for assertion messages)."""
    return " | ".join(screen_texts(page))[:2000]


def sign_pad(page: Page) -> None:
    """Draw two strokes on the signature pad and wait until the app counted them."""
    pad = page.locator('[flt-semantics-identifier="signature-pad"]')
    # no scroll_into_view here: it scrolls the semantics DOM but not Flutter's canvas, so the
    # box would no longer match the pixels (the viewport is tall enough for the pad)
    page.wait_for_timeout(500)
    box = pad.bounding_box()
    assert box and box["width"] > 200, box
    draw_stroke(page, box, [(0.1, 0.7), (0.2, 0.2), (0.35, 0.75), (0.5, 0.3), (0.6, 0.6)])
    draw_stroke(page, box, [(0.65, 0.8), (0.9, 0.25)])
    wait_text(page, "Đã ký: 2 nét")


def requested_url(page: Page, press: Callable[[], Any], fragment: str, what: str) -> str:
    """Press a download button and return the URL the browser requested (containing `fragment`)."""
    seen: list[str] = []
    page.context.on("request", lambda r: seen.append(r.url) if fragment in r.url else None)
    press()
    deadline = page.evaluate("Date.now()") + 15_000
    while not seen and page.evaluate("Date.now()") < deadline:
        page.wait_for_timeout(200)
    assert seen, f"{what} opened nothing"
    return seen[-1]


def wait_completed(api: Client, visit_id: int, timeout: float = 60.0) -> Any:
    """The visit once the server holds it as completed (the phone syncs in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        v = api.get_visit(visit_id)
        if v.status.value == "completed":
            return v
        assert time.monotonic() < deadline, f"visit {visit_id} still {v.status}"
        time.sleep(0.5)
