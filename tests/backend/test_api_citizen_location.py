"""A supervisor moves a household's pin or corrects its address; the officer's next pull brings it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import builders
import deliverykit as dk
import eventkit
import httpx
import pytest
from nominatimkit import FakeNominatim, running_nominatim
from sqlalchemy import select
from testkit import LiveServer

from backend.db.schema import citizens
from backend.services.geocoding import make_geocoder

Clients = Callable[[str | None], httpx.Client]


@pytest.fixture
def nominatim() -> Iterator[FakeNominatim]:
    yield from running_nominatim()


def _pull(c: httpx.Client, cursor: str) -> dict:
    r = c.get("/sync/pull", params={"cursor": cursor})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_moved_pin_reaches_the_officers_phone_at_the_next_pull(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    officer, supervisor = client_for("can_bo_a"), client_for("giam_sat_x")
    cursor = _pull(officer, "")["next_cursor"]
    an = world.citizens["an"]

    r = supervisor.patch(f"/citizens/{an}/location", json={"lat": 10.8765, "lon": 105.0912,
                                                           "source": "supervisor"})
    assert r.status_code == 200, r.text
    assert (r.json()["lat"], r.json()["location_source"], r.json()["location_precision"]) == (
        10.8765, "supervisor", "exact")

    page = _pull(officer, cursor)
    assert int(page["next_cursor"]) > int(cursor)
    [moved] = [c for c in page["citizens"] if c["id"] == an]
    assert (moved["lat"], moved["lon"], moved["location_source"]) == (10.8765, 105.0912, "supervisor")
    assert {v["id"] for v in page["visits"]} == {world.visits["pickup_a"], world.visits["pickup_a2"]}
    # and only once
    assert _pull(officer, page["next_cursor"])["citizens"] == []


def test_only_a_supervisor_of_the_household_may_move_it_and_bad_input_changes_nothing(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    an = world.citizens["an"]
    with server.engine.connect() as conn:
        before = conn.execute(select(citizens).where(citizens.c.id == an)).one()
    body = {"lat": 10.88, "lon": 105.09}
    assert client_for("can_bo_a").patch(f"/citizens/{an}/location", json=body).status_code == 403
    assert client_for("giam_sat_y").patch(f"/citizens/{an}/location", json=body).status_code == 404
    sx = client_for("giam_sat_x")
    bad_bodies = ({"lat": 200, "lon": 105.09}, {"lat": 10.88},
                  {"lat": 10.88, "lon": 105.09, "source": "visit"})
    for bad in bad_bodies:
        r = sx.patch(f"/citizens/{an}/location", json=bad)
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["code"] == "validation_error"
    assert sx.patch("/citizens/999999/location", json=body).status_code == 404
    with server.engine.connect() as conn:
        after = conn.execute(select(citizens).where(citizens.c.id == an)).one()
    assert after == before


def test_a_corrected_address_is_geocoded_and_pulled(
        server: LiveServer, world: builders.World, client_for: Clients, nominatim: FakeNominatim) -> None:
    server.app.state.geocoder = make_geocoder(server.settings.__class__(
        data_dir=server.settings.data_dir, secret_key="t", geocoder_url=nominatim.url,
        geocoder_min_delay_s=0.0, geocoder_timeout_s=2.0))
    officer, supervisor = client_for("can_bo_a"), client_for("giam_sat_x")
    cursor = _pull(officer, "")["next_cursor"]
    binh = world.citizens["binh"]
    r = supervisor.patch(f"/citizens/{binh}", json={"address": "Số 15, Khóm An Thịnh"})
    assert r.status_code == 200, r.text
    assert (r.json()["address"], r.json()["lat"], r.json()["location_source"]) == (
        "Số 15, Khóm An Thịnh", 10.8741, "geocoded")
    assert len(nominatim.requests) == 1
    [pulled] = [c for c in _pull(officer, cursor)["citizens"] if c["id"] == binh]
    assert (pulled["address"], pulled["lat"], pulled["location_source"]) == (
        "Số 15, Khóm An Thịnh", 10.8741, "geocoded")
    # an address the geocoder cannot place: the hamlet's centre (builders: 10.871, 105.081), approximate
    r = supervisor.patch(f"/citizens/{binh}", json={"address": "Nhà không ai biết"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["lat"], got["lon"], got["location_source"], got["location_precision"], got["location_note"]) \
        == pytest.approx((10.871, 105.081, "hamlet_centre", "approximate", "not_found"))
    assert supervisor.patch(f"/citizens/{binh}", json={"hamlet_id": 999999}).status_code == 422
    assert supervisor.patch(f"/citizens/{binh}", json={"address": ""}).status_code == 422


def test_a_good_fix_at_a_completed_visit_places_a_household_whose_pin_was_a_guess(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    an, binh = world.citizens["an"], world.citizens["binh"]
    with server.engine.begin() as conn:  # an: at the hamlet's centre; binh: an exact imported pin
        conn.execute(citizens.update().where(citizens.c.id == an).values(
            lat=10.871, lon=105.081, location_source="hamlet_centre", location_precision="approximate",
            location_note="not_found"))
        conn.execute(citizens.update().where(citizens.c.id == binh).values(
            location_source="imported", location_precision="exact"))
    officer = client_for("can_bo_a")
    cursor = _pull(officer, "")["next_cursor"]
    fix = {"lat": 10.8733, "lon": 105.0921, "accuracy_m": 40.0, "device_time": eventkit.now()}
    poor = eventkit.pickup(world.visits["pickup_a"], world.citizen_ids["an"],
                           gps={"fix": fix, "warnings": ["far_from_home"], "reason": "device_gps_weak"})
    good = eventkit.pickup(world.visits["pickup_a2"], world.citizen_ids["an"],
                           gps={"fix": {**fix, "accuracy_m": 6.0}, "warnings": ["far_from_home"],
                                "reason": "device_gps_weak"})
    for event in (poor, good):
        (res,) = officer.post("/sync/push", json={"events": [event]}).json()["results"]
        assert res["status"] == "applied", res
        if event is poor:  # a 40 m fix is not good enough to learn from
            with server.engine.connect() as conn:
                assert conn.execute(select(citizens.c.location_source).where(citizens.c.id == an)).scalar() \
                    == "hamlet_centre"
    [learned] = [c for c in _pull(officer, cursor)["citizens"] if c["id"] == an]
    assert (learned["lat"], learned["lon"], learned["location_source"], learned["location_precision"]) == (
        10.8733, 105.0921, "visit", "exact")
    # an exact pin is never moved by a visit's fix
    code = dk.code_of(server.engine, world.dossiers["delivery_a"])
    (res,) = officer.post("/sync/push", json={"events": [eventkit.delivery(
        world.visits["delivery_a"], code, world.citizen_ids["binh"])]}).json()["results"]
    assert res["status"] == "applied", res
    with server.engine.connect() as conn:
        assert conn.execute(select(citizens.c.location_source).where(citizens.c.id == binh)).scalar() \
            == "imported"
