"""Dossier codes `<unit id>-<YYMMDD>-<NNNN>` (Circular 01/2018/TT-VPCP art. 19)."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime

DOSSIER_CODE_RE = re.compile(r"^(?P<unit>[0-9A-Z.]+)-(?P<day>\d{6})-(?P<seq>\d{4})$")
# The receipt's QR opens the public lookup page with this token, not the guessable dossier code.
LOOKUP_TOKEN_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"


def new_lookup_token() -> str:
    """A fresh unguessable lookup token (128 random bits, URL-safe): made by the phone at a pickup
    (the receipt is printed offline) or by the server for dossiers registered any other way."""
    return secrets.token_urlsafe(16)


def make_dossier_code(unit_code: str, day: date, sequence: int) -> str:
    """Build a dossier code; sequence is the unit's 1-based count for that day."""
    if not 1 <= sequence <= 9999:
        raise ValueError("sequence must be 1..9999")
    return f"{unit_code}-{day:%y%m%d}-{sequence:04d}"


def parse_dossier_code(code: str) -> tuple[str, date, int]:
    """Split a dossier code into unit, day and sequence, or raise ValueError."""
    m = DOSSIER_CODE_RE.match(code or "")
    if not m:
        raise ValueError(f"Mã hồ sơ '{code}' sai định dạng <đơn vị>-<YYMMDD>-<NNNN>")
    day = datetime.strptime(m["day"], "%y%m%d").date()
    return m["unit"], day, int(m["seq"])
