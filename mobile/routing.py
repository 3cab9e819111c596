"""Visit order for the day: from the officer (or the commune office) back to the office,
honouring appointment windows, by the iterated local search of `mobile.solver`.

Pure functions over stops with (id, lat, lon, window); visits without coordinates keep their
given order at the end of the route, because the officer still has to go there. The old
nearest-neighbour + 2-opt order stays as `legacy_order`: the benchmark's baseline.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from api_client.domain.geo import distance_m
from mobile.solver import Problem, Window, solve

MAX_TWO_OPT = 250  # the solver builds an n^2 matrix: a day's route is far smaller than this
MAX_SOLVE = MAX_TWO_OPT
MAX_NEAREST = 1500  # above this, a cheap sweep order keeps the screen responsive

K = TypeVar("K", bound=Hashable)  # a stop's id: plan_route hands back the caller's own id type


@dataclass(frozen=True)
class Stop(Generic[K]):
    """One place to visit; lat/lon may be missing for households never geocoded."""

    id: K
    lat: float | None
    lon: float | None
    window: Window | None = None  # minutes since midnight, Vietnam time
    service_min: float | None = None  # None: the settings' default

    @property
    def located(self) -> bool:
        """True when the stop has coordinates."""
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class RouteSettings:
    """How the day is timed and how long the solver may think."""

    speed_kmh: float = 15.0  # motorbike on village lanes and ferries, average door to door
    service_min: float = 10.0  # time at a household (pickup or delivery)
    budget_s: float = 0.040  # the screen reorders on every GPS fix; plus ~2 ms for the matrix
    seed: int = 0
    max_kicks: int = 400  # small days stop here long before the budget: the order is repeatable


@dataclass(frozen=True)
class WindowWarning:
    """A visit whose appointment window this route cannot meet."""

    stop_id: Hashable
    window: Window
    arrive_min: float  # planned start of service, minutes since midnight
    late_min: float


@dataclass
class PlannedRoute:
    """Stop ids in visiting order, planned service start per located stop, and missed windows."""

    order: list[Hashable]
    eta_min: dict[Hashable, float] = field(default_factory=dict)
    warnings: list[WindowWarning] = field(default_factory=list)
    length_m: float = 0.0


def parse_hhmm(value: str | None) -> float | None:
    """'07:30' -> 450.0 minutes since midnight; None for a missing or malformed time."""
    if not value:
        return None
    try:
        h, m = value.strip()[:5].split(":")
        return int(h) * 60 + int(m)
    except ValueError:
        return None


def window_of(start: str | None, end: str | None) -> Window | None:
    """A window from 'HH:MM' strings; an open side is the whole day."""
    lo, hi = parse_hhmm(start), parse_hhmm(end)
    if lo is None and hi is None:
        return None
    return Window(lo if lo is not None else 0.0, hi if hi is not None else 24 * 60.0)


def fmt_hhmm(minutes: float) -> str:
    """450.0 -> '07:30'."""
    m = int(round(minutes))
    return f"{(m // 60) % 24:02d}:{m % 60:02d}"


def _xy(lat: float, lon: float, lat0: float) -> tuple[float, float]:
    # equirectangular projection in metres: exact enough inside one commune, and cheap
    k = 111_320.0
    return (lon * k * math.cos(math.radians(lat0)), lat * k)


def distance_matrix(points: Sequence[tuple[float, float]], lat0: float) -> list[list[float]]:
    """Pairwise metres by the equirectangular projection.

    The one fast path kept after the move to geodesic distances: geopy's geodesic costs about
    a hundred times more per pair, and a 60-stop matrix of it alone would exceed the solver's
    whole 50 ms budget (measured by `python -m bench tsp`, docs/benchmarks.md). Over a 15 km
    commune the projection is within 0.1 % of the geodesic, far below what separates two tours.
    """
    xy = [_xy(lat, lon, lat0) for lat, lon in points]
    hyp = math.hypot
    return [[hyp(ax - bx, ay - by) for bx, by in xy] for ax, ay in xy]


def path_length_m(start: tuple[float, float] | None, stops: Sequence[Stop]) -> float:
    """Length in metres of the path start -> stops (stops without coordinates are skipped)."""
    pts = [(s.lat, s.lon) for s in stops if s.lat is not None and s.lon is not None]
    total, prev = 0.0, start
    for lat, lon in pts:
        if prev is not None:
            total += distance_m(prev[0], prev[1], lat, lon)
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


def _two_opt(
    origin: tuple[float, float],
    pts: list[tuple[float, float]],
    order: list[int],
    end: tuple[float, float] | None = None,
) -> list[int]:
    """2-opt with a fixed start (and a fixed end when given): reverse segments while that shortens."""

    def d(a: tuple[float, float], b: tuple[float, float]) -> float:
        return math.hypot(a[0] - b[0], a[1] - b[1])

    route = [origin] + [pts[i] for i in order] + ([end] if end else [])
    idx = [-1] + list(order) + ([-2] if end else [])
    n = len(route)
    last = n - 1 if end else n  # the end, when fixed, never moves
    improved = True
    while improved:
        improved = False
        for i in range(1, last - 1):
            for j in range(i + 1, last):
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
    return [i for i in idx if i >= 0]


def legacy_order(
    start: tuple[float, float], stops: Sequence[Stop], end: tuple[float, float] | None = None
) -> list[Hashable]:
    """The previous planner, nearest neighbour then 2-opt (ignores windows): the bench's baseline."""
    located = [s for s in stops if s.located]
    lat0 = start[0]
    pts = [_xy(s.lat, s.lon, lat0) for s in located]  # type: ignore[arg-type]
    origin = _xy(start[0], start[1], lat0)
    order = _two_opt(origin, pts, _nearest_neighbour(origin, pts), _xy(*end, lat0) if end else None)
    return [located[i].id for i in order]


