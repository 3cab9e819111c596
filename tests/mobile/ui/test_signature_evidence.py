"""The citizen signs under a summary of what they acknowledge, and the PDFs carry that signature."""

from __future__ import annotations

import io

from deliveryui import advance_delivery, open_delivery
from PIL import Image
from pypdf import PdfReader
from tests_receipt_data import sample_receipt
from uikit import (
    advance_to,
    click_key,
    current_step,
    finish_gps,
    joined,
    login,
    make_fix,
    pickup_row,
    shell,
    start_app,
)

from api_client.documents.signature_image import signature_png
from mobile.receipt import receipt_pdf
from mobile.ui.steps import PAD_H, PAD_W

STROKES = "20,40 15,5 15,20 15,-25 15,5 15,20 15,-25 15,5 15,20"


def _signature_images(pdf: bytes) -> list[Image.Image]:
    """Images of the PDF that have the signature pad's proportions (the QR code is square)."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for img in page.images:
            pil = img.image
            if abs(pil.width / pil.height - PAD_W / PAD_H) < 0.01:
                out.append(pil)
    return out


def _has_ink(img: Image.Image) -> bool:
    lo, _ = img.convert("L").getextrema()
    return lo < 80


def test_receipt_pdf_prints_the_signature_only_when_there_is_one():
    blank = receipt_pdf(sample_receipt())
    assert _signature_images(blank) == []
    data = sample_receipt()
    data.submitter_signature = signature_png(STROKES, PAD_W, PAD_H)
    [img] = _signature_images(receipt_pdf(data))
    assert _has_ink(img)


def test_signature_png_refuses_blank_or_broken_strokes():
    assert signature_png("", PAD_W, PAD_H) is None
    assert signature_png("not,strokes,at all", PAD_W, PAD_H) is None
    png = signature_png(STROKES, PAD_W, PAD_H)
    assert png and Image.open(io.BytesIO(png)).size == (PAD_W * 2, PAD_H * 2)


async def test_pickup_summary_then_receipt_with_the_signature(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    row = pickup_row(h)
    h.location.fix = make_fix(row.lat + 0.0002, row.lon)
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "start-pickup")
    await advance_to(h, 6)
    view = shell(h).view
    text = joined(h)
    assert h.find(key="signature-summary")
    assert "Người dân ký xác nhận nội dung sau" in text
    assert view.proc.name in text
    received = [d.name for d in view.proc.documents if view.draft.data["checklist"].get(d.code)]
    assert received and all(name in text for name in received)
    assert "Hẹn trả kết quả" in text and "Lệ phí" in text
    await advance_to(h, 7)
    await finish_gps(h)
    await click_key(h, "complete")
    assert current_step(h) == 8
    receipt = shell(h).services.pickup.receipt(row.visit_id)
    [img] = _signature_images(receipt.path.read_bytes())
    assert _has_ink(img)


async def test_delivery_slip_carries_the_recipients_signature(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server)
    await advance_delivery(h, row, 5)
    text = joined(h)
    assert h.find(key="signature-summary") and row.dossier_code in text and row.citizen_name in text
    await advance_delivery(h, row, 6)
    await finish_gps(h)
    await click_key(h, "complete")
    slip = shell(h).services.delivery.slip(row.visit_id)
    assert slip is not None
    pdf = slip.path.read_bytes()
    assert "BIÊN NHẬN TRẢ KẾT QUẢ" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    [img] = _signature_images(pdf)
    assert _has_ink(img)
    assert h.find(key="slip-pdf")
