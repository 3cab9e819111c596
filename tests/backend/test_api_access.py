"""Who sees what: own visits, unit scope for supervisors, 404 not 403 for others' things, roles."""

from __future__ import annotations

from collections.abc import Callable

import builders
import deliverykit as dk
import eventkit
import httpx
from testkit import LiveServer

Clients = Callable[[str | None], httpx.Client]


def test_officer_sees_only_own_visits(world: builders.World, client_for: Clients) -> None:
    a = client_for("can_bo_a")
    r = a.get("/visits")
    assert r.status_code == 200
    ids = {v["id"] for v in r.json()}
    assert ids == {world.visits["pickup_a"], world.visits["pickup_a2"], world.visits["delivery_a"]}
    assert r.headers["X-Total-Count"] == "3"
    page = a.get("/visits", params={"page": 2, "page_size": 2})
    assert len(page.json()) == 1 and page.headers["X-Total-Count"] == "3"
    only_delivery = a.get("/visits", params={"kind": "delivery"}).json()
    assert [v["id"] for v in only_delivery] == [world.visits["delivery_a"]]


def test_officer_cannot_read_or_push_for_another_officers_visit(world: builders.World,
                                                                client_for: Clients) -> None:
    a = client_for("can_bo_a")
    r = a.get(f"/visits/{world.visits['pickup_b']}")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert a.get(f"/dossiers/{world.dossiers['pickup_b']}").status_code == 404
    assert a.get(f"/citizens/{world.citizens['cuong']}").status_code == 404
    ev = eventkit.en_route(world.visits["pickup_b"])
    res = a.post("/sync/push", json={"events": [ev]}).json()["results"][0]
    assert res["status"] == "rejected" and res["code"] == 404
    b = client_for("can_bo_b")
    assert b.get(f"/visits/{world.visits['pickup_b']}").json()["status"] == "planned"


def test_supervisor_sees_own_commune_only(world: builders.World, client_for: Clients) -> None:
    sx = client_for("giam_sat_x")
    ids = {d["id"] for d in sx.get("/dossiers").json()}
    assert world.dossiers["pickup_a"] in ids and world.dossiers["pickup_b"] in ids
    assert world.dossiers["y_pickup"] not in ids
    assert sx.get(f"/dossiers/{world.dossiers['y_pickup']}").status_code == 404
    assert sx.get(f"/visits/{world.visits['y_pickup']}").status_code == 404
    sy = client_for("giam_sat_y")
    assert [d["id"] for d in sy.get("/dossiers").json()] == [world.dossiers["y_pickup"]]
    assert sy.get(f"/dossiers/{world.dossiers['pickup_a']}").status_code == 404
    assert sy.get(f"/citizens/{world.citizens['dung']}").json()["full_name"] == "Lê Văn Dũng"


def test_dossier_search_ignores_diacritics(world: builders.World, client_for: Clients) -> None:
    sx = client_for("giam_sat_x")
    r = sx.get("/dossiers", params={"q": "dang van cuong"})
    assert [d["id"] for d in r.json()] == [world.dossiers["pickup_b"]]
    assert r.json()[0]["citizen_name"] == "Đặng Văn Cường"
    assert r.headers["X-Total-Count"] == "1"
    ready = sx.get("/dossiers", params={"status": 9}).json()
    assert {d["id"] for d in ready} == {world.dossiers["delivery_a"]}


def _search(client: httpx.Client, q: str, **params: object) -> tuple[list[int], int]:
    r = client.get("/dossiers", params={"q": q, **params})
    assert r.status_code == 200, r.text
    return [d["id"] for d in r.json()], int(r.headers["X-Total-Count"])


def test_dossier_search_words_may_hit_code_name_or_id(world: builders.World, client_for: Clients,
                                                      server: LiveServer) -> None:
    sx = client_for("giam_sat_x")
    code = dk.code_of(server.engine, world.dossiers["pickup_b"])
    serial = code.rsplit("-", 1)[1]
    # one word from the code, the others from the name: each word may hit a different field
    assert _search(sx, f"CƯỜNG {serial} đặng") == ([world.dossiers["pickup_b"]], 1)
    assert _search(sx, code.lower()) == ([world.dossiers["pickup_b"]], 1)
    # ...but one word never spans two fields (they are joined by a space)
    assert _search(sx, f"{serial}dang") == ([], 0)
    assert _search(sx, f"cuong{world.citizen_ids['cuong'][:4]}") == ([], 0)
    # part of an ID number finds every dossier of that citizen, diacritics or not
    an_id = world.citizen_ids["an"]
    both = sorted([world.dossiers["pickup_a"], world.dossiers["pickup_a2"]])
    assert _search(sx, an_id[-7:]) == (both, 2)
    assert _search(sx, f"{an_id} Nguyen văn") == (both, 2)
    # outside the supervisor's units the same ID finds nothing
    assert _search(client_for("giam_sat_y"), an_id) == ([], 0)


def test_dossier_search_treats_like_wildcards_literally(world: builders.World, client_for: Clients,
                                                        server: LiveServer) -> None:
    sx = client_for("giam_sat_x")
    for q in ["%", "_", "an%", "a_n", "\\", "%%cuong", "/"]:
        assert _search(sx, q) == ([], 0), q
    with server.engine.begin() as conn:
        odd = builders.citizen(conn, "Hộ 100%_Đạt\\/x", hamlet_id=world.x["hamlets"][0],
                               id_number=builders.citizen_id_number(birth_year=1990))
        dossier_id = builders.dossier(conn, odd, world.x["commune"], hamlet_id=world.x["hamlets"][0])
    for q in ["100%", "%_dat", "_", "%", "\\/x", "/"]:
        assert _search(sx, q) == ([dossier_id], 1), q
    assert _search(sx, "100_")[1] == 0


