"""Visit order for the day: nearest neighbour from the officer's position, then 2-opt.

Pure functions over (id, lat, lon) stops; visits without coordinates keep their given order
at the end of the route, because the officer still has to go there.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from api_client.domain.geo import haversine_m

MAX_TWO_OPT = 250  # 2-opt is O(n^2) per pass: a day's route is far smaller than this
MAX_NEAREST = 1500  # above this, a cheap sweep order keeps the screen responsive

K = TypeVar("K", bound=Hashable)  # a stop's id: plan_route hands back the caller's own id type


@dataclass(frozen=True)
class Stop(Generic[K]):
    """One place to visit; lat/lon may be missing for households never geocoded."""

    id: K
    lat: float | None
    lon: float | None

    @property
    def located(self) -> bool:
        """True when the stop has coordinates."""
        return self.lat is not None and self.lon is not None


def _xy(lat: float, lon: float, lat0: float) -> tuple[float, float]:
    # equirectangular projection in metres: exact enough inside one commune, and cheap
    k = 111_320.0
    return (lon * k * math.cos(math.radians(lat0)), lat * k)


def path_length_m(start: tuple[float, float] | None, stops: Sequence[Stop]) -> float:
    """Length in metres of the path start -> stops (stops without coordinates are skipped)."""
    pts = [(s.lat, s.lon) for s in stops if s.lat is not None and s.lon is not None]
    total, prev = 0.0, start
    for lat, lon in pts:
        if prev is not None:
            total += haversine_m(prev[0], prev[1], lat, lon)
        prev = (lat, lon)
    return total


def _nearest_neighbour(origin: tuple[float, float], pts: list[tuple[float, float]]) -> list[int]:
    left = set(range(len(pts)))
    order: list[int] = []
    cx, cy = origin
    while left:
        best = min(left, key=lambda i: (pts[i][0] - cx) ** 2 + (pts[i][1] - cy) ** 2)
        left.remove(best)
        order.append(best)
        cx, cy = pts[best]
    return order


def _two_opt(origin: tuple[float, float], pts: list[tuple[float, float]], order: list[int]) -> list[int]:
    """Open-path 2-opt with a fixed start: reverse segments while that shortens the path."""

    def d(a: tuple[float, float], b: tuple[float, float]) -> float:
        return math.hypot(a[0] - b[0], a[1] - b[1])

    route = [origin] + [pts[i] for i in order]
    idx = [-1] + list(order)
    n = len(route)
    improved = True
    while improved:
        improved = False
        for i in range(1, n - 1):
            for j in range(i + 1, n):
                a, b = route[i - 1], route[i]
                c = route[j]
                before = d(a, b)
                after = d(a, c)
                if j + 1 < n:  # an inner segment changes two edges; a tail changes one
                    e = route[j + 1]
                    before += d(c, e)
                    after += d(b, e)
                if after < before - 1e-6:
                    route[i : j + 1] = reversed(route[i : j + 1])
                    idx[i : j + 1] = reversed(idx[i : j + 1])
                    improved = True
    return idx[1:]


def plan_route(start: tuple[float, float] | None, stops: Sequence[Stop[K]]) -> list[K]:
    """Stop ids in visiting order: NN from `start` (or the first located stop), then 2-opt."""
    located = [s for s in stops if s.located]
    unlocated = [s.id for s in stops if not s.located]
    if not located:
        return unlocated
    coords = [(s.lat, s.lon) for s in located if s.lat is not None and s.lon is not None]  # == located
    lat0 = start[0] if start else coords[0][0]
    pts = [_xy(lat, lon, lat0) for lat, lon in coords]
    origin = _xy(start[0], start[1], lat0) if start else pts[0]
    if len(pts) > MAX_NEAREST:
        # sweep: snake through 500 m bands, good enough to page through and never O(n^2)
        band = 500.0
        order = sorted(
            range(len(pts)),
            key=lambda i: (
                int(pts[i][1] // band),
                pts[i][0] * (1 if int(pts[i][1] // band) % 2 == 0 else -1),
            ),
        )
    else:
        order = _nearest_neighbour(origin, pts)
        if len(order) <= MAX_TWO_OPT:
            order = _two_opt(origin, pts, order)
    return [located[i].id for i in order] + unlocated
