"""Proof of presence on failed visits and supplement requests: GPS and door photos travel with the
event (optional on the wire for older phones), and a supplement request tells the citizen what to bring."""

from __future__ import annotations

from collections.abc import Callable

import builders
import eventkit
import httpx
from testkit import LiveServer

Clients = Callable[[str | None], httpx.Client]


def push(c: httpx.Client, *events: dict) -> list[dict]:
    r = c.post("/sync/push", json={"events": list(events)})
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


def _upload(c: httpx.Client, data: bytes) -> dict:
    ref = eventkit.photo(data, "door")
    assert c.put(f"/blobs/{ref['sha256']}", params={"offset": 0, "total": len(data)},
                 content=data).status_code == 200
    return ref


def test_failed_visit_carries_fix_and_door_photo(server: LiveServer, world: builders.World,
                                                 client_for: Clients) -> None:
    a = client_for("can_bo_a")
    door = b"\xff\xd8 the closed door"
    ev = eventkit.failed(world.visits["pickup_a"])
    ev["payload"] |= {"gps": eventkit.gps(), "photos": [eventkit.photo(door, "door")]}
    (res,) = push(a, ev)
    assert res["status"] == "conflict" and res["message"] == "missing_blobs"  # photo first
    _upload(a, door)
    (res,) = push(a, ev)
    assert res["status"] == "applied", res
    evidence = a.get(f"/visits/{world.visits['pickup_a']}").json()["evidence"]["visit.failed"]
    assert evidence["gps"]["fix"]["accuracy_m"] == 8.0
    assert evidence["photos"][0]["document_code"] == "door"


def test_failed_visit_with_a_reason_instead_of_a_fix(server: LiveServer, world: builders.World,
                                                     client_for: Clients) -> None:
    a = client_for("can_bo_a")
    ev = eventkit.failed(world.visits["pickup_a"])
    ev["payload"]["gps"] = {"fix": None, "warnings": ["no_fix"], "reason": "no_gps_permission"}
    (res,) = push(a, ev)
    assert res["status"] == "applied", res
    evidence = a.get(f"/visits/{world.visits['pickup_a']}").json()["evidence"]["visit.failed"]
    assert evidence["gps"]["reason"] == "no_gps_permission" and evidence["gps"]["fix"] is None


def test_supplement_request_queues_a_notice_listing_what_to_bring(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    a = client_for("can_bo_a")
    ev = eventkit.supplement(world.visits["pickup_a"])
    ev["payload"] |= {"gps": eventkit.gps(), "proposed_date": "2099-01-05"}
    (res,) = push(a, ev)
    assert res["status"] == "applied", res
    sup = client_for("giam_sat_x")
    notices = sup.get("/notices", params={"dossier_id": world.dossiers["pickup_a"]}).json()
    [notice] = [n for n in notices if n["kind"] == "supplement_needed"]
    assert notice["state"] == "queued"
    assert "cần bổ sung: Giấy chứng sinh" in notice["text"] and "05/01/2099" in notice["text"]


def test_older_events_without_proof_still_apply(server: LiveServer, world: builders.World,
                                                client_for: Clients) -> None:
    a = client_for("can_bo_a")
    (sup,) = push(a, eventkit.supplement(world.visits["pickup_a"]))
    (fail,) = push(a, eventkit.failed(world.visits["pickup_a2"]))
    assert sup["status"] == fail["status"] == "applied"