def test_dossier_list_pages_in_order_with_total(world: builders.World, client_for: Clients) -> None:
    sx = client_for("giam_sat_x")
    everything, total = _search(sx, "", page_size=500)
    assert total == len(everything) == 4 and everything == sorted(everything)
    assert _search(sx, "", page=1, page_size=3) == (everything[:3], 4)
    assert _search(sx, "", page=2, page_size=3) == (everything[3:], 4)
    assert _search(sx, "", page=9, page_size=3) == ([], 4)
    # search, status and paging together: total counts every match, the page shows one
    an = sorted([world.dossiers["pickup_a"], world.dossiers["pickup_a2"]])
    assert _search(sx, "nguyen an", page=1, page_size=1) == (an[:1], 2)
    assert _search(sx, "nguyen an", page=2, page_size=1) == (an[1:], 2)
    assert _search(sx, "nguyen an", status=9) == ([], 0)
    officer_view, officer_total = _search(client_for("can_bo_a"), "", page_size=1)
    assert officer_total == 3 and officer_view == [world.dossiers["pickup_a"]]


def test_visits_filter_by_dossier(world: builders.World, client_for: Clients) -> None:
    sx = client_for("giam_sat_x")
    r = sx.get("/visits", params={"dossier_id": world.dossiers["pickup_b"]})
    assert [v["id"] for v in r.json()] == [world.visits["pickup_b"]] and r.headers["X-Total-Count"] == "1"
    # the filter narrows what the caller may see, never widens it
    a = client_for("can_bo_a")
    assert a.get("/visits", params={"dossier_id": world.dossiers["pickup_b"]}).json() == []
    assert sx.get("/visits", params={"dossier_id": world.dossiers["y_pickup"]}).json() == []
    own = a.get("/visits", params={"dossier_id": world.dossiers["delivery_a"], "kind": "delivery"})
    assert [v["id"] for v in own.json()] == [world.visits["delivery_a"]]
    assert sx.get("/visits", params={"dossier_id": "x"}).status_code == 422


def test_supervisor_only_endpoints_are_403_for_officers(world: builders.World, client_for: Clients) -> None:
    a = client_for("can_bo_a")
    body = {"kind": "pickup", "dossier_id": world.dossiers["pickup_a"], "planned_date": "2030-01-02"}
    r = a.post("/visits", json=body)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert a.post(f"/dossiers/{world.dossiers['pickup_a']}/status", json={"status": 2}).status_code == 403
    assert a.patch(f"/visits/{world.visits['pickup_a']}", json={"cancel": True}).status_code == 403
    assert a.post("/officers", json={"username": "moi_moi", "password": "12345678", "full_name": "X",
                                     "role": "hamlet_officer"}).status_code == 403


def test_units_catalogue_and_officer_creation(world: builders.World, client_for: Clients) -> None:
    a = client_for("can_bo_a")
    units = a.get("/units").json()
    assert {u["level"] for u in units} == {"province", "commune", "hamlet"}
    assert len(units) == 1 + 2 + 4
    cat = a.get("/catalogue").json()
    assert cat["version"] == 1
    assert {p["code"] for p in cat["procedures"]} >= {"khai_sinh", "chung_thuc_ban_sao"}
    assert a.get("/catalogue/1").json()["version"] == 1
    assert a.get("/catalogue/7").status_code == 404
    sx = client_for("giam_sat_x")
    new = {"username": "can_bo_moi", "password": "matkhau-moi", "full_name": "Cán bộ mới",
           "role": "hamlet_officer", "unit_ids": [world.x["hamlets"][1]], "phone": "+84 912 345 679"}
    r = sx.post("/officers", json=new)
    assert r.status_code == 201, r.text
    assert r.json()["phone"] == "0912345679" and r.json()["unit_ids"] == [world.x["hamlets"][1]]
    assert sx.post("/officers", json=new).status_code == 409
    outside = new | {"username": "ngoai_pham_vi", "unit_ids": [world.y["commune"]]}
    assert sx.post("/officers", json=outside).status_code == 403
    login = client_for(None).post("/auth/login", json={"username": "can_bo_moi", "password": "matkhau-moi"})
    assert login.status_code == 200


def test_supervisor_plans_and_reassigns_a_visit(world: builders.World, client_for: Clients) -> None:
    sx = client_for("giam_sat_x")
    # the dossier's own pickup is cancelled first: a dossier never holds two open pickups
    assert sx.patch(f"/visits/{world.visits['pickup_b']}", json={"cancel": True}).status_code == 200
    r = sx.post("/visits", json={"kind": "pickup", "dossier_id": world.dossiers["pickup_b"],
                                 "assignee_id": world.officer_a, "planned_date": "2030-01-02"})
    assert r.status_code == 201, r.text
    vid = r.json()["id"]
    assert r.json()["status"] == "planned" and r.json()["citizen_id"] == world.citizens["cuong"]
    assert client_for("can_bo_a").get(f"/visits/{vid}").status_code == 200
    r = sx.patch(f"/visits/{vid}", json={"assignee_id": world.officer_b, "planned_date": "2030-01-03"})
    assert r.status_code == 200 and r.json()["assignee_id"] == world.officer_b
    assert r.json()["planned_date"] == "2030-01-03" and r.json()["version"] == 2
    assert client_for("can_bo_a").get(f"/visits/{vid}").status_code == 404
    sy = client_for("giam_sat_y")
    assert sy.patch(f"/visits/{vid}", json={"cancel": True}).status_code == 404
    bad = sx.post("/visits", json={"kind": "pickup", "dossier_id": world.dossiers["y_pickup"],
                                   "planned_date": "2030-01-02"})
    assert bad.status_code == 404
