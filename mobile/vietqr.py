"""VietQR (NAPAS, EMVCo merchant-presented QR) payloads for a bank transfer with amount and note."""

from __future__ import annotations

import re
import unicodedata

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"  # transfer to a bank account (QRIBFTTC would be to a card)
CURRENCY_VND = "704"
COUNTRY_VN = "VN"


def crc16_ccitt(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) as 4 upper-case hex digits, as EMVCo requires."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"EMV field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def ascii_note(text: str, limit: int = 50) -> str:
    """Bank apps mangle diacritics in transfer notes: fold to plain ASCII letters/digits/-/space."""
    folded = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Mn")
    folded = re.sub(r"[^A-Za-z0-9 .\-]", " ", folded)
    return " ".join(folded.split())[:limit]


def vietqr_payload(
    bank_bin: str, account_no: str, amount_vnd: int | None = None, note: str | None = None
) -> str:
    """The EMVCo string a banking app scans: NAPAS BIN + account, VND amount, note, CRC16."""
    if not re.fullmatch(r"\d{6}", bank_bin):
        raise ValueError("bank BIN must be 6 digits")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", account_no):
        raise ValueError("account number must be 1-19 letters/digits")
    beneficiary = _tlv("00", bank_bin) + _tlv("01", account_no)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TO_ACCOUNT)
    amount = amount_vnd if amount_vnd is not None and amount_vnd > 0 else None  # None: a static QR
    dynamic = amount is not None
    parts = [
        _tlv("00", "01"),
        _tlv("01", "12" if dynamic else "11"),  # 12 = one-time (dynamic) QR with an amount
        _tlv("38", merchant),
        _tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(_tlv("54", str(int(amount))))
    parts.append(_tlv("58", COUNTRY_VN))
    if note:
        parts.append(_tlv("62", _tlv("08", ascii_note(note))))
    body = "".join(parts) + "6304"
    return body + crc16_ccitt(body)
