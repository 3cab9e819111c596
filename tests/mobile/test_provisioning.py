"""The provisioning text (supervisor's QR) and server addresses typed on the first-run screen."""

from __future__ import annotations

import pytest

from mobile.provisioning import (
    Provisioning,
    ProvisioningError,
    normalise_server_url,
    parse_provisioning,
    provisioning_text,
)


@pytest.mark.parametrize("typed,expected", [
    ("https://motcua.example.vn", "https://motcua.example.vn"),
    ("  HTTPS://MotCua.Example.vn/  ", "https://motcua.example.vn"),
    ("192.168.1.20:8000", "http://192.168.1.20:8000"),
    ("http://10.0.0.5:8000/api/v1/", "http://10.0.0.5:8000"),
    ("https://example.vn/doorstep", "https://example.vn/doorstep"),
    ("http://[::1]:8000", "http://[::1]:8000"),
])
def test_server_addresses_are_normalised(typed, expected):
    assert normalise_server_url(typed) == expected


@pytest.mark.parametrize("typed,code", [
    ("", "empty"),
    ("   ", "empty"),
    ("ftp://example.vn", "bad_scheme"),
    ("http://", "no_host"),
    ("http://exa mple.vn", "bad_host"),
    ("http://example.vn:99999", "bad_port"),
    ("http://example.vn/?x=1", "has_query"),
    ("http://user:pw@example.vn", "has_query"),
])
def test_bad_addresses_are_refused_with_a_code(typed, code):
    with pytest.raises(ProvisioningError) as err:
        normalise_server_url(typed)
    assert err.value.code == code


def test_provisioning_text_round_trips():
    text = provisioning_text("https://motcua.example.vn/", "000.21.01.H01")
    assert text == "doorstep://provision?v=1&server=https%3A%2F%2Fmotcua.example.vn&unit=000.21.01.H01"
    assert parse_provisioning(text) == Provisioning("https://motcua.example.vn", "000.21.01.H01")
    assert parse_provisioning(provisioning_text("http://127.0.0.1:8000")) == Provisioning("http://127.0.0.1:8000")


def test_a_bare_address_is_a_provisioning_without_unit():
    assert parse_provisioning("192.168.1.20:8000") == Provisioning("http://192.168.1.20:8000", None)


@pytest.mark.parametrize("text,code", [
    ("doorstep://other?server=http%3A%2F%2Fa.vn", "bad_payload"),
    ("doorstep://provision?v=1", "bad_payload"),
    ("doorstep://provision?server=a&server=b", "bad_payload"),
    ("doorstep://provision?server=http%3A%2F%2Fa.vn&unit=%3Cscript%3E", "bad_unit"),
    ("doorstep://provision?server=ftp%3A%2F%2Fa.vn", "bad_scheme"),
])
def test_bad_provisioning_texts_are_refused(text, code):
    with pytest.raises(ProvisioningError) as err:
        parse_provisioning(text)
    assert err.value.code == code