def _sweep(pts: list[tuple[float, float]]) -> list[int]:
    # snake through 500 m bands, good enough to page through and never O(n^2)
    band = 500.0
    return sorted(
        range(len(pts)),
        key=lambda i: (int(pts[i][1] // band), pts[i][0] * (1 if int(pts[i][1] // band) % 2 == 0 else -1)),
    )


def plan(
    start: tuple[float, float] | None,
    stops: Sequence[Stop],
    *,
    end: tuple[float, float] | None = None,
    start_min: float = 0.0,
    settings: RouteSettings = RouteSettings(),
    clock: Callable[[], float] = time.perf_counter,
) -> PlannedRoute:
    """The day's order from `start` (None: wherever suits) to `end` (None: wherever it finishes).

    `start_min` is when the officer sets off (minutes since midnight); `clock` measures the
    solver's budget (tests pass a fake one so the result never depends on the machine's speed).
    """
    located = [s for s in stops if s.located]
    unlocated = [s.id for s in stops if not s.located]
    if not located:
        return PlannedRoute(unlocated)
    n = len(located)
    lat0: float = start[0] if start else float(located[0].lat or 0.0)
    if n > MAX_SOLVE:
        pts = [_xy(s.lat, s.lon, lat0) for s in located]  # type: ignore[arg-type]
        if n > MAX_NEAREST or start is None:
            order = _sweep(pts)
        else:
            order = _nearest_neighbour(_xy(start[0], start[1], lat0), pts)
        return PlannedRoute([located[i].id for i in order] + unlocated)
    # nodes: 0 = start, 1..n = stops, n+1 = end; a free end is a node at distance 0 from all
    points = [start or (0.0, 0.0)] + [(s.lat, s.lon) for s in located] + [end or (0.0, 0.0)]
    dist = distance_matrix(points, lat0)  # type: ignore[arg-type]
    if start is None:
        dist[0] = [0.0] * (n + 2)
        for row in dist:
            row[0] = 0.0
    if end is None:
        dist[n + 1] = [0.0] * (n + 2)
        for row in dist:
            row[n + 1] = 0.0
    windows = [None] + [s.window for s in located] + [None]
    service = (
        [0.0] + [settings.service_min if s.service_min is None else s.service_min for s in located] + [0.0]
    )
    problem = Problem(
        dist,
        windows=windows,
        service_min=service,
        speed_m_per_min=settings.speed_kmh * 1000 / 60,
        start_min=start_min,
    )
    sol = solve(
        problem, budget_s=settings.budget_s, clock=clock, seed=settings.seed, max_kicks=settings.max_kicks
    )
    ids = [located[i - 1].id for i in sol.order]
    eta = {located[node - 1].id: t for node, t in sol.schedule.begin.items() if 1 <= node <= n}
    warnings = [
        WindowWarning(located[node - 1].id, windows[node], sol.schedule.begin[node], late)  # type: ignore[arg-type]
        for node, late in sol.schedule.late.items()
        if 1 <= node <= n
    ]
    warnings.sort(key=lambda w: ids.index(w.stop_id))
    return PlannedRoute(ids + unlocated, eta, warnings, sol.length_m)


def plan_route(
    start: tuple[float, float] | None, stops: Sequence[Stop], end: tuple[float, float] | None = None
) -> list[Hashable]:
    """Stop ids in visiting order (see `plan`; the day's clock starts at midnight)."""
    return plan(start, stops, end=end).order
