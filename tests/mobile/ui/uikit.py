"""Helpers for the client-less UI tests: start the real app in the harness, wait, test images.

`start_app(backend_url, data_dir, fix=..., photos=...)` runs mobile.app's main in the harness
with a fixed GPS position (or a GPS failure) and prepared photo bytes behind the service
interfaces; the store, the services, the HTTP client and the sync engine are the real ones.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from pathlib import Path

from harness import AppHarness
from PIL import Image

from api_client.domain.clock import current_clock, now_utc
from mobile.app import build_main
from mobile.services.location import Fix, FixedLocationService
from mobile.services.photos import BytesPhotoService

OFFICER = "canbo.anphu"
PASSWORD = "doorstep123"


def jpeg_bytes(w: int = 2400, h: int = 1800, color: tuple[int, int, int] = (200, 180, 160)) -> bytes:
    """A large JPEG like a phone camera makes (the app must shrink it)."""
    img = Image.new("RGB", (w, h), color)
    for x in range(0, w, 40):  # some detail so the JPEG is not trivially small
        for y in range(0, h, 200):
            img.putpixel((x, y), (0, 0, 0))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=92)
    return buf.getvalue()


async def wait_until(h: AppHarness, cond: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    """Let background work (threads, tasks) run until `cond()` holds; fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not cond():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or cond}; texts: {h.texts()[:40]}")
        await asyncio.sleep(0.05)
    await h.settle()


def make_fix(lat: float, lon: float, acc: float = 8.0) -> Fix:
    """A GPS fix at lat/lon."""
    return Fix(lat, lon, acc, now_utc())


async def start_app(
    backend_url: str,
    data_dir: Path,
    *,
    fix: Fix | None = None,
    gps_error: str | None = None,
    photos: list[bytes] | None = None,
    per_device: bool = False,
) -> AppHarness:
    """The real app in the harness; client storage answers like a fresh browser."""
    clock = current_clock()  # the test's clock: the phone and the test server read the same time
    location = FixedLocationService(fix, gps_error, clock=clock)
    photo_service = BytesPhotoService(*(photos if photos is not None else [jpeg_bytes()]))
    main = build_main(
        backend_url,
        data_dir,
        location_factory=lambda: location,
        photo_factory=lambda: photo_service,
        per_device=per_device,
        auto_sync=False,
        clock=clock,
    )
    prefs: dict[str, object] = {}

    def pref_get(args):
        return prefs.get(args["key"])

    def pref_set(args):
        prefs[args["key"]] = args["value"]
        return True

    h = AppHarness(main, method_results={"get": pref_get, "set": pref_set})
    h.location, h.photos, h.prefs = location, photo_service, prefs
    await h.start()
    return h


# -- driving the app --------------------------------------------------------------------
import flet as ft  # noqa: E402


async def set_value(h: AppHarness, key: str, value) -> None:
    """Patch a control's value as the client does, then send its change event."""
    c = h.find(key=key)
    h.session.apply_patch(c._i, {"value": value})
    await h.fire(c, "change", value if not isinstance(value, bool) else str(value).lower())


async def type_key(h: AppHarness, key: str, text: str) -> None:
    """Type into the TextField with this key."""
    await h.type_text(h.find(key=key), text)


async def click_key(h: AppHarness, key: str) -> None:
    """Click the control with this key."""
    await h.click(h.find(key=key))


async def officer_tab(h: AppHarness, index: int) -> None:
    """Pick a tab of the officer's bottom navigation (0 route, 1 handovers) as the client does."""
    nav = h.find(key="officer-nav")
    h.session.apply_patch(nav._i, {"selected_index": index})
    await h.fire(nav, "change", str(index))


def shell(h: AppHarness):
    """The app shell (mobile.app.Shell) of a harness."""
    return h.page.data


def joined(h: AppHarness) -> str:
    """Every text on screen, joined."""
    return " | ".join(h.texts())


async def login(h: AppHarness, user: str = OFFICER, password: str = PASSWORD, wait_sync: bool = True) -> None:
    """Log in through the form and wait for the first sync."""
    await h.type_text(h.find(ft.TextField, label="Tên đăng nhập"), user)
    await h.type_text(h.find(ft.TextField, label="Mật khẩu"), password)
    await click_key(h, "login-btn")
    if wait_sync:
        s = shell(h).services.sync.state
        await wait_until(h, lambda: s.last_success_at is not None and not s.syncing, what="first sync")


def pickup_row(h: AppHarness, procedure: str = "khai_sinh"):
    """An open pickup on today's route with a located household (prefers `procedure`)."""
    rows = [
        r for r in shell(h).services.route.rows() if r.kind == "pickup" and r.is_open and r.lat is not None
    ]
    rows.sort(key=lambda r: r.procedure_code != procedure)
    assert rows, "no open pickup on the route"
    return rows[0]


