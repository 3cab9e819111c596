"""A real browser (Debian Chromium) doing a whole pickup against `doorstep demo` (seeded API + web UI).

Then everything is checked THROUGH THE API: the visit completed with signature, GPS fix and
photo hashes, the dossier in status 2, and the receipt PDF carrying the dossier code.
"""

from __future__ import annotations

import io
import time

import httpx
from e2ekit import ARTIFACTS, SCREENSHOTS, Proc
from flet_pw import CHROME_ARGS, CHROMIUM, block_external, click_button, open_flet_app
from pickup_steps import (
    Shots,
    do_pickup,
    login,
    make_jpeg,
    open_visit,
    pick_target,
    receipt_url,
    texts,
    wait_text,
)
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from api_client import Client


def _wait_completed(api: Client, visit_id: int, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while True:
        v = api.get_visit(visit_id)
        if v.status.value == "completed":
            return v
        assert time.monotonic() < deadline, f"visit {visit_id} still {v.status}"
        time.sleep(0.5)


def test_pickup_in_browser(tmp_path, procs, port):
    server = Proc("demo", tmp_path / "server", port).start("/api/v1/health")
    procs.append(server)
    api = Client(server.url)
    api.login("canbo.anphu", "doorstep123")
    target = pick_target(api)
    photo = tmp_path / "giay-to.jpg"
    make_jpeg(photo)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        ctx = browser.new_context(
            viewport={"width": 420, "height": 860},
            service_workers="block",
            locale="vi-VN",
            geolocation={
                "latitude": target.citizen.lat + 0.0002,
                "longitude": target.citizen.lon,
                "accuracy": 12,
            },
            permissions=["geolocation"],
        )
        page = ctx.new_page()
        block_external(page)
        shot = Shots(page, ARTIFACTS / "pickup", SCREENSHOTS)
        try:
            open_flet_app(page, server.url + "/")
            shot("01-login")
            login(page)
            page.wait_for_timeout(1000)
            shot("02-route")
            click_button(page, "Bản đồ")  # tiles are blocked here: markers and the route still draw
            page.wait_for_timeout(1500)
            shot("02b-map")
            click_button(page, "Danh sách")
            wait_text(page, "Tìm tên")
            open_visit(page, target)
            shot("03-detail")
            shas, typed = do_pickup(page, target, photo, shot)
            url = receipt_url(page)
        except Exception:
            shot("zz-failure")
            print(texts(page))
            raise
        finally:
            browser.close()

    v = _wait_completed(api, target.visit.id)
    ev = v.evidence["visit.pickup_completed"]
    assert ev["signature"]["strokes"] and ev["signature"]["signer_name"] == target.citizen.full_name
    fix = ev["gps"]["fix"]
    assert fix and abs(fix["lat"] - (target.citizen.lat + 0.0002)) < 1e-4 and ev["gps"]["warnings"] == []
    # every field landed where it was typed (dates are normalised to DD/MM/YYYY)
    assert {k: ev["form"].get(k) for k in typed} == typed
    photo_shas = {p["sha256"] for p in ev["photos"]}
    assert photo_shas == set(shas)
    for sha in photo_shas:
        assert api.get_blob(sha)  # the server holds the bytes, and they hash to the id
    d = api.get_dossier(target.dossier.id)
    assert int(d.status) == 2 and d.received_at

    assert "/receipts/" in url
    pdf = httpx.get(url, timeout=10)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert target.dossier.code in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
