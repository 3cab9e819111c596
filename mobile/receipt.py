"""The receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) as PDF, with its QR."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import qrcode
from fpdf import FPDF

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
    # the public lookup page of the commune (server's unit settings); None before the first sync
    lookup_base: str | None = None


def lookup_url(dossier_code: str, base: str | None) -> str:
    """What the QR encodes: the lookup page for this dossier code, or the bare code without a page.

    The page comes from the server's settings for the unit; a phone that has none yet never
    invents one, and the desk's reader accepts a bare code (qr_reader.code_from_text).
    """
    if not base:
        return dossier_code
    return f"{base.rstrip('/')}?ma={quote(dossier_code)}"


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
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
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
    y = pdf.get_y()
    half = w / 2
    pdf.set_font("DejaVu", "B", 8.5)
    pdf.set_xy(pdf.l_margin, y)
    pdf.cell(half, 5, "NGƯỜI NỘP HỒ SƠ", align="C")
    pdf.cell(half, 5, "CÁN BỘ TIẾP NHẬN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    pdf.ln(12)
    pdf.cell(half, 5, r.submitter_name, align="C")
    pdf.cell(half, 5, r.officer_name, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.ln(3)
    lookup = lookup_url(r.dossier_code, r.lookup_base)
    qr = io.BytesIO(qr_png(lookup))
    size = 28
    if pdf.get_y() + size > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y()
    pdf.image(qr, x=pdf.l_margin, y=top, w=size, h=size)
    pdf.set_xy(pdf.l_margin + size + 3, top + 6)
    pdf.set_font("DejaVu", "", 7.5)
    pdf.multi_cell(
        w - size - 3, 4, "Quét mã QR để tra cứu tình trạng hồ sơ:\n" + lookup
    )
    return bytes(pdf.output())
