"""The real Flet adapters behind the service interfaces, answered by the harness' fake client."""

from __future__ import annotations

import flet as ft
import pytest
from harness import AppHarness
from tests_receipt_data import sample_receipt

from mobile.services.location import GeolocatorLocationService, LocationError
from mobile.services.receipts import ReceiptStore
from mobile.web import make_asgi_app


async def _run_location(method_results) -> dict:
    out: dict = {}
    svc = GeolocatorLocationService()

    def main(page: ft.Page) -> None:
        async def locate(e):
            try:
                out["fix"] = await svc.current_fix(timeout_s=0.3)
            except LocationError as exc:
                out["error"] = str(exc)

        page.add(ft.Button("GPS", on_click=locate))

    h = await AppHarness(main, method_results=method_results).start()
    await h.click(h.find(ft.Button, content="GPS"))
    return out


async def test_geolocator_fix_with_accuracy():
    out = await _run_location(
        {
            "get_permission_status": "whileInUse",
            "get_current_position": {"latitude": 10.87, "longitude": 105.08, "accuracy": 12.5},
        }
    )
    fix = out["fix"]
    assert (fix.lat, fix.lon, fix.accuracy_m) == (10.87, 105.08, 12.5)


async def test_geolocator_that_never_answers_times_out():
    # headless browsers can leave the position request hanging: the timeout turns it into a message
    out = await _run_location({"get_permission_status": "whileInUse"})
    assert out["error"].startswith("Hết thời gian chờ GPS")


async def test_geolocator_permission_denied_forever():
    out = await _run_location({"get_permission_status": "deniedForever"})
    assert "quyền vị trí" in out["error"]


@pytest.fixture
def web_app(tmp_path):
    from starlette.testclient import TestClient

    device = "0123456789abcdef0123456789abcdef"
    info = ReceiptStore(tmp_path / device / "receipts", f"/receipts/{device}").save(7, sample_receipt())
    return TestClient(make_asgi_app("http://127.0.0.1:9", tmp_path)), info


def test_receipt_download_route(web_app):
    client, info = web_app
    r = client.get(info.url)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r.headers["content-type"] == "application/pdf"
    for bad in (
        info.url.rsplit("/", 1)[0] + "/..%2Fdoorstep.db",
        f"{info.url[:-4]}x.pdf",
        "/receipts/nothex/7-0000000000000000.pdf",
    ):
        assert client.get(bad).status_code == 404
