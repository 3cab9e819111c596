"""VietQR payloads: EMVCo fields, CRC-16/CCITT-FALSE, diacritics folded out of the note."""

from __future__ import annotations

import pytest

from mobile.vietqr import ascii_note, crc16_ccitt, vietqr_payload


def test_crc16_check_value():
    # the standard check value of CRC-16/CCITT-FALSE
    assert crc16_ccitt("123456789") == "29B1"


def test_known_vietqr_payload():
    # published example (VietinBank BIN 970415, 120,000 VND, note "ủng hộ lũ lụt")
    expected = (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
        "530370454061200005802VN62170813ung ho lu lut6304C15C"
    )
    assert vietqr_payload("970415", "0011001932418", 120000, "ủng hộ lũ lụt") == expected


def test_crc_covers_the_whole_payload():
    p = vietqr_payload("970405", "7600201000888", 20000, "LE PHI 000.21.01.H01-261118-0005")
    assert p[-8:-4] == "6304" and crc16_ccitt(p[:-4]) == p[-4:]
    assert "540520000" in p and "5802VN" in p


def test_static_qr_without_amount():
    p = vietqr_payload("970405", "7600201000888")
    assert p.startswith("000201010211") and "54" not in p.split("5303704")[1][:2]


def test_note_is_plain_ascii():
    assert ascii_note("Lệ phí Đăng ký #12") == "Le phi Dang ky 12"


@pytest.mark.parametrize("bin_,acct", [("97041", "1"), ("970415", ""), ("970415", "x" * 20)])
def test_bad_inputs(bin_, acct):
    with pytest.raises(ValueError):
        vietqr_payload(bin_, acct)
