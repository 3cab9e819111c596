"""The delivery slip (biên nhận trả kết quả): who received which result, when, and their signature."""

from __future__ import annotations

from dataclasses import dataclass

from api_client.documents.pdf import FONT_FAMILY, new_pdf, pdf_bytes, signature_blocks, slip_heading


@dataclass
class DeliverySlipData:
    """Everything printed on the slip (strings already formatted for display)."""

    dossier_code: str
    unit_name: str
    result_document: str
    recipient_name: str
    recipient_id: str
    relationship: str  # '' when the applicant received it themself
    delivered_at: str
    fee: str
    officer_name: str
    recipient_signature: bytes | None = None  # PNG of the strokes drawn on the phone


def delivery_slip_pdf(d: DeliverySlipData) -> bytes:
    """The slip as PDF bytes (A4, DejaVu), with the recipient's captured signature."""
    pdf = new_pdf()
    w = pdf.epw
    slip_heading(pdf, d.unit_name, "BIÊN NHẬN TRẢ KẾT QUẢ TẠI NHÀ", d.dossier_code)
    rows = [
        ("Kết quả trao", d.result_document),
        ("Người nhận", d.recipient_name),
        ("Số CCCD", d.recipient_id),
    ]
    if d.relationship:
        rows.append(("Quan hệ với người nộp", d.relationship))
    rows += [("Thời gian trao", d.delivered_at), ("Lệ phí thu thêm", d.fee)]
    for label, value in rows:
        pdf.set_font(FONT_FAMILY, "B", 10.5)
        pdf.cell(55, 7, label + ":")
        pdf.set_font(FONT_FAMILY, "", 10.5)
        pdf.multi_cell(w - 55, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    signature_blocks(
        pdf,
        [("NGƯỜI NHẬN KẾT QUẢ", d.recipient_name, d.recipient_signature),
         ("CÁN BỘ TRẢ KẾT QUẢ", d.officer_name, None)],
        image_h=28,
        font_size=10,
    )
    return pdf_bytes(pdf)
