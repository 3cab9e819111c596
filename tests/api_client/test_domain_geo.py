"""Distances people read are geodesic (WGS-84 through geopy), not a spherical approximation."""

from __future__ import annotations

import random

import pytest

from api_client.domain.geo import distance_m, within_m


def test_a_degree_of_latitude_at_the_equator_is_the_ellipsoids_not_the_spheres():
    # WGS-84: 110,574.39 m; a sphere of radius 6,371 km (haversine) would say 111,194.9 m
    assert distance_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(110_574.389, abs=0.01)


def test_an_phu_office_to_vinh_hau_matches_geopy_and_is_symmetric():
    from geopy.distance import geodesic

    d = distance_m(10.871, 105.087, 10.777, 105.132)
    assert d == pytest.approx(geodesic((10.871, 105.087), (10.777, 105.132)).meters)
    assert d == pytest.approx(distance_m(10.777, 105.132, 10.871, 105.087))
    assert 11_000 < d < 12_000


def test_within_agrees_with_the_geodesic_around_the_radius():
    rng = random.Random(3)
    for _ in range(400):
        lat, lon = 10.7 + rng.random() * 0.3, 105.0 + rng.random() * 0.2
        dlat, dlon = rng.uniform(-0.0015, 0.0015), rng.uniform(-0.0015, 0.0015)
        r = rng.choice([50.0, 100.0, 150.0])
        assert within_m(lat, lon, lat + dlat, lon + dlon, r) == (
            distance_m(lat, lon, lat + dlat, lon + dlon) <= r
        )
