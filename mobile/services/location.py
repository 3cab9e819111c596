"""Where the officer stands: flet_geolocator behind a small interface with hard timeouts."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import flet as ft

from api_client.domain.clock import Clock, current_clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fix:
    """One GPS fix with its accuracy in metres."""

    lat: float
    lon: float
    accuracy_m: float
    device_time: datetime
    mocked: bool | None = None  # Android reports fixes from a mock-location app; None where unknown


LOCATION_ERRORS = {
    "gps_denied": "Không được cấp quyền vị trí",
    "gps_timeout": "Hết thời gian chờ GPS",
    "gps_failed": "Lỗi GPS",
    "gps_no_position": "Không có vị trí",
}


class LocationError(Exception):
    """No fix: permission denied, service off or timeout. `code` is translated by the screens
    (mobile/i18n.py); the message (str) is Vietnamese."""

    def __init__(self, code: str, detail: str = "") -> None:
        text = LOCATION_ERRORS.get(code, code)
        super().__init__(f"{text}: {detail}" if detail else text)
        self.code, self.detail = code, detail


class LocationService(Protocol):
    """What the views need from GPS; tests give a fake with a fixed position."""

    async def current_fix(self, timeout_s: float = 15.0) -> Fix:
        """A fresh fix or LocationError."""
        ...


class GeolocatorLocationService:
    """flet_geolocator on the page; every call wrapped in asyncio.wait_for (headless browsers hang)."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._geo = None
        self.clock: Clock = clock or current_clock()

    def _geolocator(self):
        if self._geo is None:
            import flet_geolocator as ftg

            # created lazily: Service() registers itself with the current page context
            self._geo = ftg.Geolocator(
                configuration=ftg.GeolocatorConfiguration(accuracy=ftg.GeolocatorPositionAccuracy.HIGH)
            )
        return self._geo

    async def current_fix(self, timeout_s: float = 15.0) -> Fix:
        """Ask the device; permission status first (request_permission can hang in headless Chromium)."""
        import flet_geolocator as ftg

        geo = self._geolocator()
        try:
            status = await asyncio.wait_for(geo.get_permission_status(), timeout=min(5.0, timeout_s))
            if status in (ftg.GeolocatorPermissionStatus.DENIED,):
                try:
                    status = await asyncio.wait_for(geo.request_permission(), timeout=min(8.0, timeout_s))
                except (TimeoutError, Exception):  # noqa: BLE001 - fall through and try the fix anyway
                    log.info("location permission request failed", exc_info=True)
            if status == ftg.GeolocatorPermissionStatus.DENIED_FOREVER:
                raise LocationError("gps_denied")
            pos = await asyncio.wait_for(geo.get_current_position(), timeout=timeout_s)
        except TimeoutError as exc:
            raise LocationError("gps_timeout") from exc
        except LocationError:
            raise
        except Exception as exc:  # noqa: BLE001 - the client reports service-off etc. as errors
            raise LocationError("gps_failed", str(exc)) from exc
        if pos is None or pos.latitude is None or pos.longitude is None:
            raise LocationError("gps_no_position")
        acc = float(pos.accuracy) if pos.accuracy is not None else 9999.0
        return Fix(
            lat=float(pos.latitude),
            lon=float(pos.longitude),
            accuracy_m=round(acc, 1),
            device_time=self.clock.now(),
            mocked=getattr(pos, "mocked", None),
        )


class FixedLocationService:
    """A fixed answer (or failure): for tests and for desktops without GPS."""

    def __init__(self, fix: Fix | None = None, error: str | None = None, clock: Clock | None = None) -> None:
        self.fix, self.error = fix, error
        self.clock: Clock = clock or current_clock()
        self.calls = 0

    async def current_fix(self, timeout_s: float = 15.0) -> Fix:
        """The configured fix, or LocationError."""
        self.calls += 1
        if self.fix is None:
            raise LocationError(self.error or "gps_timeout")
        return Fix(self.fix.lat, self.fix.lon, self.fix.accuracy_m, self.clock.now(), self.fix.mocked)


def page_is_web(page: ft.Page) -> bool:
    """True in a browser tab (file pickers return bytes, not paths)."""
    return bool(getattr(page, "web", False))
