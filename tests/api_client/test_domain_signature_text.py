"""Signature encoding and diacritic folding."""

from __future__ import annotations

import math

import pytest

from api_client.domain.signature import decode_strokes, encode_strokes, ink_length, signature_problem
from api_client.domain.text import fold, matches


def _signature() -> list[list[tuple[float, float]]]:
    """Two strokes, 120 points in all, like a real signature on a 400x200 pad."""
    s1 = [(20 + i * 4.1, 100 + 40 * math.sin(i / 5)) for i in range(70)]
    s2 = [(60 + i * 5.3, 150 - 30 * math.cos(i / 4)) for i in range(50)]
    return [s1, s2]


def test_round_trip_keeps_integer_points() -> None:
    strokes = _signature()
    decoded = decode_strokes(encode_strokes(strokes))
    assert len(decoded) == 2
    for original, got in zip(strokes, decoded):
        expected = []
        for x, y in original:
            p = (round(x), round(y))
            if not expected or expected[-1] != p:
                expected.append(p)
        assert got == expected


def test_a_two_stroke_120_point_signature_is_under_1kb() -> None:
    assert len(encode_strokes(_signature()).encode()) < 1024


def test_empty_and_trivial_signatures_are_refused() -> None:
    assert signature_problem("") == "Chưa có chữ ký"
    assert signature_problem(encode_strokes([[(1, 1), (2, 2)]])) is not None
    assert signature_problem("1,2 x,3") == "Chữ ký bị lỗi định dạng"
    assert signature_problem(encode_strokes(_signature())) is None
    assert ink_length(decode_strokes("0,0 3,4")) == 5.0


@pytest.mark.parametrize(("raw", "expected"), [
    ("Nguyễn Văn A", "nguyen van a"), ("Đặng", "dang"), ("  Trần   Thị  Bình ", "tran thi binh"),
    ("ĐỖ ĐỨC ĐẠT", "do duc dat"), ("", ""),
])
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_matches_every_word_in_any_field() -> None:
    assert matches("dang cuong", "Đặng Văn Cường", None)
    assert not matches("dang binh", "Đặng Văn Cường", "089085123456")
    assert matches("0890851", "Đặng Văn Cường", "089085123456")
