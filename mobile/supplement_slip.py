"""The supplement request slip (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ): what the citizen must bring."""

from __future__ import annotations

from dataclasses import dataclass

from api_client.documents.pdf import FONT_FAMILY, new_pdf, pdf_bytes, signature_blocks, slip_heading


@dataclass
class SupplementSlipData:
    """Everything printed on the slip (strings already formatted for display)."""

    dossier_code: str
    unit_name: str
    citizen_name: str
    address: str
    procedure_name: str
    missing: tuple[str, ...]  # document names
    note: str
    proposed_date: str  # dd/mm/yyyy, or '' when the desk will call
    issued_at: str
    officer_name: str


def supplement_slip_pdf(d: SupplementSlipData) -> bytes:
    """The slip as PDF bytes (A4, DejaVu): the list of documents to prepare and when to expect us."""
    pdf = new_pdf()
    w = pdf.epw
    slip_heading(pdf, d.unit_name, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", d.dossier_code)
    for label, value in (("Kính gửi", d.citizen_name), ("Địa chỉ", d.address), ("Thủ tục", d.procedure_name)):
        pdf.set_font(FONT_FAMILY, "B", 10.5)
        pdf.cell(35, 7, label + ":")
        pdf.set_font(FONT_FAMILY, "", 10.5)
        pdf.multi_cell(w - 35, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, "B", 10.5)
    pdf.multi_cell(w, 7, "Hồ sơ cần bổ sung các giấy tờ sau:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 10.5)
    for i, name in enumerate(d.missing, 1):
        pdf.multi_cell(w, 7, f"{i}. {name}", new_x="LMARGIN", new_y="NEXT")
    if d.note:
        pdf.ln(1)
        pdf.multi_cell(w, 7, f"Ghi chú: {d.note}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    when = (f"Cán bộ sẽ quay lại nhận hồ sơ ngày {d.proposed_date}." if d.proposed_date
            else "Bộ phận một cửa sẽ liên hệ để hẹn ngày nhận hồ sơ.")
    pdf.multi_cell(w, 7, when, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(w, 7, f"Lập lúc {d.issued_at}.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    signature_blocks(pdf, [("NGƯỜI DÂN", d.citizen_name, None), ("CÁN BỘ", d.officer_name, None)],
                     image_h=22, font_size=10)
    return pdf_bytes(pdf)
