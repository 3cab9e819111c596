"""Distances and GPS-quality rules for field fixes."""

from __future__ import annotations

import math

from geopy.distance import geodesic

EARTH_RADIUS_M = 6_371_000.0
MAX_ACCURACY_M = 50.0  # a fix worse than this needs a reason
MAX_DISTANCE_FROM_HOME_M = 300.0  # a fix further than this from the household needs a reason


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic (WGS-84 ellipsoid) distance in metres: what any distance shown to a person uses."""
    return float(geodesic((lat1, lon1), (lat2, lon2)).meters)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (good to <0.5% at commune scale)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def gps_warnings(accuracy_m: float | None, distance_from_home_m: float | None) -> list[str]:
    """Codes of the GPS rules a fix breaks: 'no_fix', 'poor_accuracy', 'far_from_home'."""
    if accuracy_m is None:
        return ["no_fix"]
    out = []
    if accuracy_m > MAX_ACCURACY_M:
        out.append("poor_accuracy")
    if distance_from_home_m is not None and distance_from_home_m > MAX_DISTANCE_FROM_HOME_M:
        out.append("far_from_home")
    return out
