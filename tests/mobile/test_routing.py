"""Route order: nearest neighbour from the officer, improved by 2-opt, never worse."""

from __future__ import annotations

import random

from mobile.routing import MAX_NEAREST, Stop, _nearest_neighbour, _xy, path_length_m, plan_route


def _random_stops(n: int, seed: int) -> list[Stop]:
    rng = random.Random(seed)
    return [Stop(i, 10.80 + rng.random() * 0.1, 105.05 + rng.random() * 0.1) for i in range(n)]


def _nn_only(start, stops):
    lat0 = start[0]
    pts = [_xy(s.lat, s.lon, lat0) for s in stops]
    return [stops[i] for i in _nearest_neighbour(_xy(*start, lat0), pts)]


def test_two_opt_never_worse_than_nearest_neighbour():
    start = (10.85, 105.10)
    improved = 0
    for seed in range(20):
        stops = _random_stops(25, seed)
        nn = path_length_m(start, _nn_only(start, stops))
        by_id = {s.id: s for s in stops}
        planned = path_length_m(start, [by_id[i] for i in plan_route(start, stops)])
        assert planned <= nn + 1e-6
        improved += planned < nn - 1
    assert improved > 0  # 2-opt actually shortens some nearest-neighbour routes


def test_every_stop_once_and_unlocated_at_the_end_in_order():
    stops = _random_stops(10, 1) + [Stop("x", None, None), Stop("y", None, 105.0)]
    order = plan_route((10.85, 105.1), stops)
    assert sorted(map(str, order)) == sorted(str(s.id) for s in stops)
    assert order[-2:] == ["x", "y"]


def test_starts_with_the_nearest_stop():
    near = Stop("near", 10.8501, 105.1001)
    far = Stop("far", 10.95, 105.15)
    assert plan_route((10.85, 105.10), [far, near])[0] == "near"


def test_without_a_position_and_without_coordinates():
    stops = _random_stops(5, 3)
    assert sorted(plan_route(None, stops)) == list(range(5))
    assert plan_route(None, [Stop(1, None, None), Stop(2, None, None)]) == [1, 2]
    assert plan_route((10.8, 105.0), []) == []


def test_collinear_route_is_optimal():
    # points on a line, shuffled: the best open path from the west end visits them in order
    stops = [Stop(i, 10.85, 105.0 + i * 0.01) for i in range(8)]
    random.Random(5).shuffle(stops)
    assert plan_route((10.85, 104.99), stops) == list(range(8))


def test_large_sets_use_the_sweep_and_keep_every_stop():
    stops = _random_stops(MAX_NEAREST + 10, 9)
    order = plan_route((10.85, 105.1), stops)
    assert len(order) == len(stops) and len(set(order)) == len(stops)
