"""A real browser (Debian Chromium) returning a marriage certificate at home to an authorised person.

The result is made ready THROUGH THE API (a supervisor moves a kết hôn dossier to 9; the server
plans the delivery visit for the hamlet officer), the officer delivers it in Chromium with the
congratulation letter, and everything is checked THROUGH THE API afterwards: dossier 10 with
returned_at and on_time, the visit's evidence, and the delivery row of the tracking log.
"""

from __future__ import annotations

import io

import httpx
from delivery_setup import ready_delivery
from delivery_steps import DeliveryShots, do_delivery, download_url, login_as, open_delivery_visit
from e2ekit import ARTIFACTS, SCREENSHOTS, Proc, on_failure, phone_page, wait_completed, wait_text
from flet_pw import open_flet_app
from pickup_steps import make_jpeg
from pypdf import PdfReader

from api_client import Client
from api_client.models import TrackingRowKind

RECIPIENT = {"name": "Lê Thị Ủy Quyền", "id": "089301000123", "relationship": "Mẹ chồng"}


def test_delivery_to_authorised_person_in_browser(tmp_path, procs, port):
    server = Proc("demo", tmp_path / "server", port).start("/api/v1/health")
    procs.append(server)
    ready = ready_delivery(server.url, "ket_hon")
    api = Client(server.url)
    api.login(ready.username, ready.password)
    citizen = api.get_citizen(ready.visit.citizen_id)
    paper = tmp_path / "giay-uy-quyen.jpg"
    make_jpeg(paper, color=(235, 230, 215))

    with phone_page(citizen.lat + 0.0002, citizen.lon, 12) as page:
        shot = DeliveryShots(page, ARTIFACTS / "delivery", SCREENSHOTS)
        with on_failure(page, shot, snapshot=True):
            open_flet_app(page, server.url + "/")
            login_as(page, ready.username, ready.password)
            open_delivery_visit(page, ready.dossier.code)
            shot("20-delivery-detail")
            do_delivery(page, ready.dossier.code, RECIPIENT, paper, shot)
            letter_url = download_url(page, "Tải Thư chúc mừng (PDF)")
            wait_completed(api, ready.visit.id)
            tap_back = page.get_by_role("button", name="Về lộ trình", exact=True)
            tap_back.click()
            open_delivery_visit_done(page, ready.dossier.code)
            wait_text(page, "Phiếu kiểm soát")
            page.get_by_role("button", name="Phiếu kiểm soát", exact=True).click()
            wait_text(page, "Trả kết quả tại nhà", 30_000)
            shot("27-delivery-tracking-log")
            tracking_pdf_url = download_url(page, "Tải PDF")

    v = wait_completed(api, ready.visit.id)
    ev = v.evidence["visit.delivery_completed"]
    assert (
        ev["recipient"]["kind"] == "authorised"
        and ev["recipient"]["relationship"] == RECIPIENT["relationship"]
    )
    assert ev["recipient"]["authorisation_photo"] and api.get_blob(ev["recipient"]["authorisation_photo"])
    assert ev["letter_handed"] is True and ev["receipt_code"] == ready.dossier.code
    assert ev["signature"]["strokes"] and ev["signature"]["signer_name"] == RECIPIENT["name"]
    fix = ev["gps"]["fix"]
    assert fix and abs(fix["lat"] - (citizen.lat + 0.0002)) < 1e-4 and ev["gps"]["warnings"] == []
    d = api.get_dossier(ready.dossier.id)
    assert int(d.status) == 10 and d.returned_at and d.on_time is not None
    log = api.tracking_log(ready.dossier.id)
    rows = [r for r in log.rows if r.kind == TrackingRowKind.DELIVERY]
    assert rows and rows[-1].visit_id == ready.visit.id and rows[-1].to_name

    letter = httpx.get(letter_url, timeout=10)
    assert letter.status_code == 200 and letter.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(letter.content)).pages[0].extract_text()
    assert "THƯ CHÚC MỪNG" in text and ready.dossier.code in text
    pdf = httpx.get(tracking_pdf_url, timeout=10)
    assert (
        pdf.status_code == 200
        and ready.dossier.code in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    )


def open_delivery_visit_done(page, dossier_code: str) -> None:
    """Back on the route: show finished visits too, then open this one's detail."""
    wait_text(page, "Lộ trình hôm nay")
    page.get_by_role("button", name="Mọi trạng thái", exact=True).click()
    page.wait_for_timeout(300)
    from flet_pw import fill_text_field

    fill_text_field(page, "Tìm tên, mã hồ sơ, số CCCD, địa chỉ", dossier_code)
    card = page.locator("flt-semantics").filter(has_text=dossier_code).last
    card.wait_for(state="attached", timeout=20_000)
    page.wait_for_timeout(300)
    card.click()
