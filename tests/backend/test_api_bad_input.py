"""Bad input is a clear 422 (never 500) and leaves the server unchanged; gzip bodies are accepted."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

import builders
import dbstate
import eventkit
import httpx
import pytest
from testkit import LiveServer

from api_client.domain.clock import now_utc

Clients = Callable[[str | None], httpx.Client]


def test_malformed_json_wrong_types_and_unknown_fields_are_422(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    sx = client_for("giam_sat_x")
    before = dbstate.snapshot(server.engine)
    r = sx.post("/visits", content=b'{"kind": "pickup",', headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["code"] == "malformed_json"
    r = sx.post("/visits", json={"kind": "pickup", "dossier_id": "mot", "planned_date": "2030-01-02"})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "dossier_id"]
    r = sx.post("/visits", json={"kind": "pickup", "dossier_id": world.dossiers["pickup_b"],
                                 "planned_date": "2030-01-02", "priority": "high"})
    assert r.status_code == 422 and "priority" in r.json()["detail"]
    r = sx.post(f"/dossiers/{world.dossiers['pickup_b']}/status", json={"status": 42})
    assert r.status_code == 422
    r = sx.post("/sync/push", json={"events": []})
    assert r.status_code == 422
    r = sx.post("/sync/push", json={"events": [{}], "extra": 1})
    assert r.status_code == 422
    assert dbstate.snapshot(server.engine) == before


def _broken(world: builders.World) -> list[tuple[dict, str]]:
    """(event, expected words in the message) for each field rule."""
    vid, idn = world.visits["pickup_a"], world.citizen_ids["an"]
    cases = []
    cases.append((eventkit.pickup(vid, "08908512345"), "12 chữ số"))
    cases.append((eventkit.pickup(vid, "097085123456"), "Mã tỉnh 097"))
    ev = eventkit.pickup(vid, idn)
    ev["payload"]["citizen"]["phone"] = "12345"
    cases.append((ev, "Số điện thoại"))
    ev = eventkit.pickup(vid, idn)
    ev["payload"]["gps"]["fix"]["lat"] = 95.0
    cases.append((ev, "lat"))
    ev = eventkit.pickup(vid, idn)
    ev["payload"]["gps"]["fix"]["lon"] = -181
    cases.append((ev, "lon"))
    cases.append((eventkit.pickup(vid, idn, occurred_at="1999-06-01T10:00:00+07:00"), "trước năm 2020"))
    next_year = now_utc().replace(year=now_utc().year + 1).isoformat()
    cases.append((eventkit.pickup(vid, idn, occurred_at=next_year), "tương lai"))
    ev = eventkit.pickup(vid, idn)
    ev["payload"]["signature"]["strokes"] = ""
    cases.append((ev, "Chưa có chữ ký"))
    ev = eventkit.pickup(vid, idn)
    ev["payload"]["surprise"] = True
    cases.append((ev, "surprise"))
    ev = eventkit.pickup(vid, idn)
    ev["type"] = "visit.teleported"
    cases.append((ev, "type"))
    ev = eventkit.pickup(vid, idn)
    ev["id"] = "not-a-uuid"
    cases.append((ev, "id"))
    ev = eventkit.pickup(vid, idn)
    ev["payload"]["gps"] = {"fix": None}
    cases.append((ev, "GPS"))
    return cases


def test_each_broken_event_is_rejected_with_a_clear_message_and_changes_nothing(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    a = client_for("can_bo_a")
    cases = _broken(world)
    before = dbstate.snapshot(server.engine)
    r = a.post("/sync/push", json={"events": [ev for ev, _ in cases]})
    assert r.status_code == 200
    results = r.json()["results"]
    assert len(results) == len(cases)
    for (ev, words), res in zip(cases, results):
        assert res["status"] == "rejected" and res["code"] == 422, (words, res)
        assert words in res["message"], (words, res["message"])
        assert res["id"] == ev["id"]
    assert dbstate.snapshot(server.engine) == before


def test_citizen_id_of_someone_else_is_rejected(server: LiveServer, world: builders.World,
                                                client_for: Clients) -> None:
    a = client_for("can_bo_a")
    (res,) = a.post("/sync/push", json={"events": [
        eventkit.pickup(world.visits["pickup_a"], world.citizen_ids["binh"])]}).json()["results"]
    assert res["status"] == "rejected" and "không khớp" in res["message"]


def test_bad_phone_in_officer_creation_is_422(server: LiveServer, world: builders.World,
                                              client_for: Clients) -> None:
    r = client_for("giam_sat_x").post("/officers", json={
        "username": "so_sai", "password": "matkhau123", "full_name": "X", "role": "hamlet_officer",
        "phone": "0123"})
    assert r.status_code == 422 and "Số điện thoại" in r.json()["detail"]


@pytest.mark.parametrize("compress", [True, False])
def test_gzip_request_bodies_are_accepted(server: LiveServer, world: builders.World, client_for: Clients,
                                          compress: bool) -> None:
    a = client_for("can_bo_a")
    events = [eventkit.pickup(world.visits["pickup_a"], world.citizen_ids["an"])]
    body = json.dumps({"events": events}).encode()
    headers = {"Content-Type": "application/json"}
    if compress:
        body, headers["Content-Encoding"] = gzip.compress(body), "gzip"
    r = a.post("/sync/push", content=body, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["status"] == "applied"


def test_corrupt_gzip_is_422(server: LiveServer, world: builders.World, client_for: Clients) -> None:
    r = client_for("can_bo_a").post("/sync/push", content=b"\x1f\x8bnot gzip at all",
                                    headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert r.status_code == 422 and r.json()["code"] == "bad_encoding"
