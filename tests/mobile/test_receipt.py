"""The receipt PDF: readable Vietnamese (DejaVu), the dossier code and its lookup QR."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader

from mobile.receipt import ReceiptData, lookup_url, qr_base64, qr_png, receipt_pdf

CODE = "000.21.01.H01-261126-0007"


def _data() -> ReceiptData:
    return ReceiptData(
        dossier_code=CODE,
        unit_name="UBND xã An Phú",
        submitter_name="Nguyễn Thị Hường",
        submitter_address="Số 12, Ấp Phước Khánh, xã An Phú",
        submitter_phone="0912345678",
        submitter_id="089301000123",
        procedure_name="Chứng thực bản sao từ bản chính",
        sets=2,
        processing_time="Trong ngày",
        received_at="09:30 ngày 26/11/2026",
        appointment_at="17:00 ngày 26/11/2026",
        return_place="Tại nhà",
        officer_name="Nguyễn Văn Hùng",
        fee="6.000 ₫ (tiền mặt, biên lai BL-1)",
        documents=("Bản chính", "Bản sao"),
    )


def test_pdf_text_has_code_and_vietnamese():
    pdf = receipt_pdf(_data())
    assert pdf.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert f"Mã hồ sơ: {CODE}" in text
    for phrase in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Nguyễn Thị Hường",
        "Ấp Phước Khánh",
        "Hẹn trả kết quả",
        "Nơi trả kết quả",
        "Tại nhà",
        "CÁN BỘ TIẾP NHẬN",
        "Số bộ hồ sơ",
    ):
        assert phrase in text, phrase


def test_pdf_embeds_the_qr_image():
    reader = PdfReader(io.BytesIO(receipt_pdf(_data())))
    assert reader.pages[0].images  # the lookup QR


def test_qr_png_and_lookup_url():
    url = lookup_url(CODE, "https://tracuu.example.vn/tra-cuu/")
    assert url == f"https://tracuu.example.vn/tra-cuu?ma={CODE}"
    img = Image.open(io.BytesIO(qr_png(url)))
    assert img.size[0] == img.size[1] > 100
    assert qr_base64(url).startswith("iVBOR")  # base64 of a PNG signature


def test_without_a_lookup_page_the_qr_holds_the_bare_code():
    # the phone never invents an address: before the unit's settings arrive, the code alone
    assert lookup_url(CODE, None) == CODE
