"""POST /sync/push: apply, idempotency, conflicts, rejections, and each event's effects."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

import builders
import dbstate
import eventkit
import httpx
from sqlalchemy import select
from testkit import LiveServer

from api_client.domain.clock import today_vn
from api_client.domain.timeliness import add_working_days
from backend.db.schema import dossier_status_log, visits

Clients = Callable[[str | None], httpx.Client]


def push(c: httpx.Client, *events: dict) -> list[dict]:
    r = c.post("/sync/push", json={"events": list(events)})
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


def test_pickup_applies_with_all_effects(server: LiveServer, world: builders.World,
                                         client_for: Clients) -> None:
    a = client_for("can_bo_a")
    ev = eventkit.pickup(world.visits["pickup_a"], world.citizen_ids["an"],
                         occurred_at="2025-03-05T09:30:00+07:00")  # a Wednesday morning
    (res,) = push(a, eventkit.en_route(world.visits["pickup_a"]), ev)[1:]
    assert res["status"] == "applied" and res["code"] == 200, res
    assert res["visit"]["status"] == "completed"
    assert res["visit"]["completed_at"] == "2025-03-05T02:30:00+00:00"
    evidence = res["visit"]["evidence"]["visit.pickup_completed"]
    assert evidence["signature"]["signer_name"] == "Nguyễn Văn An"
    assert evidence["gps"]["fix"]["accuracy_m"] == 8.0
    assert res["visit"]["evidence"]["en_route_at"]
    d = res["dossier"]
    assert d["status"] == 2
    assert d["received_at"] == "2025-03-05T02:30:00+00:00"
    assert d["appointment_at"] == "2025-03-05T10:00:00+00:00"  # same day, 17:00 Vietnam time
    assert d["fee_vnd"] == 0 and d["digitization"] == 0  # no photos: not digitized
    # the server state, not just the response
    got = a.get(f"/dossiers/{world.dossiers['pickup_a']}").json()
    assert got["status"] == 2 and got["appointment_at"] == d["appointment_at"]
    with server.engine.connect() as conn:
        log = conn.execute(select(dossier_status_log.c.from_status, dossier_status_log.c.to_status)
                           .where(dossier_status_log.c.dossier_id == world.dossiers["pickup_a"])).all()
    assert [tuple(r) for r in log] == [(1, 2)]


def test_pickup_after_three_pm_is_due_next_working_day_and_fee_and_digitization(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    a = client_for("can_bo_a")
    # upload the two document photos first
    photos = []
    for code in ("ban_chinh", "ban_sao"):
        data = f"jpeg-bytes-{code}".encode()
        sha = hashlib.sha256(data).hexdigest()
        r = a.put(f"/blobs/{sha}", params={"offset": 0, "total": len(data)}, content=data)
        assert r.status_code == 200
        photos.append(eventkit.photo(data, code))
    ev = eventkit.pickup(world.visits["pickup_a2"], world.citizen_ids["an"], photos=photos,
                         occurred_at="2025-03-07T15:30:00+07:00",  # Friday after 15:00
                         checklist=[{"code": "ban_chinh", "present": True},
                                    {"code": "ban_sao", "present": True}],
                         pages=5, payment={"method": "transfer", "amount_vnd": 7000, "receipt_no": "BL-1"})
    (res,) = push(a, ev)
    assert res["status"] == "applied", res
    d = res["dossier"]
    assert d["appointment_at"] == "2025-03-10T10:00:00+00:00"  # Monday 17:00 +07
    assert d["fee_vnd"] == 2 * 2000 + 3 * 1000
    assert d["fee_paid_vnd"] == 7000 and d["paid_online"] is True
    assert d["digitization"] == 1


def test_same_batch_twice_is_all_duplicate_and_changes_nothing(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    a = client_for("can_bo_a")
    batch = [eventkit.en_route(world.visits["pickup_a"]),
             eventkit.pickup(world.visits["pickup_a"], world.citizen_ids["an"]),
             eventkit.failed(world.visits["delivery_a"])]
    first = push(a, *batch)
    assert [r["status"] for r in first] == ["applied"] * 3
    before = dbstate.snapshot(server.engine)
    second = push(a, *batch)
    assert [r["status"] for r in second] == ["duplicate"] * 3
    assert [r["code"] for r in second] == [200] * 3
    assert second[1]["dossier"] == first[1]["dossier"] and second[1]["visit"] == first[1]["visit"]
    assert dbstate.snapshot(server.engine) == before
    assert before["events"] == 3


def test_same_id_with_different_body_is_conflict(server: LiveServer, world: builders.World,
                                                 client_for: Clients) -> None:
    a = client_for("can_bo_a")
    ev = eventkit.en_route(world.visits["pickup_a"])
    assert push(a, ev)[0]["status"] == "applied"
    before = dbstate.snapshot(server.engine)
    reused = eventkit.en_route(world.visits["pickup_a2"]) | {"id": ev["id"]}
    (res,) = push(a, reused)
    assert res["status"] == "conflict" and res["code"] == 409
    assert "id reused" in res["message"]
    assert dbstate.snapshot(server.engine) == before


def test_bad_event_in_the_middle_does_not_block_the_batch(server: LiveServer, world: builders.World,
                                                          client_for: Clients) -> None:
    a = client_for("can_bo_a")
    bad = eventkit.pickup(world.visits["pickup_a2"], "000123456789")  # province 000
    not_mine = eventkit.en_route(world.visits["pickup_b"])
    illegal = eventkit.delivery(world.visits["delivery_a"], "WRONG-CODE", world.citizen_ids["binh"])
    results = push(a, eventkit.en_route(world.visits["pickup_a"]), bad, not_mine, illegal,
                   eventkit.pickup(world.visits["pickup_a"], world.citizen_ids["an"]))
    assert [r["status"] for r in results] == ["applied", "rejected", "rejected", "rejected", "applied"]
    assert [r["code"] for r in results] == [200, 422, 404, 422, 200]
    assert "Mã tỉnh 000" in results[1]["message"]
    assert "không khớp" in results[3]["message"]
    assert a.get(f"/visits/{world.visits['pickup_a2']}").json()["status"] == "planned"


def test_conflict_for_completed_cancelled_and_reassigned_visits(server: LiveServer, world: builders.World,
                                                                client_for: Clients) -> None:
    a, sx = client_for("can_bo_a"), client_for("giam_sat_x")
    first = push(a, eventkit.pickup(world.visits["pickup_a"], world.citizen_ids["an"]))
    assert first[0]["status"] == "applied"
    (again,) = push(a, eventkit.pickup(world.visits["pickup_a"], world.citizen_ids["an"]))
    assert again["status"] == "conflict" and again["visit"]["status"] == "completed"
    assert sx.patch(f"/visits/{world.visits['pickup_a2']}", json={"cancel": True}).status_code == 200
    (cancelled,) = push(a, eventkit.en_route(world.visits["pickup_a2"]))
    assert cancelled["status"] == "conflict" and cancelled["visit"]["status"] == "cancelled"
    r = sx.patch(f"/visits/{world.visits['delivery_a']}", json={"assignee_id": world.officer_b})
    assert r.status_code == 200
    (moved,) = push(a, eventkit.en_route(world.visits["delivery_a"]))
    assert moved["status"] == "conflict" and moved["code"] == 409 and moved["visit"] is None


def test_missing_photo_blob_is_conflict_then_applies_after_upload(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    a = client_for("can_bo_a")
    data = b"\xff\xd8 a real photo"
    ev = eventkit.pickup(world.visits["pickup_a"], world.citizen_ids["an"],
                         photos=[eventkit.photo(data, "to_khai")])
    before = dbstate.snapshot(server.engine)
    (res,) = push(a, ev)
    assert res["status"] == "conflict" and res["code"] == 409 and res["message"] == "missing_blobs"
    assert dbstate.snapshot(server.engine) == before
    sha = ev["payload"]["photos"][0]["sha256"]
    assert a.put(f"/blobs/{sha}", params={"offset": 0, "total": len(data)}, content=data).status_code == 200
    (res,) = push(a, ev)
    assert res["status"] == "applied"


def test_supplement_failed_and_delivery_effects(server: LiveServer, world: builders.World,
                                                client_for: Clients) -> None:
    a = client_for("can_bo_a")
    (sup,) = push(a, eventkit.supplement(world.visits["pickup_a"]))
    assert sup["status"] == "applied"
    assert sup["dossier"]["status"] == 5 and sup["dossier"]["supplement_requests"] == 1
    assert sup["visit"]["status"] == "completed"

    (fail,) = push(a, eventkit.failed(world.visits["pickup_a2"]))
    assert fail["status"] == "applied"
    assert fail["visit"]["status"] == "failed" and fail["visit"]["attempts"] == 1
    assert fail["visit"]["failure_reason"] == "nobody_home"
    # the default new date is the next working day of the commune's calendar (Vietnam time)
    vn_today = today_vn()
    expected = add_working_days(vn_today + timedelta(days=1), 0).isoformat()
    assert fail["visit"]["proposed_date"] == expected
    with server.engine.connect() as conn:
        again = conn.execute(select(visits).where(visits.c.dossier_id == world.dossiers["pickup_a2"],
                                                  visits.c.status == "planned")).mappings().one()
    assert again["assignee_id"] == world.officer_a and again["planned_date"] == expected
    assert again["attempts"] == 1

    dossier = a.get(f"/dossiers/{world.dossiers['delivery_a']}").json()
    (dl,) = push(a, eventkit.delivery(world.visits["delivery_a"], dossier["code"], world.citizen_ids["binh"]))
    assert dl["status"] == "applied", dl
    assert dl["dossier"]["status"] == 10 and dl["dossier"]["on_time"] is True
    assert datetime.fromisoformat(dl["dossier"]["returned_at"]).year == today_vn().year


def test_failed_visit_with_past_proposed_date_is_rejected(server: LiveServer, world: builders.World,
                                                          client_for: Clients) -> None:
    a = client_for("can_bo_a")
    (res,) = push(a, eventkit.failed(world.visits["pickup_a"], proposed_date="2021-01-01"))
    assert res["status"] == "rejected" and "đã qua" in res["message"]


def test_supervisor_status_moves(server: LiveServer, world: builders.World, client_for: Clients) -> None:
    sx = client_for("giam_sat_x")
    did = world.dossiers["pickup_b"]
    r = sx.post(f"/dossiers/{did}/status", json={"status": 9})
    assert r.status_code == 409 and r.json()["code"] == "illegal_move"
    assert "từ 1" in r.json()["detail"] and "sang 9" in r.json()["detail"]
    assert sx.get(f"/dossiers/{did}").json()["status"] == 1
    r = sx.post(f"/dossiers/{did}/status", json={"status": 2, "note": "Tiếp nhận tại bàn"})
    assert r.status_code == 200 and r.json()["status"] == 2
    r = sx.post(f"/dossiers/{did}/status", json={"status": 7})
    assert r.status_code == 200
    r = sx.post(f"/dossiers/{did}/status", json={"status": 4})
    assert r.status_code == 409 and "trạng thái cuối" in r.json()["detail"]
    with server.engine.connect() as conn:
        log = conn.execute(select(dossier_status_log.c.to_status, dossier_status_log.c.by_officer_id)
                           .where(dossier_status_log.c.dossier_id == did)
                           .order_by(dossier_status_log.c.id)).all()
    assert [tuple(r) for r in log] == [(2, world.supervisor_x), (7, world.supervisor_x)]
