"""Problems the phone finds itself (a visit taken away, a photo lost, no GPS) are stored as codes and
said in the officer's language: no English gloss on the Vietnamese screen, no Vietnamese in English."""

from __future__ import annotations

import pytest

from mobile.i18n import EN, VI, Translator, location_error_text, problem_text
from mobile.services.location import LOCATION_ERRORS, LocationError
from mobile.sync.engine import PHOTO_LOST, TOMBSTONE_MESSAGES


@pytest.mark.parametrize("stored", [*TOMBSTONE_MESSAGES.values(), PHOTO_LOST, "code:visit_taken_away"])
def test_phone_made_problems_have_both_languages(stored: str) -> None:
    vi, en = problem_text(Translator(VI).t, stored), problem_text(Translator(EN).t, stored)
    assert not vi.startswith(("code:", "problem_")) and not en.startswith(("code:", "problem_"))
    assert vi != en and "(" not in vi  # a Vietnamese sentence with no English in brackets
    assert not any(ch in en for ch in "ạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ")


def test_a_servers_message_is_shown_as_the_server_worded_it() -> None:
    assert problem_text(Translator(EN).t, "Số căn cước xác nhận không khớp hồ sơ") == (
        "Số căn cước xác nhận không khớp hồ sơ")


def test_gps_errors_by_code() -> None:
    vi, en = Translator(VI).t, Translator(EN).t
    for code in LOCATION_ERRORS:
        err = LocationError(code)
        assert err.code == code and str(err) == LOCATION_ERRORS[code]
        assert location_error_text(vi, err.code) == LOCATION_ERRORS[code]
        assert location_error_text(en, err.code) != LOCATION_ERRORS[code]
    other = LocationError("gps_failed", "kCLErrorDenied")
    assert location_error_text(en, other.code, other.detail) == "GPS error: kCLErrorDenied"
    legacy = LocationError("Hết thời gian chờ GPS")  # free text from an old caller: shown as it is
    assert location_error_text(vi, legacy.code, legacy.detail) == "Hết thời gian chờ GPS"
