"""One language per screen: service and domain errors are codes the screen translates, never a
Vietnamese message with an English gloss; the sync bar's words match the connection state."""

from __future__ import annotations

import re
from pathlib import Path

from uikit import (
    click_key,
    current_step,
    joined,
    login,
    make_fix,
    pickup_row,
    set_value,
    shell,
    start_app,
    type_key,
)

from api_client.domain.signature import SIGNATURE_PROBLEMS
from mobile.i18n import EN, STRINGS, VI, Translator
from mobile.services.location import LOCATION_ERRORS

ROOT = Path(__file__).resolve().parents[3]
VI_LETTERS = set("àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ")
CODE = re.compile(r'"((?:err|id|sig|gps)_[a-z_]+|phone_format)"')


def test_every_error_code_of_services_and_domain_is_translated():
    sources = [*ROOT.joinpath("mobile", "services").glob("*.py"),
               *ROOT.joinpath("api_client", "domain").glob("*.py")]
    codes = {c for p in sources for c in CODE.findall(p.read_text(encoding="utf-8"))}
    codes |= set(SIGNATURE_PROBLEMS) | set(LOCATION_ERRORS)
    assert {"id_digits", "id_province", "phone_format", "err_receipt_code_mismatch"} <= codes
    assert not codes - set(STRINGS), f"codes without a translation: {sorted(codes - set(STRINGS))}"


def test_no_string_carries_a_gloss_in_the_other_language():
    for key, (vi, en) in STRINGS.items():
        if key != "switch_lang":  # the switch names the other language on purpose
            assert not VI_LETTERS & set(en.lower()), (key, en)
        for inside in re.findall(r"\(([^)]*)\)", re.sub(r"\{[a-z_]+\}", "", vi)):
            words = re.findall(r"[a-z]{3,}", inside)  # acronyms like PDF are not glosses
            if words and not VI_LETTERS & set(inside.lower()) and inside != "dd/mm/yyyy":
                raise AssertionError((key, vi))


def test_translator_formats_codes_and_passes_server_text_through():
    tr = Translator(EN)
    assert tr.errors({"id_number": "id_province"}, {"id_number": {"province": "099"}}) == {
        "id_number": "Province code 099 is not valid: it must be 001 to 096."
    }
    assert tr.errors({"api": "Máy chủ từ chối"}) == {"api": "Máy chủ từ chối"}
    assert Translator(VI).errors({"x": "id_digits"}) == {"x": "Số căn cước phải gồm đúng 12 chữ số."}


async def test_identity_errors_follow_the_screen_language(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    row = pickup_row(h)
    h.location.fix = make_fix(row.lat, row.lon)
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "start-pickup")
    await type_key(h, "field-id_number", "12345")
    await type_key(h, "field-phone", "12345")
    await set_value(h, "confirm-id", True)
    await click_key(h, "next")
    assert current_step(h) == 1
    text = joined(h)
    assert "Số căn cước phải gồm đúng 12 chữ số." in text and "must be" not in text
    await click_key(h, "lang")  # the screen is redrawn in English: type again
    await type_key(h, "field-id_number", "12345")
    await type_key(h, "field-phone", "12345")
    await set_value(h, "confirm-id", True)
    await click_key(h, "next")
    text = joined(h)
    assert "The citizen ID must have exactly 12 digits." in text
    assert "The phone number must have 10 digits starting with 0 (or +84)." in text
    assert "chữ số" not in text


async def test_offline_banner_does_not_say_syncing(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    bar = shell(h).sync_bar
    state = shell(h).services.sync.state
    state.offline, state.syncing = True, True  # a retry attempt while the network is gone
    bar.render()
    assert bar.status.value == "Đang thử kết nối lại…" and bar.error.value.startswith("Mất mạng")
    assert "Đang đồng bộ" not in joined(h)
