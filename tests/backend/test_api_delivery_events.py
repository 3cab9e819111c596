"""visit.delivery_completed / visit.failed / visit.en_route on delivery visits: every branch."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import builders
import deliverykit as dk
import eventkit
import httpx
from sqlalchemy import select
from testkit import LiveServer

from backend.db.schema import dossiers, handovers, visits

Clients = Callable[[str | None], httpx.Client]


def _ready_with_visit(
    server: LiveServer, world: builders.World, sx: httpx.Client, **kw: Any
) -> tuple[int, int]:
    did = dk.new_dossier(server.engine, world, **kw)
    dk.make_ready(sx, did)
    (visit,) = dk.delivery_visits(server.engine, did)
    return did, visit["id"]


def test_applicant_delivery_returns_the_result(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx, a = client_for("giam_sat_x"), client_for("can_bo_a")
    did, vid = _ready_with_visit(server, world, sx, procedure="xac_nhan_hon_nhan")
    (res,) = dk.push(a, eventkit.delivery(vid, dk.code_of(server.engine, did), world.citizen_ids["binh"]))
    assert res["status"] == "applied" and res["message"] is None, res
    assert res["dossier"]["status"] == 10 and res["visit"]["status"] == "completed"
    assert res["visit"]["evidence"]["visit.delivery_completed"]["recipient"]["kind"] == "applicant"


def test_delivery_of_a_dossier_not_ready_returned_or_withdrawn_is_rejected(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx, a = client_for("giam_sat_x"), client_for("can_bo_a")
    cases = {4: "chưa có kết quả", 7: "Đã rút hồ sơ", 3: "Không được tiếp nhận"}
    for status, words in cases.items():
        did = dk.new_dossier(server.engine, world, status=status)
        with server.engine.begin() as conn:
            vid = builders.visit(conn, did, world.officer_a, kind="delivery")
        (res,) = dk.push(a, eventkit.delivery(vid, dk.code_of(server.engine, did), world.citizen_ids["binh"]))
        assert res["status"] == "rejected" and res["code"] == 422, res
        assert words in res["message"], res["message"]
    # returned at the desk meanwhile: the officer's open visit cannot return it twice
    did, vid = _ready_with_visit(server, world, sx)
    assert sx.post(f"/dossiers/{did}/status", json={"status": 10}).status_code == 200
    (res,) = dk.push(a, eventkit.delivery(vid, dk.code_of(server.engine, did), world.citizen_ids["binh"]))
    assert res["status"] == "rejected" and "đã trả kết quả" in res["message"]
    with server.engine.connect() as conn:
        assert conn.execute(select(visits.c.status).where(visits.c.id == vid)).scalar_one() == "planned"


def test_id_and_receipt_code_mismatches_are_rejected(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx, a = client_for("giam_sat_x"), client_for("can_bo_a")
    did, vid = _ready_with_visit(server, world, sx)
    code = dk.code_of(server.engine, did)
    (res,) = dk.push(a, eventkit.delivery(vid, code, world.citizen_ids["an"]))  # someone else's ID
    assert res["status"] == "rejected" and "căn cước người nhận không khớp" in res["message"]
    wrong = code[:-1] + ("1" if code[-1] != "1" else "2")
    (res,) = dk.push(a, eventkit.delivery(vid, wrong, world.citizen_ids["binh"]))
    assert res["status"] == "rejected" and "Mã phiếu hẹn" in res["message"]
    (res,) = dk.push(a, eventkit.delivery(vid, code.lower(), world.citizen_ids["binh"]))  # case-insensitive
    assert res["status"] == "applied"


def test_authorised_person_needs_relationship_and_uploaded_paper(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx, a = client_for("giam_sat_x"), client_for("can_bo_a")
    did, vid = _ready_with_visit(server, world, sx)
    paper = b"\xff\xd8 giay uy quyen " * 50
    sha = hashlib.sha256(paper).hexdigest()
    proxy = {
        "kind": "authorised",
        "full_name": "Trần Văn Tư",
        "id_number": world.citizen_ids["an"],
        "relationship": "chồng",
        "authorisation_photo": sha,
    }
    ev = eventkit.delivery(vid, dk.code_of(server.engine, did), world.citizen_ids["binh"])
    ev["payload"]["recipient"] = {k: v for k, v in proxy.items() if k != "relationship"}
    (res,) = dk.push(a, ev)
    assert res["status"] == "rejected" and "ủy quyền" in res["message"]
    ev = eventkit.delivery(vid, dk.code_of(server.engine, did), world.citizen_ids["binh"])
    ev["payload"]["recipient"] = proxy
    (res,) = dk.push(a, ev)
    assert res["status"] == "conflict" and res["message"] == "missing_blobs"
    assert a.put(f"/blobs/{sha}", params={"offset": 0, "total": len(paper)}, content=paper).status_code == 200
    (res,) = dk.push(a, ev)
    assert res["status"] == "applied", res
    got = res["visit"]["evidence"]["visit.delivery_completed"]["recipient"]
    assert got["relationship"] == "chồng" and got["authorisation_photo"] == sha
    log = a.get(f"/dossiers/{did}/tracking-log").json()
    assert log["rows"][-1]["to_name"] == "Trần Văn Tư" and "ủy quyền (chồng)" in log["rows"][-1]["note"]


def test_fee_owed_must_be_paid_at_delivery(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    dk.publish_v2(server.engine)
    sx, a = client_for("giam_sat_x"), client_for("can_bo_a")
    did, vid = _ready_with_visit(
        server, world, sx, procedure="chung_thuc_chu_ky", catalogue_version=2, fee_vnd=10000, fee_paid_vnd=0
    )
    code = dk.code_of(server.engine, did)
    (res,) = dk.push(a, eventkit.delivery(vid, code, world.citizen_ids["binh"]))
    assert res["status"] == "rejected" and "còn nợ phí 10.000 đồng" in res["message"]
    payment = {"method": "transfer", "amount_vnd": 10000, "receipt_no": "BL-0001"}
    (res,) = dk.push(a, eventkit.delivery(vid, code, world.citizen_ids["binh"], payment=payment))
    assert res["status"] == "applied", res
    assert res["dossier"]["fee_paid_vnd"] == 10000 and res["dossier"]["paid_online"] is True


def test_letter_not_handed_still_applies_with_a_warning(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    dk.publish_v2(server.engine)
    sx, a = client_for("giam_sat_x"), client_for("can_bo_a")
    did, vid = _ready_with_visit(server, world, sx, procedure="ket_hon", catalogue_version=2)
    (res,) = dk.push(a, eventkit.delivery(vid, dk.code_of(server.engine, did), world.citizen_ids["binh"]))
    assert res["status"] == "applied" and res["dossier"]["status"] == 10
    assert res["message"] == "Chưa trao thư chúc mừng kèm kết quả (letter not handed over)"
    assert res["visit"]["evidence"]["visit.delivery_completed"]["letter_missing"] == "congratulation"
    did2, vid2 = _ready_with_visit(server, world, sx, procedure="khai_tu", catalogue_version=2)
    (res,) = dk.push(
        a,
        eventkit.delivery(
            vid2, dk.code_of(server.engine, did2), world.citizen_ids["binh"], letter_handed=True
        ),
    )
    assert res["status"] == "applied" and res["message"] is None
    assert "letter_missing" not in res["visit"]["evidence"]["visit.delivery_completed"]


def test_en_route_tells_the_citizen_once(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx, a = client_for("giam_sat_x"), client_for("can_bo_a")
    did, vid = _ready_with_visit(server, world, sx)
    dk.push(a, eventkit.en_route(vid), eventkit.en_route(vid))
    on_the_way = [n for n in dk.notices_of(server.engine, did) if n["kind"] == "on_the_way"]
    assert len(on_the_way) == 1
    assert on_the_way[0]["text"] == (
        f"UBND xã An Phú: Cán bộ Cán bộ can_bo_a đang trên đường đến nhà bạn "
        f"về hồ sơ {dk.code_of(server.engine, did)}."
    )


def test_failed_deliveries_up_to_the_limit_send_the_result_back_to_the_desk(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx, sy, a = client_for("giam_sat_x"), client_for("giam_sat_y"), client_for("can_bo_a")
    did, vid = _ready_with_visit(server, world, sx)
    limit = server.settings.failed_delivery_limit
    assert limit == 3
    for attempt in range(1, limit + 1):
        (res,) = dk.push(a, eventkit.failed(vid))
        assert res["status"] == "applied" and res["visit"]["attempts"] == attempt
        assert sx.get("/notifications").json() == [] or attempt == limit
        if attempt < limit:
            vid = dk.delivery_visits(server.engine, did)[-1]["id"]  # the re-planned visit
    assert "chuyển về trả tại bộ phận một cửa" in res["visit"]["notice"]
    all_visits = dk.delivery_visits(server.engine, did)
    assert [v["status"] for v in all_visits] == ["failed"] * limit  # no fourth visit
    with server.engine.connect() as conn:
        assert (
            conn.execute(select(dossiers.c.return_method).where(dossiers.c.id == did)).scalar_one() == "desk"
        )
        (back,) = conn.execute(select(handovers)).mappings().all()
    assert back["direction"] == "officer_to_desk" and back["from_officer_id"] == world.officer_a
    assert back["to_officer_id"] is None and back["receiver_confirmed_at"] is None
    assert back["giver_confirmed_at"] is not None and back["reason"] == "failed_delivery"
    # the commune's supervisor is told; the other commune's is not
    (note,) = sx.get("/notifications", params={"unread": "true"}).json()
    assert (
        note["kind"] == "returned_to_desk" and note["dossier_id"] == did and note["handover_id"] == back["id"]
    )
    assert sy.get("/notifications").json() == []
    pending = sx.get("/handovers", params={"pending": "true"}).json()
    assert [h["id"] for h in pending] == [back["id"]] and pending[0]["to_name"] == "Bộ phận một cửa"
    # the desk confirms it has the papers back; the notification is read
    r = sx.post(f"/handovers/{back['id']}/confirm")
    assert (
        r.status_code == 200
        and r.json()["receiver_confirmed_at"]
        and r.json()["to_officer_id"] == world.supervisor_x
    )
    assert sx.get("/handovers", params={"pending": "true"}).json() == []
    assert sx.post(f"/notifications/{note['id']}/read").json()["read_at"]
    assert sx.get("/notifications", params={"unread": "true"}).json() == []
    assert sy.post(f"/notifications/{note['id']}/read").status_code == 404
    # the citizen heard after every attempt; the last one says to come to the desk
    failed = [n for n in dk.notices_of(server.engine, did) if n["kind"] == "failed_attempt"]
    assert len(failed) == limit
    assert "Cán bộ sẽ quay lại ngày" in failed[0]["text"]
    assert failed[-1]["text"].endswith("Mời bạn đến bộ phận một cửa để nhận kết quả.")
