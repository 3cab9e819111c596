"""PDF of the phiếu xin lỗi và hẹn lại ngày trả kết quả (fpdf2 + DejaVu)."""

from __future__ import annotations

from dataclasses import dataclass

from api_client.documents.pdf import FONT_FAMILY, new_pdf, pdf_bytes

from ..services.clock import VN_TZ, parse_iso

TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"


@dataclass(frozen=True)
class ApologyForm:
    """What the form prints."""

    commune: str  # 'xã An Phú'
    citizen_name: str
    dossier_code: str
    procedure_name: str
    received_at: str | None
    previous_appointment_at: str
    new_appointment_at: str
    reason: str
    signer: str
    created_at: str


def _day(value: str | None) -> str:
    return f"{parse_iso(value).astimezone(VN_TZ):%d/%m/%Y}" if value else "…"


def _clock(value: str | None) -> str:
    return f"{parse_iso(value).astimezone(VN_TZ):%H giờ %M, ngày %d/%m/%Y}" if value else "…"


def render_apology(form: ApologyForm) -> bytes:
    """The apology form as an A4 PDF."""
    pdf = new_pdf()
    w = pdf.epw
    pdf.set_font(FONT_FAMILY, "B", 11)
    for line in (f"ỦY BAN NHÂN DÂN {form.commune.upper()}", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
        pdf.multi_cell(w, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT_FAMILY, "B", 14)
    pdf.multi_cell(w, 8, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, "", 12)
    paragraphs = [
        f"Kính gửi: {form.citizen_name}",
        f"Ngày {_day(form.received_at)}, Bộ phận tiếp nhận và trả kết quả {form.commune} tiếp nhận hồ sơ "
        f"mã số {form.dossier_code} về thủ tục: {form.procedure_name}; hẹn trả kết quả ngày "
        f"{_day(form.previous_appointment_at)}.",
        f"Tuy nhiên đến nay hồ sơ chưa giải quyết xong. Lý do: {form.reason}",
        "Sự chậm trễ này đã gây phiền hà cho ông/bà. Bộ phận tiếp nhận và trả kết quả thành thật xin lỗi "
        f"và hẹn trả kết quả vào {_clock(form.new_appointment_at)}.",
        "Mong ông/bà thông cảm.",
    ]
    for text in paragraphs:
        pdf.multi_cell(w, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(6)
    for line in (f"Ngày {_day(form.created_at)}", "NGƯỜI LẬP PHIẾU", form.signer):
        pdf.multi_cell(w, 7, line, align="R", new_x="LMARGIN", new_y="NEXT")
    return pdf_bytes(pdf)
