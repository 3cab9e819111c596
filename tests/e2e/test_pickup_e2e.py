"""A real browser (Debian Chromium) doing a whole pickup against `doorstep demo` (seeded API + web UI).

Then everything is checked THROUGH THE API: the visit completed with signature, GPS fix and
photo hashes, the dossier in status 2, and the receipt PDF carrying the dossier code and the
signature, served only with the right credentials.
"""

from __future__ import annotations

import io

import httpx
from e2ekit import ARTIFACTS, SCREENSHOTS, Proc, on_failure, phone_page, wait_completed, wait_text
from flet_pw import click_button, open_flet_app
from pickup_steps import (
    Shots,
    do_pickup,
    login,
    make_jpeg,
    open_handovers,
    open_visit,
    pick_target,
    receipt_url,
)
from pypdf import PdfReader

from api_client import Client


def test_pickup_in_browser(tmp_path, procs, port):
    server = Proc("demo", tmp_path / "server", port).start("/api/v1/health")
    procs.append(server)
    api = Client(server.url)
    api.login("canbo.anphu", "doorstep123")
    target = pick_target(api)
    photo = tmp_path / "giay-to.jpg"
    make_jpeg(photo)

    with phone_page(target.citizen.lat + 0.0002, target.citizen.lon, 12) as page:
        shot = Shots(page, ARTIFACTS / "pickup", SCREENSHOTS)
        with on_failure(page, shot):
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
            open_handovers(page)  # reachable from the main navigation by its label
            page.wait_for_timeout(800)
            shot("13-handovers")

    v = wait_completed(api, target.visit.id)
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
    # the citizen's signature drawn in the browser is printed in the slip (beside the square QR)
    images = [img.image for img in PdfReader(io.BytesIO(pdf.content)).pages[0].images]
    assert any(im.width > im.height * 1.5 and im.convert("L").getextrema()[0] < 80 for im in images)
    # the link works only with the ticket the officer's screen issued, or the right API token
    bare = url.split("?")[0]
    assert httpx.get(bare, timeout=10).status_code == 401
    other = Client(server.url)
    other.login("canbo.vinhhau", "doorstep123")
    assert httpx.get(bare, headers={"Authorization": f"Bearer {other.token}"}, timeout=10).status_code == 403
    boss = Client(server.url)
    boss.login("giamsat.anphu", "doorstep123")
    assert httpx.get(bare, headers={"Authorization": f"Bearer {boss.token}"}, timeout=10).status_code == 200
