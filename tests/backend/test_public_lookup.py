"""The citizen's lookup page /tra-cuu over real HTTP: by the receipt QR's token, by dossier code plus
the phone's last 4 digits, one generic answer for anything wrong, nothing personal on the page, a
rate limit per client address, and the token a phone sends with its pickup."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import builders
import eventkit
import httpx
import pytest
from sqlalchemy import select, update
from testkit import LiveServer, make_settings

from api_client.domain.codes import new_lookup_token
from backend.db.migrations import _lookup_tokens
from backend.db.schema import dossiers

Clients = Callable[[str | None], httpx.Client]
# the citizen's page as a browser gets it, rate-limited per address
pytestmark = pytest.mark.real_http

NOT_FOUND = "Không tìm thấy hồ sơ. Kiểm tra lại mã QR, hoặc mã hồ sơ và 4 số cuối điện thoại."


def _token(server: LiveServer, dossier_id: int) -> str:
    with server.engine.connect() as conn:
        q = select(dossiers.c.lookup_token).where(dossiers.c.id == dossier_id)
        return str(conn.execute(q).scalar_one())


def _code(server: LiveServer, dossier_id: int) -> str:
    with server.engine.connect() as conn:
        return str(conn.execute(select(dossiers.c.code).where(dossiers.c.id == dossier_id)).scalar_one())


def _assert_nothing_personal(html: str, world: builders.World, code: str) -> None:
    for secret in (world.citizen_ids["binh"], "Trần Thị Bình", "0987654321", "Tổ 1", code):
        assert secret not in html
    # no external file: no script at all, every link is on this server
    assert "<script" not in html and not re.search(r"""(?:src|href)=["']?https?:""", html)


def test_the_qr_token_shows_status_appointment_and_place_only(
        server: LiveServer, world: builders.World) -> None:
    dossier_id = world.dossiers["delivery_a"]  # result ready, due 2099-01-01 17:00 in Vietnam, home return
    r = httpx.get(f"{server.url}/tra-cuu", params={"t": _token(server, dossier_id)})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-store" and r.headers["referrer-policy"] == "no-referrer"
    html = r.text
    assert '<html lang="vi">' in html and 'name="viewport"' in html
    assert '<dd id="tinh-trang">Đã có kết quả, chờ trả</dd>' in html
    assert '<dd id="ngay-hen">01/01/2099</dd>' in html
    assert '<dd id="noi-nhan">Tại nhà: cán bộ mang kết quả đến</dd>' in html
    _assert_nothing_personal(html, world, _code(server, dossier_id))
    en = httpx.get(f"{server.url}/tra-cuu", params={"t": _token(server, dossier_id), "lang": "en"}).text
    assert '<html lang="en">' in en and "Result ready" in en


def test_a_wrong_token_gets_the_generic_answer(server: LiveServer, world: builders.World) -> None:
    for token in (new_lookup_token(), "short", "x" * 500, "<script>"):
        r = httpx.get(f"{server.url}/tra-cuu", params={"t": token})
        assert r.status_code == 404 and NOT_FOUND in r.text, token
        assert 'id="tinh-trang"' not in r.text and "<script>" not in r.text
    form = httpx.get(f"{server.url}/tra-cuu")
    assert form.status_code == 200 and 'name="ma"' in form.text and 'name="so"' in form.text


def test_dossier_code_and_the_phones_last_four_digits(server: LiveServer, world: builders.World) -> None:
    code = _code(server, world.dossiers["delivery_a"])  # Trần Thị Bình, phone 0987654321
    r = httpx.post(f"{server.url}/tra-cuu", data={"ma": code.lower(), "so": "4321"})
    assert r.status_code == 200, r.text
    assert "Đã có kết quả, chờ trả" in r.text and "01/01/2099" in r.text
    _assert_nothing_personal(r.text, world, "0987654321")
    for digits in ("1234", "432", "", "43210"):
        wrong = httpx.post(f"{server.url}/tra-cuu", data={"ma": code, "so": digits})
        assert wrong.status_code == 404 and NOT_FOUND in wrong.text, digits
    nobody = httpx.post(f"{server.url}/tra-cuu", data={"ma": "000.00.21.H01-990101-0001", "so": "4321"})
    assert nobody.status_code == 404 and NOT_FOUND in nobody.text
    garbage = httpx.post(f"{server.url}/tra-cuu", content=b"\xff\xfe%%%", headers={
        "content-type": "application/x-www-form-urlencoded"})
    assert garbage.status_code == 404


