"""Congratulation / condolence letters: the shared renderer and GET /dossiers/{id}/letter.pdf.

Text is extracted with pypdf and compared after NFC normalisation and whitespace collapsing:
fpdf2 embeds precomposed Vietnamese glyphs and a ToUnicode map, so extraction returns NFC text,
but justified lines come back with doubled spaces.
"""

from __future__ import annotations

import io
import subprocess
import sys
import unicodedata
from collections.abc import Callable

import builders
import deliverykit as dk
import eventkit
import httpx
import pytest
from pypdf import PdfReader
from testkit import LiveServer

from api_client.documents.letters import LetterError, fill, letter_title, render_letter

Clients = Callable[[str | None], httpx.Client]
VALUES = {
    "citizen_names": "Nguyễn Văn An và Trần Thị Bình",
    "commune": "xã An Phú",
    "commune_upper": "XÃ AN PHÚ",
    "commune_name": "An Phú",
    "day": "26",
    "month": "11",
    "year": "2026",
    "officer": "Nguyễn Văn Hùng",
    "result_document": "Giấy chứng nhận kết hôn",
    "dossier_code": "000.21.01.H01-261126-0003",
    "deceased": "ông Lê Văn Tám",
}


def text_of(data: bytes) -> str:
    """Every page's text, NFC, whitespace collapsed."""
    raw = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def test_congratulation_letter_renders_vietnamese_text() -> None:
    data = render_letter("congratulation", VALUES)
    assert data.startswith(b"%PDF")
    text = text_of(data)
    for expected in (
        "THƯ CHÚC MỪNG",
        "Kính gửi: Nguyễn Văn An và Trần Thị Bình",
        "ỦY BAN NHÂN DÂN XÃ AN PHÚ",
        "Ủy ban nhân dân xã An Phú",
        "trăm năm hạnh phúc",
        "Giấy chứng nhận kết hôn",
        "000.21.01.H01-261126-0003",
        "An Phú, ngày 26 tháng 11 năm 2026",
        "Cán bộ trao: Nguyễn Văn Hùng",
    ):
        assert expected in text, expected


def test_condolence_letter_renders_vietnamese_text() -> None:
    text = text_of(render_letter("condolence", VALUES | {"result_document": "Trích lục khai tử"}))
    for expected in (
        "THƯ CHIA BUỒN",
        "Kính gửi: Gia đình",
        "ông Lê Văn Tám đã từ trần",
        "chia buồn sâu sắc",
        "Trích lục khai tử",
    ):
        assert expected in text, expected


def test_placeholders_and_unknown_kinds() -> None:
    assert fill("Kính gửi: {citizen_names}{missing}", {"citizen_names": "Bà Út"}) == "Kính gửi: Bà Út"
    assert letter_title("condolence") == "Thư chia buồn"
    with pytest.raises(LetterError):
        render_letter("birthday", VALUES)


def test_api_client_stays_light() -> None:
    # the phone imports api_client at start-up; fpdf2 must load only when a letter is rendered
    code = (
        "import sys, api_client.client, api_client.documents.letters, api_client.models; "
        "assert 'fpdf' not in sys.modules, 'fpdf imported eagerly'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_letter_endpoint_uses_the_pickup_form_names(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    dk.publish_v2(server.engine)
    a, b, sx = client_for("can_bo_a"), client_for("can_bo_b"), client_for("giam_sat_x")
    did = dk.new_dossier(
        server.engine, world, citizen="an", procedure="ket_hon", status=1, catalogue_version=2
    )
    with server.engine.begin() as conn:
        vid = builders.visit(conn, did, world.officer_a)
    ev = eventkit.pickup(
        vid,
        world.citizen_ids["an"],
        checklist=[{"code": "to_khai", "present": True}],
        catalogue_version=2,
        form={"ho_ten_nam": "Nguyễn Văn An", "ho_ten_nu": "Lê Thị Hoa"},
    )
    (res,) = dk.push(a, ev)
    assert res["status"] == "applied", res
    r = a.get(f"/dossiers/{did}/letter.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = text_of(r.content)
    assert "THƯ CHÚC MỪNG" in text and "Kính gửi: Nguyễn Văn An và Lê Thị Hoa" in text
    assert "Ủy ban nhân dân xã An Phú" in text and dk.code_of(server.engine, did) in text
    assert sx.get(f"/dossiers/{did}/letter.pdf").status_code == 200
    assert b.get(f"/dossiers/{did}/letter.pdf").status_code == 404  # not b's dossier


def test_condolence_endpoint_and_procedures_without_a_letter(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    dk.publish_v2(server.engine)
    sx = client_for("giam_sat_x")
    death = dk.new_dossier(server.engine, world, procedure="khai_tu", status=9, catalogue_version=2)
    text = text_of(sx.get(f"/dossiers/{death}/letter.pdf").content)
    assert "THƯ CHIA BUỒN" in text and "Kính gửi: Gia đình Trần Thị Bình" in text
    assert "người thân của gia đình đã từ trần" in text  # no form: a neutral phrase
    copy = dk.new_dossier(server.engine, world, procedure="chung_thuc_ban_sao", status=9)
    r = sx.get(f"/dossiers/{copy}/letter.pdf")
    assert r.status_code == 404 and r.json()["code"] == "no_letter"
    assert "không kèm thư" in r.json()["detail"]
    assert sx.get("/dossiers/999999/letter.pdf").json()["code"] == "not_found"
