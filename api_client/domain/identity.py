"""Citizen ID (căn cước, 12 digits) and Vietnamese mobile phone rules from the domain brief."""

from __future__ import annotations

import re
from datetime import date

from .clock import today_vn

# Province codes of birth registration, 001-096 (not every number in the range is used,
# but the brief only publishes the range, so we accept the range).
_PROVINCE_MIN, _PROVINCE_MAX = 1, 96
# Digit 4 encodes gender + century: 0/1 -> 1900s, 2/3 -> 2000s, 4/5 -> 2100s,
# 6/7 -> 2200s, 8/9 -> 1800s is NOT used by the brief ("8/9 later centuries"): 2300s.
_CENTURY_BY_DIGIT = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200,
                     8: 2300, 9: 2300}
_PHONE_RE = re.compile(r"^0\d{9}$")


class IdentityError(ValueError):
    """A citizen ID or phone number broke a rule: a machine `code` (+ `params`) that screens
    translate, and a Vietnamese message (str of the error) for API answers and logs."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def check_citizen_id(value: str, birth_date: date | None = None, today: date | None = None) -> str:
    """Return the normalised 12-digit citizen ID or raise IdentityError saying which rule failed."""
    digits = re.sub(r"[\s.-]", "", value or "")
    if not digits.isdigit() or len(digits) != 12:
        raise IdentityError("id_digits", "Số căn cước phải gồm đúng 12 chữ số.")
    province = int(digits[0:3])
    if not _PROVINCE_MIN <= province <= _PROVINCE_MAX:
        raise IdentityError(
            "id_province", f"Mã tỉnh {digits[0:3]} không hợp lệ, phải từ 001 đến 096.", province=digits[0:3]
        )
    birth_year = birth_year_of(digits)
    if birth_date is not None and birth_date.year != birth_year:
        raise IdentityError(
            "id_birth_mismatch",
            f"Số căn cước ứng với năm sinh {birth_year}, không khớp ngày sinh {birth_date:%d/%m/%Y}.",
            year=birth_year,
            birth=f"{birth_date:%d/%m/%Y}",
        )
    if birth_year > (today or today_vn()).year:
        raise IdentityError(
            "id_future", "Chữ số thế kỷ/giới tính và năm sinh cho ra năm sinh trong tương lai."
        )
    return digits


def birth_year_of(citizen_id: str) -> int:
    """Birth year encoded by digits 4-6 of a 12-digit citizen ID."""
    return _CENTURY_BY_DIGIT[int(citizen_id[3])] + int(citizen_id[4:6])


def is_male(citizen_id: str) -> bool:
    """Gender encoded by digit 4 (even = male)."""
    return int(citizen_id[3]) % 2 == 0


def check_phone(value: str) -> str:
    """Return the phone as 10 digits starting with 0 (accepts +84 / 84 forms) or raise."""
    raw = re.sub(r"[\s.()-]", "", value or "")
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) == 11:
        raw = "0" + raw[2:]
    if not _PHONE_RE.match(raw):
        raise IdentityError("phone_format", "Số điện thoại phải có 10 chữ số, bắt đầu bằng 0 (hoặc +84).")
    return raw
