"""Distances (geodesic, WGS-84, through geopy) and GPS-quality rules for field fixes."""

from __future__ import annotations

import math

from geopy.distance import geodesic

MAX_ACCURACY_M = 50.0  # a fix worse than this needs a reason
MAX_DISTANCE_FROM_HOME_M = 300.0  # a fix further than this from the household needs a reason


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic (WGS-84 ellipsoid) distance in metres: what any distance shown to a person uses."""
    return float(geodesic((lat1, lon1), (lat2, lon2)).meters)


def within_m(lat1: float, lon1: float, lat2: float, lon2: float, radius_m: float) -> bool:
    """True when two points are at most `radius_m` apart (geodesic).

    A degree box rules out far pairs first (a degree of latitude is never under 110.5 km, a
    degree of longitude here never under cos(lat) * 111.3 km): the answer is the geodesic one,
    but scanning a day's breadcrumbs for an arrival skips almost every geodesic computation.
    """
    margin = radius_m * 1.01 + 1.0
    if abs(lat2 - lat1) * 110_500.0 > margin:
        return False
    coslat = math.cos(math.radians(max(abs(lat1), abs(lat2)) + 0.01))
    if abs(lon2 - lon1) * 111_300.0 * coslat > margin:
        return False
    return distance_m(lat1, lon1, lat2, lon2) <= radius_m


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
