"""The receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) as PDF, with its QR."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

import qrcode
from fpdf import FPDF

from api_client.documents.pdf import signature_blocks

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"

RETURN_PLACES = {"desk": "Tại Bộ phận Một cửa", "home": "Tại nhà", "post": "Qua dịch vụ bưu chính"}


@dataclass
class ReceiptData:
    """Everything printed on the slip (strings already formatted for display)."""

    dossier_code: str
    unit_name: str
    submitter_name: str
    submitter_address: str
    submitter_phone: str
    submitter_id: str
    procedure_name: str
    sets: int
    processing_time: str
    received_at: str
    appointment_at: str
    return_place: str
    officer_name: str
    fee: str = ""
    documents: tuple[str, ...] = ()
    lookup: str = ""  # what the QR encodes: the public lookup page with this dossier's token
    submitter_signature: bytes | None = None  # PNG of the strokes the citizen drew on the phone
    officer_note: str = "Đã xác nhận trên thiết bị"  # the officer attests with a tick, not a drawing


def qr_png(data: str, box_size: int = 6) -> bytes:
    """PNG bytes of a QR code for `data`."""
    img = qrcode.make(data, box_size=box_size, border=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def qr_base64(data: str) -> str:
    """Base64 PNG of a QR code (for ft.Image on the screen)."""
    return base64.b64encode(qr_png(data)).decode("ascii")


def receipt_pdf(r: ReceiptData) -> bytes:
    """The slip as PDF bytes, set in DejaVu so Vietnamese diacritics print correctly."""
    pdf = FPDF(format=(148, 210))  # A5 in mm
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(True, margin=10)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    w = pdf.epw

    pdf.set_font("DejaVu", "B", 9)
    pdf.multi_cell(w, 5, r.unit_name.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(
        w,
        4,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(w, 6, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(w, 6, f"Mã hồ sơ: {r.dossier_code}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    rows = [
        ("Người nộp", r.submitter_name),
        ("Địa chỉ", r.submitter_address),
        ("Số điện thoại", r.submitter_phone or "-"),
        ("Số CCCD", r.submitter_id),
        ("Thủ tục", r.procedure_name),
        ("Số bộ hồ sơ", str(r.sets)),
        ("Thời hạn giải quyết", r.processing_time),
        ("Thời gian tiếp nhận", r.received_at),
        ("Hẹn trả kết quả", r.appointment_at),
        ("Nơi trả kết quả", r.return_place),
    ]
    if r.fee:
        rows.append(("Lệ phí", r.fee))
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 8.5)
        pdf.cell(38, 5, label + ":")
        pdf.set_font("DejaVu", "", 8.5)
        pdf.multi_cell(w - 38, 5, value, new_x="LMARGIN", new_y="NEXT")
    if r.documents:
        pdf.set_font("DejaVu", "B", 8.5)
        pdf.cell(w, 5, "Giấy tờ đã nhận:", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8.5)
        for doc in r.documents:
            pdf.multi_cell(w, 4.5, f"- {doc}", new_x="LMARGIN", new_y="NEXT")

    pdf.ln(3)
    signature_blocks(
        pdf,
        [
            ("NGƯỜI NỘP HỒ SƠ", r.submitter_name, r.submitter_signature),
            ("CÁN BỘ TIẾP NHẬN", r.officer_name, None),
        ],
    )
    if r.officer_note:
        pdf.set_font("DejaVu", "", 7)
        pdf.set_x(pdf.l_margin + w / 2)
        note = f"({r.officer_note} lúc {r.received_at})"
        pdf.cell(w / 2, 4, note, align="C", new_x="LMARGIN", new_y="NEXT")

    if r.lookup:  # a slip rendered without its token has no QR rather than a wrong one
        pdf.ln(3)
        qr = io.BytesIO(qr_png(r.lookup))
        size = 28
        if pdf.get_y() + size > pdf.h - pdf.b_margin:
            pdf.add_page()
        top = pdf.get_y()
        pdf.image(qr, x=pdf.l_margin, y=top, w=size, h=size)
        pdf.set_xy(pdf.l_margin + size + 3, top + 6)
        pdf.set_font("DejaVu", "", 7.5)
        pdf.multi_cell(
            w - size - 3, 4, "Quét mã QR để tra cứu tình trạng hồ sơ:\n" + r.lookup
        )
    return bytes(pdf.output())
