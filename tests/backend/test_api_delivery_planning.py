"""Result ready (status 9) -> a planned delivery visit for the right officer, and the citizen told."""

from __future__ import annotations

from collections.abc import Callable

import builders
import deliverykit as dk
import httpx
from testkit import LiveServer

from backend.services.clock import now_utc
from backend.services.delivery import delivery_day

Clients = Callable[[str | None], httpx.Client]


def test_result_ready_plans_a_delivery_for_the_hamlet_officer(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx, a = client_for("giam_sat_x"), client_for("can_bo_a")
    cursor = a.get("/sync/pull").json()["next_cursor"]
    did = dk.new_dossier(server.engine, world)
    dossier = dk.make_ready(sx, did)
    assert dossier["status"] == 9
    (visit,) = dk.delivery_visits(server.engine, did)
    assert visit["assignee_id"] == world.officer_a  # serves the citizen's hamlet
    assert visit["status"] == "planned" and visit["attempts"] == 0
    assert visit["planned_date"] == delivery_day(now_utc()).isoformat()
    # the officer sees it (with its dossier) on the next pull
    page = a.get("/sync/pull", params={"cursor": cursor}).json()
    assert [v["id"] for v in page["visits"]] == [visit["id"]]
    assert [d["id"] for d in page["dossiers"]] == [did] and page["dossiers"][0]["status"] == 9
    # the citizen is told, with the dossier code and the day
    (notice,) = dk.notices_of(server.engine, did)
    day = delivery_day(now_utc())
    assert notice["kind"] == "result_ready" and notice["state"] == "queued"
    assert notice["text"] == (
        f"UBND xã An Phú: Hồ sơ {dossier['code']} đã có kết quả. "
        f"Cán bộ sẽ mang đến nhà bạn ngày {day:%d/%m/%Y}."
    )
    assert notice["phone"] == "0987654321"


def test_postal_dossier_goes_to_the_postal_worker(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx = client_for("giam_sat_x")
    did = dk.new_dossier(server.engine, world, channel=3)
    dk.make_ready(sx, did)
    (visit,) = dk.delivery_visits(server.engine, did)
    assert visit["assignee_id"] == world.postal
    by_post = dk.new_dossier(server.engine, world, return_method="post")
    dk.make_ready(sx, by_post)
    assert dk.delivery_visits(server.engine, by_post)[0]["assignee_id"] == world.postal


def test_hamlet_without_officer_falls_back_to_a_commune_officer(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx = client_for("giam_sat_x")
    with server.engine.begin() as conn:
        lonely = builders.unit(conn, "000.00.21.H01.A9", "Ấp 9", "hamlet", world.x["commune"])
        world.citizens["em"] = builders.citizen(conn, "Phạm Thị Em", hamlet_id=lonely)
        did = builders.dossier(conn, world.citizens["em"], world.x["commune"], status=4, hamlet_id=lonely)
    dk.make_ready(sx, did)
    (visit,) = dk.delivery_visits(server.engine, did)
    assert visit["assignee_id"] in (world.officer_a, world.officer_b)
    assert visit["assignee_id"] == min(world.officer_a, world.officer_b)  # deterministic: lowest id


def test_no_duplicate_when_a_delivery_is_already_open(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx = client_for("giam_sat_x")
    did = dk.new_dossier(server.engine, world, status=6)
    with server.engine.begin() as conn:
        existing = builders.visit(conn, did, world.officer_b, kind="delivery")
    dk.make_ready(sx, did)
    assert [v["id"] for v in dk.delivery_visits(server.engine, did)] == [existing]
    assert len(dk.notices_of(server.engine, did)) == 1  # still told, once


def test_result_returned_at_the_desk_plans_no_visit(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx = client_for("giam_sat_x")
    did = dk.new_dossier(server.engine, world, return_method="desk")
    d = dk.make_ready(sx, did)
    assert dk.delivery_visits(server.engine, did) == []
    (notice,) = dk.notices_of(server.engine, did)
    assert notice["text"] == (
        f"UBND xã An Phú: Hồ sơ {d['code']} đã có kết quả. Mời bạn đến bộ phận một cửa để nhận kết quả."
    )


def test_supervisor_overrides_the_assignee_and_the_old_officer_gets_a_tombstone(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx, a, b = client_for("giam_sat_x"), client_for("can_bo_a"), client_for("can_bo_b")
    did = dk.new_dossier(server.engine, world)
    dk.make_ready(sx, did)
    (visit,) = dk.delivery_visits(server.engine, did)
    cursor_a = a.get("/sync/pull").json()["next_cursor"]
    cursor_b = b.get("/sync/pull").json()["next_cursor"]
    r = sx.patch(f"/visits/{visit['id']}", json={"assignee_id": world.officer_b})
    assert (
        r.status_code == 200 and r.json()["assignee_id"] == world.officer_b and r.json()["kind"] == "delivery"
    )
    pa = a.get("/sync/pull", params={"cursor": cursor_a}).json()
    assert [(t["id"], t["reason"]) for t in pa["tombstones"]] == [(visit["id"], "reassigned")]
    pb = b.get("/sync/pull", params={"cursor": cursor_b}).json()
    assert [v["id"] for v in pb["visits"]] == [visit["id"]]
    # the field officer may not override
    assert a.patch(f"/visits/{visit['id']}", json={"assignee_id": world.officer_a}).status_code == 403


def test_life_cycle_moves_into_and_out_of_result_ready(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx = client_for("giam_sat_x")
    allowed_into_9 = [2, 4, 6]
    refused_into_9 = [1, 3, 5, 7, 8, 10]
    for status in allowed_into_9:
        did = dk.new_dossier(server.engine, world, status=status)
        assert sx.post(f"/dossiers/{did}/status", json={"status": 9}).status_code == 200, status
    for status in refused_into_9:
        did = dk.new_dossier(server.engine, world, status=status)
        r = sx.post(f"/dossiers/{did}/status", json={"status": 9})
        assert r.status_code == 409 and r.json()["code"] == "illegal_move", status
        assert dk.delivery_visits(server.engine, did) == []
    ready = dk.new_dossier(server.engine, world, status=9)
    for target in (7, 4, 2):  # a result exists: no withdrawal, no going back
        r = sx.post(f"/dossiers/{ready}/status", json={"status": target})
        assert r.status_code == 409 and "chỉ được chuyển sang: 10" in r.json()["detail"]
    assert sx.post(f"/dossiers/{ready}/status", json={"status": 10}).status_code == 200
