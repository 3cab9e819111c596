"""Addresses to coordinates through the deployment's geopy geocoder, cached, never blocking.

`make_geocoder(settings)` builds geopy's Nominatim at the deployment's URL wrapped in geopy's
`RateLimiter` (None when no URL is configured). `Locator.resolve` answers every address with a
location: the cached or fresh geocoder answer when there is one, else the hamlet's centre (the
commune's when the hamlet has none), marked approximate with the reason. A geocoder that keeps
failing is left alone for the rest of the run, so an import with the service down still ends
quickly with every household on the map.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from api_client.domain.text import fold

from ..config import Settings
from ..db.schema import geocode_cache, units
from .clock import now_iso

log = logging.getLogger(__name__)

Geocode = Callable[[str], Any]  # query -> geopy Location | None; raises geopy errors
MAX_FAILURES_IN_A_ROW = 3  # then the geocoder is considered down for the rest of the run
# Nominatim classes whose answer is an area (village, hamlet, boundary), not a building
AREA_CLASSES = {"place", "boundary", "landuse"}


@dataclass(frozen=True)
class Resolved:
    """A location for a household and how it was found."""

    lat: float | None
    lon: float | None
    source: str | None  # api_client.models.LocationSource value; None when nothing is known
    precision: str | None  # exact | approximate
    note: str | None = None  # why approximate


def make_geocoder(settings: Settings) -> Geocode | None:
    """geopy's Nominatim at the deployment's URL behind geopy's RateLimiter; None when not configured."""
    if not settings.geocoder_url:
        return None
    url = urlsplit(settings.geocoder_url)
    nominatim = Nominatim(
        domain=(url.netloc + url.path).rstrip("/"),
        scheme=url.scheme or "https",
        user_agent=settings.geocoder_user_agent,
        timeout=settings.geocoder_timeout_s,
    )

    def ask(query: str) -> Any:
        return nominatim.geocode(query, exactly_one=True, country_codes="vn", addressdetails=False)

    # retries only for errors geopy marks as transient; everything else reaches the Locator
    return RateLimiter(
        ask,
        min_delay_seconds=settings.geocoder_min_delay_s,
        max_retries=1,
        error_wait_seconds=min(2.0, settings.geocoder_min_delay_s * 2),
        swallow_exceptions=False,
    )


def address_key(query: str) -> str:
    """The cache key: folded (no diacritics, lower case), punctuation and spacing normalised."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w ]+", " ", fold(query))).strip()[:600]


class Locator:
    """Resolves household addresses for one run (an import, a supervisor's edit)."""

    def __init__(self, engine: Engine, geocode: Geocode | None) -> None:
        self.engine = engine
        self.geocode = geocode
        self.failures_in_a_row = 0
        self.calls = 0  # requests actually sent (tests and the import report watch it)
        with engine.connect() as conn:
            rows = conn.execute(select(units.c.id, units.c.name, units.c.level, units.c.parent_id,
                                       units.c.lat, units.c.lon)).all()
        self.units = {r.id: r for r in rows}

    def query_for(self, address: str, hamlet_id: int | None, commune_id: int | None) -> str:
        """What is sent: the address, completed with the hamlet and commune names it lacks."""
        parts = [address.strip()]
        folded = fold(address)
        for uid in (hamlet_id, commune_id):
            unit = self.units.get(uid) if uid is not None else None
            if unit is not None and fold(unit.name) not in folded:
                parts.append(unit.name)
        parts.append("Việt Nam")
        return ", ".join(parts)

    def centre(self, hamlet_id: int | None, commune_id: int | None, reason: str) -> Resolved:
        """The hamlet's centre (else the commune's), approximate, with the reason."""
        for uid, label in ((hamlet_id, "hamlet"), (commune_id, "commune")):
            unit = self.units.get(uid) if uid is not None else None
            if unit is not None and unit.lat is not None and unit.lon is not None:
                note = reason if label == "hamlet" else f"{reason}; commune_centre"
                return Resolved(float(unit.lat), float(unit.lon), "hamlet_centre", "approximate", note)
        return Resolved(None, None, None, None, reason)

    def resolve(self, address: str, hamlet_id: int | None, commune_id: int | None) -> Resolved:
        """Coordinates for an address: cache, then geocoder, then the hamlet's centre. Never raises."""
        if self.geocode is None:
            return self.centre(hamlet_id, commune_id, "no_geocoder")
        query = self.query_for(address, hamlet_id, commune_id)
        key = address_key(query)
        with self.engine.connect() as conn:
            hit = conn.execute(
                select(geocode_cache).where(geocode_cache.c.address_key == key)).mappings().first()
        if hit is not None:
            if hit["found"]:
                return Resolved(hit["lat"], hit["lon"], "geocoded", hit["precision"] or "exact",
                                "area" if hit["precision"] == "approximate" else None)
            return self.centre(hamlet_id, commune_id, "not_found")
        if self.failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
            return self.centre(hamlet_id, commune_id, "geocoder_down")
        self.calls += 1
        try:
            location = self.geocode(query)
        except GeocoderTimedOut:
            return self._failed(hamlet_id, commune_id, "timeout")
        except (GeocoderServiceError, GeopyError, OSError, ValueError) as exc:
            log.warning("geocoder failed for %r: %s", key, exc)
            return self._failed(hamlet_id, commune_id, "error")
        self.failures_in_a_row = 0
        if location is None:
            self._remember(key, None, None, None, None)
            return self.centre(hamlet_id, commune_id, "not_found")
        raw = getattr(location, "raw", {}) or {}
        precision = "approximate" if raw.get("class") in AREA_CLASSES else "exact"
        lat, lon = float(location.latitude), float(location.longitude)
        self._remember(key, lat, lon, precision, str(getattr(location, "address", "") or "")[:500])
        return Resolved(lat, lon, "geocoded", precision, "area" if precision == "approximate" else None)

    def _failed(self, hamlet_id: int | None, commune_id: int | None, reason: str) -> Resolved:
        # a failure is not an answer: it is not cached, the next run asks again
        self.failures_in_a_row += 1
        return self.centre(hamlet_id, commune_id, reason)

    def _remember(self, key: str, lat: float | None, lon: float | None, precision: str | None,
                  display: str | None) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(geocode_cache).values(
                    address_key=key, found=lat is not None, lat=lat, lon=lon, precision=precision,
                    display_name=display, created_at=now_iso()))
        except IntegrityError:
            pass  # another run cached the same address meanwhile: its answer is as good