def test_the_pickup_event_stores_the_phones_token(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    token = new_lookup_token()
    a = client_for("can_bo_a")
    ev = eventkit.pickup(world.visits["pickup_a"], world.citizen_ids["an"], lookup_token=token)
    r = a.post("/sync/push", json={"events": [ev]})
    assert r.json()["results"][0]["status"] == "applied", r.text
    assert _token(server, world.dossiers["pickup_a"]) == token
    page = httpx.get(f"{server.url}/tra-cuu", params={"t": token})
    assert page.status_code == 200 and "Đã tiếp nhận, đang chờ giải quyết" in page.text
    # an older phone sends no token: the dossier keeps the one the server gave it
    before = _token(server, world.dossiers["pickup_a2"])
    papers = [{"code": "ban_chinh", "present": True}, {"code": "ban_sao", "present": True}]
    old = eventkit.pickup(world.visits["pickup_a2"], world.citizen_ids["an"], checklist=papers)
    assert a.post("/sync/push", json={"events": [old]}).json()["results"][0]["status"] == "applied"
    assert _token(server, world.dossiers["pickup_a2"]) == before
    assert httpx.get(f"{server.url}/tra-cuu", params={"t": before}).status_code == 200
    # a malformed token is refused with the payload, like any other bad field
    bad = eventkit.pickup(world.visits["pickup_b"], world.citizen_ids["cuong"], lookup_token="có dấu")
    result = client_for("can_bo_b").post("/sync/push", json={"events": [bad]}).json()["results"][0]
    assert result["status"] == "rejected" and "lookup_token" in result["message"]


def test_every_dossier_has_its_own_token_and_the_migration_backfills(
        server: LiveServer, world: builders.World) -> None:
    with server.engine.begin() as conn:
        tokens = conn.execute(select(dossiers.c.lookup_token)).scalars().all()
        assert all(tokens) and len(set(tokens)) == len(tokens) == len(world.dossiers)
        conn.execute(update(dossiers).values(lookup_token=None))  # as before migration 6
        _lookup_tokens(conn)
        again = conn.execute(select(dossiers.c.lookup_token)).scalars().all()
    assert all(again) and len(set(again)) == len(again) and not set(again) & set(tokens)


def test_the_qr_address_is_the_deployment_setting(tmp_path: Path) -> None:
    s = make_settings(tmp_path, None, public_url="http://xa.example:8000")
    assert s.lookup_url == "http://xa.example:8000/tra-cuu"
    s.lookup_base_url = "https://motcua.angiang.gov.vn/tra-cuu"
    assert s.lookup_url == "https://motcua.angiang.gov.vn/tra-cuu"


@pytest.fixture
def limited_server(live_server: Callable[..., LiveServer], tmp_path: Path) -> LiveServer:
    """A server allowing 3 lookups per address per 10 minutes."""
    return live_server(make_settings(tmp_path / "limited", None, lookup_rate_limit=3))


def test_lookups_are_rate_limited_per_client_address(limited_server: LiveServer) -> None:
    world = builders.world(limited_server.engine)
    token = _token(limited_server, world.dossiers["delivery_a"])
    url = f"{limited_server.url}/tra-cuu"
    assert httpx.get(url, params={"t": new_lookup_token()}).status_code == 404  # wrong guesses count too
    assert httpx.post(url, data={"ma": "x", "so": "0000"}).status_code == 404
    assert httpx.get(url, params={"t": token}).status_code == 200
    for attempt in (lambda: httpx.get(url, params={"t": token}),
                    lambda: httpx.post(url, data={"ma": "x", "so": "0000"})):
        r = attempt()
        assert r.status_code == 429
        assert "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau 10 phút." in r.text
        assert 0 < int(r.headers["retry-after"]) <= 600
        assert 'id="tinh-trang"' not in r.text
    assert httpx.get(url).status_code == 200  # the empty form is not a lookup
