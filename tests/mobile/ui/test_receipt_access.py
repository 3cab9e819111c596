"""Receipt (and letter, export) files in web mode are served only with the right credentials:
a ticket the owner's session issued, the owner's or their supervisor's API token, never nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import builders
import httpx
import pytest
from starlette.testclient import TestClient
from tests_receipt_data import sample_receipt

from mobile.services.receipts import ReceiptStore
from mobile.services.tickets import DownloadTickets
from mobile.web import make_asgi_app

DEVICE = "0123456789abcdef0123456789abcdef"
OWNER = 41


class Clock:
    """A settable instant (tickets expire)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _app(tmp_path, backend_url: str = "http://127.0.0.1:9", owner: int = OWNER):
    clock = Clock()
    tickets = DownloadTickets(clock=clock)
    store = ReceiptStore(tmp_path / DEVICE / "receipts", f"/receipts/{DEVICE}",
                         sign=lambda name: tickets.mint(DEVICE, name, owner), owner=lambda: owner)
    info = store.save(7, sample_receipt())
    client = TestClient(make_asgi_app(backend_url, tmp_path, tickets=tickets))
    return client, store, info, tickets, clock


def test_the_owners_link_downloads_and_a_bare_url_is_refused(tmp_path):
    client, store, info, tickets, clock = _app(tmp_path)
    assert info.url and "?t=" in info.url
    ok = client.get(info.url)
    assert ok.status_code == 200 and ok.content.startswith(b"%PDF")
    bare = info.url.split("?")[0]
    r = client.get(bare)
    assert r.status_code == 401 and r.json()["code"] == "unauthorized" and b"%PDF" not in r.content
    name = bare.rsplit("/", 1)[1]
    refused = [
        f"{bare}?t=garbage",
        f"{bare}?t={tickets.mint(DEVICE, name, OWNER + 1)}",  # another officer's ticket
        f"{bare}?t={tickets.mint(DEVICE, '7-0000000000000000.pdf', OWNER)}",  # another file's ticket
        f"{bare}?t={DownloadTickets().mint(DEVICE, name, OWNER)}",  # another process' key
        f"{bare}?lookup=anything",  # no lookup tokens are issued yet: refused
    ]
    for url in refused:
        r = client.get(url)
        assert r.status_code == 403 and r.json()["code"] == "forbidden", url
    clock.now += timedelta(hours=1)  # the link the screen showed has expired
    assert client.get(info.url).status_code == 403
    fresh = store.get(7)
    assert fresh and client.get(fresh.url).status_code == 200  # a redrawn screen gets a new link


def test_no_signed_in_officer_means_no_link(tmp_path):
    store = ReceiptStore(tmp_path / DEVICE / "receipts", f"/receipts/{DEVICE}", sign=lambda name: None)
    assert store.save(7, sample_receipt()).url is None


def test_bad_paths_are_404_even_with_a_ticket(tmp_path):
    client, _, info, tickets, _ = _app(tmp_path)
    bare, query = info.url.split("?")
    for bad in (bare.rsplit("/", 1)[0] + "/..%2Fdoorstep.db", f"{bare[:-4]}x.pdf",
                "/receipts/nothex/7-0000000000000000.pdf"):
        assert client.get(f"{bad}?{query}").status_code == 404


@pytest.fixture
def world_server(sqlite_server):
    world = builders.world(sqlite_server.engine)
    return sqlite_server, world


def _token(srv, username: str) -> str:
    r = httpx.post(f"{srv.api}/auth/login", json={"username": username, "password": builders.PASSWORD})
    return r.json()["access_token"]


def test_api_tokens_of_the_owner_and_their_supervisors_only(tmp_path, world_server):
    srv, w = world_server
    client, _, info, _, _ = _app(tmp_path, srv.url, owner=w.officer_a)
    bare = info.url.split("?")[0]

    def get(user: str) -> int:
        return client.get(bare, headers={"Authorization": f"Bearer {_token(srv, user)}"}).status_code

    assert get("can_bo_a") == 200  # the officer who took the dossier
    assert get("giam_sat_x") == 200  # the supervisor of that officer's commune
    assert get("can_bo_b") == 403  # another officer of the same commune
    assert get("giam_sat_y") == 403  # a supervisor of another commune
    assert client.get(bare, headers={"Authorization": "Bearer forged.token"}).status_code == 403


def test_get_officer_is_scoped(world_server):
    srv, w = world_server
    sup = {"Authorization": f"Bearer {_token(srv, 'giam_sat_x')}"}
    assert httpx.get(f"{srv.api}/officers/{w.officer_a}", headers=sup).json()["id"] == w.officer_a
    r = httpx.get(f"{srv.api}/officers/{w.supervisor_y}", headers=sup)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    officer = {"Authorization": f"Bearer {_token(srv, 'can_bo_a')}"}
    assert httpx.get(f"{srv.api}/officers/{w.officer_b}", headers=officer).status_code == 404
    assert httpx.get(f"{srv.api}/officers/{w.officer_a}", headers=officer).status_code == 200
    assert httpx.get(f"{srv.api}/officers/{w.officer_a}").status_code == 401


def test_the_citizens_lookup_token_opens_that_receipt_only(tmp_path):
    client, store, _, _, _ = _app(tmp_path)
    token = "Zk3-citizen_lookup_0123456789"
    info = store.save(8, sample_receipt(), lookup_token=token)
    letter = store.save_document("letter:8", 8, b"%PDF-1.4 letter", "CODE")
    bare = info.url.split("?")[0]
    assert client.get(f"{bare}?lookup={token}").status_code == 200
    assert client.get(f"{bare}?lookup={token[:-1]}x").status_code == 403
    assert client.get(f"{letter.url.split('?')[0]}?lookup={token}").status_code == 403  # receipts only
    other = store.get(7)  # saved without a token: no token opens it
    assert client.get(f"{other.url.split('?')[0]}?lookup={token}").status_code == 403
