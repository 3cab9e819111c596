"""The real Flet adapters behind the service interfaces, answered by the harness' fake client."""

from __future__ import annotations

import flet as ft
from harness import AppHarness

from mobile.services.location import GeolocatorLocationService, LocationError


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
