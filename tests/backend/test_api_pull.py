"""GET /sync/pull: first full sync, cursor paging, tombstones after reassign and cancel."""

from __future__ import annotations

from collections.abc import Callable

import builders
import eventkit
import httpx
from testkit import LiveServer

Clients = Callable[[str | None], httpx.Client]


def pull_all(c: httpx.Client, cursor: str = "", limit: int = 200) -> tuple[list[dict], str]:
    """Follow has_more to the end; returns the pages and the final cursor."""
    pages = []
    while True:
        r = c.get("/sync/pull", params={"cursor": cursor, "limit": limit})
        assert r.status_code == 200, r.text
        page = r.json()
        pages.append(page)
        assert int(page["next_cursor"]) >= int(cursor or 0)
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return pages, cursor


def test_first_sync_sends_own_visits_with_dossiers_citizens_catalogue(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    a = client_for("can_bo_a")
    r = a.get("/sync/pull")
    assert r.status_code == 200
    page = r.json()
    assert page["has_more"] is False
    assert {v["id"] for v in page["visits"]} == {world.visits[k]
                                                 for k in ("pickup_a", "pickup_a2", "delivery_a")}
    assert {d["id"] for d in page["dossiers"]} == {world.dossiers[k] for k in ("pickup_a", "pickup_a2",
                                                                               "delivery_a")}
    assert {c["id"] for c in page["citizens"]} == {world.citizens["an"], world.citizens["binh"]}
    assert [c["version"] for c in page["catalogues"]] == [1]
    assert page["tombstones"] == []
    # nothing new: an empty page at the same cursor
    again = a.get("/sync/pull", params={"cursor": page["next_cursor"]}).json()
    assert again["visits"] == [] and again["catalogues"] == [] and again["next_cursor"] == page["next_cursor"]


def test_cursor_paging_with_has_more(server: LiveServer, world: builders.World, client_for: Clients) -> None:
    with server.engine.begin() as conn:
        for _ in range(5):
            cid = builders.citizen(conn, "Phạm Thị Hoa", hamlet_id=world.x["hamlets"][0])
            builders.visit(conn, builders.dossier(conn, cid, world.x["commune"]), world.officer_a)
    a = client_for("can_bo_a")
    pages, cursor = pull_all(a, limit=3)
    assert [p["has_more"] for p in pages] == [True, True, False]
    ids = [v["id"] for p in pages for v in p["visits"]]
    assert len(ids) == 8 and len(set(ids)) == 8
    assert all(p["dossiers"] for p in pages if p["visits"])
    # a change after the last cursor comes alone
    (res,) = a.post("/sync/push", json={"events": [eventkit.en_route(ids[0])]}).json()["results"]
    assert res["status"] == "applied"
    page = a.get("/sync/pull", params={"cursor": cursor}).json()
    assert [v["id"] for v in page["visits"]] == [ids[0]]
    assert page["visits"][0]["status"] == "en_route"


def test_tombstones_after_reassign_and_cancel(server: LiveServer, world: builders.World,
                                              client_for: Clients) -> None:
    a, b, sx = client_for("can_bo_a"), client_for("can_bo_b"), client_for("giam_sat_x")
    cursor = a.get("/sync/pull").json()["next_cursor"]
    b_cursor = b.get("/sync/pull").json()["next_cursor"]
    r = sx.patch(f"/visits/{world.visits['pickup_a']}", json={"assignee_id": world.officer_b})
    assert r.status_code == 200
    assert sx.patch(f"/visits/{world.visits['pickup_a2']}", json={"cancel": True}).status_code == 200
    page = a.get("/sync/pull", params={"cursor": cursor}).json()
    stones = {(t["id"], t["reason"]) for t in page["tombstones"]}
    assert stones == {(world.visits["pickup_a"], "reassigned"), (world.visits["pickup_a2"], "cancelled")}
    assert all(t["entity"] == "visit" and t["at"] for t in page["tombstones"])
    assert page["visits"] == []  # both travel as tombstones only
    b_page = b.get("/sync/pull", params={"cursor": b_cursor}).json()
    assert [v["id"] for v in b_page["visits"]] == [world.visits["pickup_a"]]
    assert b_page["tombstones"] == []
    # tombstones are not sent again
    later = a.get("/sync/pull", params={"cursor": page["next_cursor"]}).json()
    assert later["tombstones"] == [] and later["visits"] == []


def test_bad_cursor_is_422(server: LiveServer, world: builders.World, client_for: Clients) -> None:
    r = client_for("can_bo_a").get("/sync/pull", params={"cursor": "abc"})
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


def test_visit_given_back_is_not_dropped_by_its_old_tombstone(server: LiveServer, world: builders.World,
                                                               client_for: Clients) -> None:
    a, sx = client_for("can_bo_a"), client_for("giam_sat_x")
    cursor = a.get("/sync/pull").json()["next_cursor"]
    vid = world.visits["pickup_a"]
    assert sx.patch(f"/visits/{vid}", json={"assignee_id": world.officer_b}).status_code == 200
    assert sx.patch(f"/visits/{vid}", json={"assignee_id": world.officer_a}).status_code == 200
    page = a.get("/sync/pull", params={"cursor": cursor}).json()
    assert [v["id"] for v in page["visits"]] == [vid] and page["tombstones"] == []
    assert page["visits"][0]["version"] == 3
