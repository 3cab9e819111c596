"""The route solver's behaviour on instances small enough to know the answer (no timing asserted)."""

from __future__ import annotations

import itertools
import random

import pytest

from bench import bench_tsp
from mobile.routing import RouteSettings, Stop, distance_matrix, plan
from mobile.solver import LATE_WEIGHT, Problem, Window, _late, path_length, solve


def _problem(n: int, seed: int, windows: bool = False) -> Problem:
    stops = bench_tsp.instance(n, seed)
    pts = [bench_tsp.OFFICE] + [(s.lat, s.lon) for s in stops] + [bench_tsp.OFFICE]
    wins: list[Window | None] = [None] * (n + 2)
    if windows:
        rng = random.Random(seed)
        for i in range(1, n + 1):  # morning or afternoon promises, some stops free
            wins[i] = rng.choice([Window(450, 660), Window(810, 1020), None])
    return Problem(
        distance_matrix(pts, bench_tsp.OFFICE[0]),  # type: ignore[arg-type]
        windows=wins,
        service_min=[0.0] + [15.0] * n + [0.0],
        speed_m_per_min=250.0,
        start_min=450.0,
    )


def _exact(p: Problem) -> tuple[float, float]:
    """(minutes late, metres) of the best tour by brute force."""
    best = (float("inf"), float("inf"))
    for perm in itertools.permutations(range(1, p.n + 1)):
        route = [0, *perm, p.n + 1]
        cand = (_late(p, route) if p.timed else 0.0, path_length(p.dist, route))
        best = min(best, cand)
    return best


class StepClock:
    """A clock that moves 1 ms per reading: the budget ends after a fixed number of checks."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        self.t += 0.001
        return self.t


@pytest.mark.parametrize("n", [5, 7, 8])
def test_tours_are_optimal_on_tiny_instances(n):
    for seed in range(3):
        p = _problem(n, seed)
        sol = solve(p, budget_s=10.0, seed=seed)
        assert sorted(sol.order) == list(range(1, n + 1))
        assert sol.length_m == pytest.approx(_exact(p)[1], rel=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_windows_are_met_whenever_the_exact_optimum_meets_them(seed):
    p = _problem(7, seed, windows=True)
    late, length = _exact(p)
    sol = solve(p, budget_s=10.0, seed=seed)
    assert sol.schedule.total_late == pytest.approx(late, abs=1e-6)
    if late == 0:
        assert sol.schedule.late == {}
        for node, w in enumerate(p.windows):
            if w is not None and 1 <= node <= p.n:
                assert w.open - 1e-9 <= sol.schedule.begin[node] <= w.close + 1e-9
    # lexicographic: on time first, then as short as the exact optimum
    assert sol.schedule.total_late * LATE_WEIGHT + sol.length_m == pytest.approx(late * LATE_WEIGHT + length)


def test_same_seed_same_clock_same_route_and_the_budget_is_the_clocks():
    p = _problem(40, 3)
    a = solve(p, budget_s=0.3, clock=StepClock(), seed=11, max_kicks=10_000)
    b = solve(p, budget_s=0.3, clock=StepClock(), seed=11, max_kicks=10_000)
    assert a.order == b.order and a.kicks == b.kicks
    assert 0 < a.kicks < 300  # the fake clock's 300 readings ended it, not the kick cap


def test_plan_reports_the_missed_window_and_meets_the_others():
    office = bench_tsp.OFFICE
    # it is already 10:50: a morning promise 6 km away cannot be kept; an afternoon one can
    far = Stop("far", office[0], office[1] + 0.055, window=Window(450, 660))
    later = Stop("later", office[0] + 0.01, office[1], window=Window(810, 1020))
    near = Stop("near", office[0] + 0.001, office[1])
    r = plan(office, [later, far, near], end=office, start_min=650, settings=RouteSettings(service_min=10))
    assert [w.stop_id for w in r.warnings] == ["far"]
    assert r.warnings[0].late_min > 0 and r.warnings[0].arrive_min > 660
    assert r.eta_min["later"] >= 810  # waits for the afternoon window
    assert r.order[0] == "far"  # least late: straight there


def test_the_bench_machinery_reports_a_tiny_run():
    rep = bench_tsp.measure([8], seeds=1, ortools_s=0.2)
    [r] = rep.results
    assert r.ratio_ortools[0] == pytest.approx(1.0, abs=1e-6)  # 8 stops: both find the optimum
    section = bench_tsp.render(rep)
    assert section.startswith(bench_tsp.SECTION) and "| 8 |" in section and "geodesic" in section
