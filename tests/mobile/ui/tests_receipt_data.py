"""A sample receipt for tests that need one."""

from __future__ import annotations

from mobile.receipt import ReceiptData


def sample_receipt() -> ReceiptData:
    """A filled receipt with Vietnamese text."""
    return ReceiptData(
        dossier_code="000.21.01.H01-261126-0007",
        unit_name="UBND xã An Phú",
        submitter_name="Nguyễn Thị Hường",
        submitter_address="Số 12, Ấp Phước Khánh",
        submitter_phone="0912345678",
        submitter_id="089301000123",
        procedure_name="Đăng ký khai sinh",
        sets=1,
        processing_time="Trong ngày",
        received_at="09:30 ngày 26/11/2026",
        appointment_at="17:00 ngày 26/11/2026",
        return_place="Tại nhà",
        officer_name="Nguyễn Văn Hùng",
    )