def current_step(h: AppHarness) -> int:
    """1-based step number shown in the pickup header."""
    import re

    for t in h.texts():
        m = re.match(r"Bước (\d)/8", t)
        if m:
            return int(m.group(1))
    raise AssertionError(joined(h))


async def sign(h: AppHarness, points: int = 14) -> None:
    """Draw one stroke on the signature pad, as the Flutter client reports pan events."""
    gd = h.find(ft.GestureDetector)

    def pt(x, y):
        return {"k": "mouse", "l": {"x": x, "y": y}, "g": {"x": x, "y": y}}

    await h.fire(gd, "pan_start", pt(20, 40))
    for i in range(1, points):
        await h.fire(gd, "pan_update", {**pt(20 + i * 15, 40 + (i % 3) * 25), "ld": {"x": 15, "y": 5}})
    await h.fire(gd, "pan_end", {**pt(20 + points * 15, 60), "v": {"x": 0, "y": 0}})


async def advance_to(h: AppHarness, step: int) -> None:
    """From the visit's pickup screen, fill steps correctly until `step` (1-based) is shown."""
    view = shell(h).view
    proc = view.proc
    while current_step(h) < step:
        n = current_step(h)
        if n == 1:
            await set_value(h, "confirm-id", True)
        elif n == 2:
            for d in proc.documents:
                if d.required:
                    await set_value(h, f"doc-{d.code}", True)
        elif n == 3:
            for d in view.svc.collected(proc, view.draft.data.get("checklist", {})):
                await click_key(h, f"photo-{d.code}")
        elif n == 4:
            for f in proc.form_fields:
                if not f.required:
                    continue
                if f.kind == "choice":
                    await click_key(h, f"choice-{f.key}-{f.choices[0]}")
                else:
                    val = {
                        "date": "01/11/2026",
                        "citizen_id": "089301000123",
                        "phone": "0912345678",
                        "number": "3",
                    }.get(f.kind, "Nguyễn Văn Bé")
                    await type_key(h, f"field-{f.key}", val)
        elif n == 5:
            if proc.fee.fee_for(1) > 0:
                await click_key(h, "pay-cash")
                await type_key(h, "field-receipt_no", "BL-42")
        elif n == 6:
            await sign(h)
            await set_value(h, "officer-confirm", True)
        await click_key(h, "next")
        assert current_step(h) == n + 1, joined(h)


# -- shared by the pickup and delivery flow tests ----------------------------------------
async def finish_gps(h: AppHarness) -> None:
    """Wait until the GPS step has its fix (or its error) and is no longer busy."""
    view = shell(h).view

    def done() -> bool:
        gps = view.draft.data.get("gps", {})
        return not view.gps_busy and bool(gps.get("fix") or gps.get("error"))

    await wait_until(h, done, what="gps")


def recorded_event(h: AppHarness, visit_id: int):
    """The one outbox event the visit's flow recorded."""
    from mobile.store import outbox

    [event] = outbox.items(shell(h).services.db, visit_id=visit_id)
    return event


async def pushed(h: AppHarness, visit_id: int) -> None:
    """Wait until the sync engine has sent the visit's event to the server."""
    from mobile.store import outbox

    db = shell(h).services.db
    await wait_until(h, lambda: outbox.items(db, visit_id=visit_id)[0].state == "sent", what="push")


async def bad_signatures_are_refused(h: AppHarness, step: Callable[[AppHarness], int], at: int) -> None:
    """On the signature step `at`: none, then a tick, are refused; a real signature moves on."""
    await set_value(h, "officer-confirm", True)
    await click_key(h, "next")
    assert step(h) == at and "Chưa có chữ ký" in joined(h)
    await sign(h, points=3)  # a tick, not a signature
    await click_key(h, "next")
    assert step(h) == at and "Chữ ký quá ngắn" in joined(h)
    await click_key(h, "clear-signature")
    await sign(h)
    await click_key(h, "next")
    assert step(h) == at + 1


async def resume_in_new_process(
    data_dir: Path, row, flow: str, label: str, step: Callable[[AppHarness], int], at: int
) -> AppHarness:
    """The app was killed at step `at`: a new process on the same store (offline) resumes there."""
    h2 = await start_app("http://127.0.0.1:9", data_dir, fix=make_fix(row.lat, row.lon))
    assert "Lộ trình hôm nay" in h2.texts()
    await click_key(h2, f"visit-{row.visit_id}")
    assert h2.find(key=f"start-{flow}").content == label
    await click_key(h2, f"start-{flow}")
    assert step(h2) == at
    return h2


NO_FIX_REASON = {"fix": None, "warnings": ["no_fix"], "reason": "no_gps_permission"}


def record_failed(h: AppHarness, visit_id: int, reason: str = "nobody_home", gps: dict | None = None) -> str:
    """Record a failed visit through the outcome service (no GPS: with the explicit reason)."""
    svc = shell(h).services.outcomes
    draft = svc.load(visit_id)
    draft.data["gps"] = dict(gps or NO_FIX_REASON)
    return svc.report_failed(draft, reason)
