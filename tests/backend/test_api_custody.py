"""Chain of custody: handovers (who may confirm, order, times) and the dossier tracking log + PDF."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from datetime import datetime

import builders
import deliverykit as dk
import eventkit
import httpx
from pypdf import PdfReader
from testkit import LiveServer

Clients = Callable[[str | None], httpx.Client]


def pdf_text(data: bytes) -> str:
    """Text of every page, NFC-normalised with whitespace collapsed (justified lines add spaces)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _handover(
    c: httpx.Client, direction: str, dossier_ids: list[int], counterpart: int, note: str | None = None
) -> httpx.Response:
    body = {"direction": direction, "dossier_ids": dossier_ids, "counterpart_id": counterpart}
    if note:
        body["note"] = note
    return c.post("/handovers", json=body)


def test_only_the_counterpart_confirms_and_twice_is_a_no_op(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    with server.engine.begin() as conn:
        builders.officer(conn, "giam_sat_x2", "supervisor", [world.x["commune"]])
    sx, sx2, sy = client_for("giam_sat_x"), client_for("giam_sat_x2"), client_for("giam_sat_y")
    a, b = client_for("can_bo_a"), client_for("can_bo_b")
    r = _handover(a, "desk_to_officer", [world.dossiers["delivery_a"]], world.supervisor_x, "Nhận đi trả")
    assert r.status_code == 201, r.text
    h = r.json()
    assert (h["from_officer_id"], h["to_officer_id"]) == (world.supervisor_x, world.officer_a)
    assert h["receiver_confirmed_at"] and h["giver_confirmed_at"] is None and h["pending"] is True
    assert h["dossier_ids"] == [world.dossiers["delivery_a"]] and h["created_by"] == world.officer_a
    assert [x["id"] for x in sx.get("/handovers", params={"pending": "true"}).json()] == [h["id"]]
    assert a.get("/handovers", params={"pending": "true"}).json() == []  # nothing awaits the creator
    assert b.post(f"/handovers/{h['id']}/confirm").status_code == 404  # not a party, cannot see it
    assert sy.post(f"/handovers/{h['id']}/confirm").status_code == 404  # another commune
    r = sx2.post(f"/handovers/{h['id']}/confirm")  # sees it (same commune) but is not the named desk
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    again = a.post(f"/handovers/{h['id']}/confirm").json()  # the creator's side: already confirmed
    assert (
        again["receiver_confirmed_at"] == h["receiver_confirmed_at"] and again["giver_confirmed_at"] is None
    )
    done = sx.post(f"/handovers/{h['id']}/confirm").json()
    assert done["giver_confirmed_at"] and done["pending"] is False
    assert datetime.fromisoformat(done["giver_confirmed_at"]) >= datetime.fromisoformat(
        h["receiver_confirmed_at"]
    )
    twice = sx.post(f"/handovers/{h['id']}/confirm").json()
    assert twice["giver_confirmed_at"] == done["giver_confirmed_at"]
    assert sx.get("/handovers", params={"pending": "true"}).json() == []
    listed = a.get("/handovers", params={"dossier_id": world.dossiers["delivery_a"]}).json()
    assert [x["id"] for x in listed] == [h["id"]]
    assert listed[0]["from_name"] == "Cán bộ giam_sat_x" and listed[0]["to_name"] == "Cán bộ can_bo_a"


def test_handover_validation(server: LiveServer, world: builders.World, client_for: Clients) -> None:
    a, sx = client_for("can_bo_a"), client_for("giam_sat_x")
    ready = world.dossiers["delivery_a"]
    r = _handover(a, "desk_to_officer", [ready], world.officer_b)  # two field officers
    assert r.status_code == 422 and "bộ phận một cửa" in r.json()["detail"]
    r = _handover(a, "desk_to_officer", [ready], world.supervisor_y)  # desk of another commune
    assert r.status_code == 422 and "không phụ trách" in r.json()["detail"]
    r = _handover(a, "desk_to_officer", [world.dossiers["pickup_b"]], world.supervisor_x)  # not a's dossier
    assert r.status_code == 404
    r = _handover(a, "desk_to_officer", [world.dossiers["pickup_a"]], world.supervisor_x)  # no result yet
    assert r.status_code == 409 and "chỉ giao hồ sơ đã có kết quả" in r.json()["detail"]
    r = _handover(a, "officer_to_desk", [world.dossiers["pickup_a"]], world.supervisor_x)  # not collected
    assert r.status_code == 409 and "chưa tiếp nhận" in r.json()["detail"]
    r = _handover(a, "sideways", [ready], world.supervisor_x)
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    r = a.post("/handovers", json={"direction": "desk_to_officer", "dossier_ids": [], "counterpart_id": 1})
    assert r.status_code == 422
    # the desk may record it too: then the officer is the counterpart
    r = _handover(sx, "desk_to_officer", [ready], world.officer_a)
    assert (
        r.status_code == 201 and r.json()["giver_confirmed_at"] and r.json()["receiver_confirmed_at"] is None
    )
    assert [h["id"] for h in a.get("/handovers", params={"pending": "true"}).json()] == [r.json()["id"]]


def test_tracking_log_order_times_and_outcomes(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    a, sx = client_for("can_bo_a"), client_for("giam_sat_x")
    did = world.dossiers["pickup_a"]
    # received on Wednesday 2025-03-05 09:30 (Vietnam): same-day procedure, due that day 17:00
    (pk,) = dk.push(
        a,
        eventkit.pickup(
            world.visits["pickup_a"], world.citizen_ids["an"], occurred_at="2025-03-05T09:30:00+07:00"
        ),
    )
    assert pk["dossier"]["appointment_at"] == "2025-03-05T10:00:00+00:00"
    h_in = _handover(a, "officer_to_desk", [did], world.supervisor_x).json()
    sx.post(f"/handovers/{h_in['id']}/confirm")
    dk.make_ready(sx, did)
    h_out = _handover(a, "desk_to_officer", [did], world.supervisor_x).json()
    sx.post(f"/handovers/{h_out['id']}/confirm")
    (visit,) = dk.delivery_visits(server.engine, did)
    (dl,) = dk.push(
        a,
        eventkit.delivery(
            visit["id"], pk["dossier"]["code"], world.citizen_ids["an"], full_name="Nguyễn Văn An"
        ),
    )
    assert dl["status"] == "applied" and dl["dossier"]["on_time"] is False  # returned in 2026: late
    log = a.get(f"/dossiers/{did}/tracking-log").json()
    assert log["dossier_code"] == pk["dossier"]["code"] and log["citizen_name"] == "Nguyễn Văn An"
    assert log["procedure_name"] == "Đăng ký khai sinh"
    rows = log["rows"]
    assert [r["kind"] for r in rows] == ["pickup", "handover", "handover", "delivery"]
    times = [datetime.fromisoformat(r["at"]) for r in rows]
    assert times == sorted(times)
    assert (rows[0]["from_name"], rows[0]["to_name"]) == ("Nguyễn Văn An", "Cán bộ can_bo_a")
    assert rows[0]["at"] == "2025-03-05T02:30:00+00:00"
    assert (rows[1]["from_name"], rows[1]["to_name"]) == (
        "Cán bộ can_bo_a",
        "Bộ phận một cửa (Cán bộ giam_sat_x)",
    )
    assert (rows[2]["from_name"], rows[2]["to_name"]) == (
        "Bộ phận một cửa (Cán bộ giam_sat_x)",
        "Cán bộ can_bo_a",
    )
    assert all(r["giver_confirmed_at"] and r["receiver_confirmed_at"] for r in rows)
    assert (rows[3]["from_name"], rows[3]["to_name"]) == ("Cán bộ can_bo_a", "Nguyễn Văn An")
    # received the day it was due: on time; everything after 2025-03-05: late
    assert [r["outcome"] for r in rows] == ["on_time", "late", "late", "late"]
    pdf = a.get(f"/dossiers/{did}/tracking-log.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        pk["dossier"]["code"],
        "Đăng ký khai sinh",
        "Người nộp: Nguyễn Văn An",
        "Giao/nhận",
        "Người giao",
        "Người nhận",
        "Kết quả",
        "Ghi chú",
        "Nhận hồ sơ tại nhà",
        "Trả kết quả tại nhà",
        "đúng hạn",
        "quá hạn",
        "09:30 05/03/2025",
    ):
        assert expected in text, expected
    assert "sớm hạn" not in text


def test_delivery_outcomes_early_on_time_late(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx, a = client_for("giam_sat_x"), client_for("can_bo_a")
    due = "2025-03-10T10:00:00+00:00"  # Monday 2025-03-10, 17:00 Vietnam time
    expected = {
        "2025-03-07T09:00:00+07:00": ("early", True),  # Friday before
        "2025-03-10T16:59:00+07:00": ("on_time", True),  # the day itself
        "2025-03-11T08:00:00+07:00": ("late", False),
    }  # the next morning
    for occurred, (outcome, on_time) in expected.items():
        did = dk.new_dossier(server.engine, world, appointment_at=due)
        dk.make_ready(sx, did)
        (visit,) = dk.delivery_visits(server.engine, did)
        ev = eventkit.delivery(visit["id"], dk.code_of(server.engine, did), world.citizen_ids["binh"])
        ev["occurred_at"] = occurred
        (res,) = dk.push(a, ev)
        assert res["status"] == "applied" and res["dossier"]["on_time"] is on_time, (occurred, res)
        rows = a.get(f"/dossiers/{did}/tracking-log").json()["rows"]
        assert [(r["kind"], r["outcome"]) for r in rows] == [("delivery", outcome)], occurred


def test_failed_attempts_appear_in_the_log_and_others_cannot_read_it(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    a, b = client_for("can_bo_a"), client_for("can_bo_b")
    dk.push(a, eventkit.failed(world.visits["delivery_a"]))
    rows = a.get(f"/dossiers/{world.dossiers['delivery_a']}/tracking-log").json()["rows"]
    assert [(r["kind"], r["outcome"]) for r in rows] == [("delivery_failed", None)]
    assert rows[0]["note"] == "Trả kết quả không thành công: không có ai ở nhà"
    assert b.get(f"/dossiers/{world.dossiers['delivery_a']}/tracking-log").status_code == 404
    assert b.get(f"/dossiers/{world.dossiers['delivery_a']}/tracking-log.pdf").status_code == 404
    assert a.get("/dossiers/999999/tracking-log").json()["code"] == "not_found"
