"""PDF of the phiếu kiểm soát quá trình giải quyết hồ sơ (fpdf2 + DejaVu)."""

from __future__ import annotations

from api_client.documents.pdf import FONT_FAMILY, new_pdf, pdf_bytes
from api_client.models import TrackingLog, TrackingRowKind

from ..services.clock import VN_TZ, parse_iso

TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
OUTCOME_LABELS = {"early": "sớm hạn", "on_time": "đúng hạn", "late": "quá hạn"}
KIND_LABELS = {TrackingRowKind.HANDOVER: "Giao/nhận hồ sơ", TrackingRowKind.PICKUP: "Nhận hồ sơ tại nhà",
               TrackingRowKind.DELIVERY: "Trả kết quả tại nhà",
               TrackingRowKind.DELIVERY_FAILED: "Trả không thành công"}
HEADINGS = ("Giao/nhận", "Thời gian", "Người giao", "Người nhận", "Kết quả", "Ghi chú")
WIDTHS = (28, 24, 30, 30, 18, 40)  # mm, sums to the 170 mm text width of A4 with 20 mm margins


def local_time(value: str | None) -> str:
    """'HH:MM dd/mm/yyyy' in commune time, or an empty string."""
    if not value:
        return ""
    return f"{parse_iso(value).astimezone(VN_TZ):%H:%M %d/%m/%Y}"


def render_tracking_log(log: TrackingLog) -> bytes:
    """The tracking log as an A4 PDF with one table row per custody row."""
    pdf = new_pdf()
    w = pdf.epw
    pdf.set_font(FONT_FAMILY, "B", 14)
    pdf.multi_cell(w, 8, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "", 11)
    lines = [f"Mã hồ sơ: {log.dossier_code}", f"Thủ tục: {log.procedure_name}",
             f"Người nộp: {log.citizen_name}", f"Hẹn trả kết quả: {local_time(log.appointment_at)}"]
    if log.original_appointment_at and log.original_appointment_at != log.appointment_at:
        lines.append(f"Hẹn ban đầu: {local_time(log.original_appointment_at)} (đã xin lỗi, hẹn lại)")
    for line in lines:
        pdf.multi_cell(w, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "", 8)
    with pdf.table(col_widths=WIDTHS, text_align="LEFT", line_height=4.5) as table:
        head = table.row()
        for heading in HEADINGS:
            head.cell(heading)
        for r in log.rows:
            row = table.row()
            confirmations = ""
            if r.kind == TrackingRowKind.HANDOVER:
                confirmations = (f" (giao xác nhận {local_time(r.giver_confirmed_at) or 'chưa'}; "
                                 f"nhận xác nhận {local_time(r.receiver_confirmed_at) or 'chưa'})")
            for text in (KIND_LABELS[r.kind], local_time(r.at), r.from_name, r.to_name,
                         OUTCOME_LABELS.get(r.outcome.value, "") if r.outcome else "",
                         (r.note or "") + confirmations):
                row.cell(text)
    return pdf_bytes(pdf)
