"""Citizen ID and phone rules."""

from __future__ import annotations

from datetime import date

import pytest

from api_client.domain.identity import IdentityError, birth_year_of, check_citizen_id, check_phone, is_male


def test_valid_ids_are_normalised() -> None:
    assert check_citizen_id("089085123456") == "089085123456"
    assert check_citizen_id("089 085 123 456") == "089085123456"
    assert check_citizen_id("089.305.000.001", birth_date=date(2005, 1, 2)) == "089305000001"
    assert birth_year_of("089305000001") == 2005
    assert is_male("089085123456") and not is_male("089185123456")


@pytest.mark.parametrize("value", ["08908512345", "0890851234567", "08908512345a", ""])
def test_wrong_length_or_letters(value: str) -> None:
    with pytest.raises(IdentityError, match="12 chữ số"):
        check_citizen_id(value)


@pytest.mark.parametrize("province", ["000", "097", "099"])
def test_unknown_province(province: str) -> None:
    with pytest.raises(IdentityError, match=f"Mã tỉnh {province}"):
        check_citizen_id(f"{province}085123456")


def test_boundary_provinces_are_accepted() -> None:
    assert check_citizen_id("001085123456")
    assert check_citizen_id("096085123456")


def test_century_digit_must_match_birth_date() -> None:
    with pytest.raises(IdentityError, match="không khớp ngày sinh"):
        check_citizen_id("089085123456", birth_date=date(2085, 1, 1))  # digit 0 = 1900s
    with pytest.raises(IdentityError, match="không khớp"):
        check_citizen_id("089285123456", birth_date=date(1985, 1, 1))  # digit 2 = 2000s
    assert check_citizen_id("089185123456", birth_date=date(1985, 12, 31))


def test_future_birth_year_is_refused() -> None:
    with pytest.raises(IdentityError, match="tương lai"):
        check_citizen_id("089499123456")  # 2199


@pytest.mark.parametrize(("raw", "expected"), [
    ("0912345678", "0912345678"), ("+84912345678", "0912345678"), ("84912345678", "0912345678"),
    ("091 234 5678", "0912345678"), ("(091) 234-5678", "0912345678"), ("+84 91 234 56 78", "0912345678"),
])
def test_phone_forms(raw: str, expected: str) -> None:
    assert check_phone(raw) == expected


@pytest.mark.parametrize("raw", ["912345678", "09123456789", "1912345678", "+8491234567", "", "09a2345678"])
def test_bad_phones(raw: str) -> None:
    with pytest.raises(IdentityError, match="10 chữ số"):
        check_phone(raw)
