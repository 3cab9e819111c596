"""Supervisor endpoints on a hand-built day (see supervisionkit): board, track, day (arrival /
time spent / distance / flags), at-risk lists, bulk assignment seen by the next pull, suggested
assignees, and scoping between communes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from supervisionkit import LEG_M, Clients, D, build_day, utc
from testkit import LiveServer


@pytest.fixture
def day(server: LiveServer, client_for: Clients) -> dict[str, Any]:
    """The hand-built day on the live server."""
    return build_day(server, client_for)


def test_board_shows_officers_positions_visits_and_counts(day: dict[str, Any], client_for: Clients) -> None:
    board = client_for("sv_sx").get("/board", params={"date": D.isoformat()}).json()
    officers = {o["id"]: o for o in board["officers"]}
    assert set(officers) == {day["a"], day["b"], day["e"]}
    a = officers[day["a"]]
    assert a["last_position"]["lat"] == 10.9 and a["last_position"]["recorded_at"] == utc(1, 50).isoformat()
    assert a["on_duty"] is True and officers[day["e"]]["on_duty"] is None
    assert a["counts"] == {
        "total": 4,
        "planned": 1,
        "en_route": 0,
        "completed": 2,
        "failed": 1,
        "cancelled": 0,
    }
    assert board["counts"]["total"] == 7 and board["unassigned"] == 1 and board["officers_total"] == 3
    by_id = {v["id"]: v for v in board["visits"]}
    assert by_id[day["v1"]]["colour"] == board["legend"]["completed"]
    assert by_id[day["v4"]]["late"] is True  # D is in the past and v4 is still open
    assert by_id[day["v3"]]["completed_at"] == utc(2, 0).isoformat()
    assert "server_time" in board
    page2 = (
        client_for("sv_sx").get("/board", params={"date": D.isoformat(), "page": 2, "page_size": 2}).json()
    )
    assert [o["id"] for o in page2["officers"]] == [day["e"]]  # ordered by name: A, B | E


def test_officer_day_arrival_time_spent_distance_and_flags(day: dict[str, Any], client_for: Clients) -> None:
    r = client_for("sv_sx").get(f"/officers/{day['a']}/day", params={"date": D.isoformat()})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["distance_m"] == pytest.approx(3 * LEG_M, abs=1)
    assert body["points"] == 4 and body["first_point_at"] == utc(0, 30).isoformat()
    items = {v["visit_id"]: v for v in body["visits"]}
    assert [v["visit_id"] for v in body["visits"]] == [day["v1"], day["v2"], day["v3"], day["v4"]]
    v1, v2, v3 = items[day["v1"]], items[day["v2"]], items[day["v3"]]
    assert (v1["arrived_at"], v1["arrival_source"], v1["time_spent_s"]) == (
        utc(0, 50).isoformat(),
        "track",
        1200,
    )
    assert v1["flags"] == [] and v1["fix_distance_m"] == 0
    assert v2["time_spent_s"] == 1200 and set(v2["flags"]) == {"far_from_home", "poor_fix"}
    assert v2["fix_distance_m"] == pytest.approx(398.2, abs=1)  # 0.0036° of latitude, geodesic
    assert (v3["time_spent_s"], v3["flags"], v3["failure_reason"]) == (600, ["no_fix"], "nobody_home")
    assert [f["visit_id"] for f in body["failed"]] == [day["v3"]] and body["flagged"] == 2
    # v4's household is 55 m from H1: the officer passed by but has not ended the visit
    assert (items[day["v4"]]["arrived_at"], items[day["v4"]]["time_spent_s"]) == (
        utc(0, 50).isoformat(),
        None,
    )


def test_officer_track_points_planned_route_and_actual_order(
    day: dict[str, Any], client_for: Clients
) -> None:
    track = client_for("sv_sx").get(f"/officers/{day['a']}/track", params={"date": D.isoformat()}).json()
    assert [p["lat"] for p in track["points"]] == [10.87, 10.88, 10.89, 10.9]
    assert track["actual_order"] == [day["v1"], day["v2"], day["v3"]]
    # nearest-first from the first breadcrumb (10.87): H1, H1 household B (10.8805), H2, H3
    assert [s["visit_id"] for s in track["planned_route"]] == [day["v1"], day["v4"], day["v2"], day["v3"]]
    other_day = (
        client_for("sv_sx")
        .get(f"/officers/{day['a']}/track", params={"date": (D - timedelta(days=1)).isoformat()})
        .json()
    )
    assert other_day["points"] == [] and other_day["distance_m"] == 0


def test_at_risk_lists(day: dict[str, Any], client_for: Clients) -> None:
    sx = client_for("sv_sx")

    def ids(kind: str) -> list[int]:
        r = sx.get("/dossiers/at-risk", params={"kind": kind, "date": D.isoformat()})
        assert r.status_code == 200, r.text
        assert r.headers["X-Total-Count"] == str(len(r.json()))
        return [d["id"] for d in r.json()]

    assert ids("due_today") == [day["d3"]]
    assert ids("overdue") == [day["d_late"]]  # d_done is returned: terminal
    # d_free: only an unassigned visit; d3: its delivery failed and nothing was planned again
    assert set(ids("unassigned")) == {day["d_free"], day["d3"]}
    risky = sx.get("/dossiers/at-risk", params={"kind": "repeatedly_failed", "date": D.isoformat()}).json()
    assert [(d["id"], d["failed_visits"], d["open_visit_id"], d["assignee_id"]) for d in risky] == [
        (day["d_fail2"], 2, day["v_e"], day["e"])
    ]
    assert sx.get("/dossiers/at-risk", params={"kind": "late"}).status_code == 422
    sy = (
        client_for("sv_sy").get("/dossiers/at-risk", params={"kind": "overdue", "date": D.isoformat()}).json()
    )
    assert [d["id"] for d in sy] == [day["dy"]]


def test_bulk_assign_reaches_the_next_pull_with_tombstones(day: dict[str, Any], client_for: Clients) -> None:
    a, b = client_for("sv_a"), client_for("sv_b")
    a_cursor = a.get("/sync/pull").json()["next_cursor"]
    b_cursor = b.get("/sync/pull").json()["next_cursor"]
    sx = client_for("sv_sx")
    r = sx.post(
        "/visits/assign",
        json={"visit_ids": [day["v4"], day["v_un"], day["v1"], day["v_y"]], "assignee_id": day["b"]},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert [v["id"] for v in body["assigned"]] == [day["v4"], day["v_un"]]
    assert {f["visit_id"]: f["code"] for f in body["failed"]} == {
        day["v1"]: "conflict",
        day["v_y"]: "not_found",
    }
    pulled = b.get("/sync/pull", params={"cursor": b_cursor}).json()
    assert {v["id"] for v in pulled["visits"]} == {day["v4"], day["v_un"]}
    lost = a.get("/sync/pull", params={"cursor": a_cursor}).json()
    assert [(t["id"], t["reason"]) for t in lost["tombstones"]] == [(day["v4"], "reassigned")]
    wrong = sx.post("/visits/assign", json={"visit_ids": [day["v4"]], "assignee_id": day["c"]})
    assert wrong.status_code == 422  # c works in commune Y
    assert (
        client_for("sv_a")
        .post("/visits/assign", json={"visit_ids": [day["v4"]], "assignee_id": day["a"]})
        .status_code
        == 403
    )


def test_suggested_assignees_hamlet_officer_then_least_busy_then_nearest(
    day: dict[str, Any], client_for: Clients
) -> None:
    sx = client_for("sv_sx")
    got = sx.get(f"/visits/{day['v_un']}/suggested-assignees", params={"date": D.isoformat()}).json()
    # b and e carry one open visit each that day: the nearer one (b, 100 m away) comes first
    assert [(g["officer_id"], g["reason"], g["open_visits"]) for g in got] == [
        (day["a"], "hamlet_officer", 1),
        (day["b"], "least_busy", 1),
        (day["e"], "least_busy", 1),
    ]
    assert got[1]["position_source"] == "track" and got[1]["distance_m"] == pytest.approx(100, abs=2)
    assert got[2]["position_source"] == "unit_centre"
    tight = sx.get(
        f"/visits/{day['v_un']}/suggested-assignees", params={"date": D.isoformat(), "capacity": 1}
    ).json()
    # nobody has room at capacity 1: all are still listed (same numbers), none marked as having room
    assert [g["officer_id"] for g in tight] == [day["a"], day["b"], day["e"]]
    assert not any(g["has_capacity"] for g in tight)
    assert client_for("sv_sy").get(f"/visits/{day['v_un']}/suggested-assignees").status_code == 404


def test_one_load_on_the_board_and_in_the_suggestions(day: dict[str, Any], client_for: Clients) -> None:
    """The load on a day = open visits planned that day or earlier: v4, left open on D, counts on D+1."""
    sx = client_for("sv_sx")
    after = (D + timedelta(days=1)).isoformat()
    board = {o["id"]: o for o in sx.get("/board", params={"date": after}).json()["officers"]}
    assert {i: o["open_visits"] for i, o in board.items()} == {day["a"]: 1, day["b"]: 1, day["e"]: 1}
    assert board[day["a"]]["counts"]["total"] == 0  # nothing planned on D+1 itself
    paths = (f"/visits/{day['v_un']}/suggested-assignees", f"/dossiers/{day['d_free']}/suggested-assignees")
    for path in paths:
        got = sx.get(path, params={"date": after, "limit": 100}).json()
        assert {g["officer_id"]: g["open_visits"] for g in got} == {
            i: o["open_visits"] for i, o in board.items()
        }, path
    before = (D - timedelta(days=1)).isoformat()  # v_e's two failed visits are not open: e carries 0
    got = sx.get(f"/dossiers/{day['d_free']}/suggested-assignees", params={"date": before}).json()
    assert [(g["officer_id"], g["open_visits"]) for g in got] == [(day["a"], 0), (day["b"], 0), (day["e"], 0)]
    assert client_for("sv_sy").get(f"/dossiers/{day['d_free']}/suggested-assignees").status_code == 404


def test_reassigning_takes_a_date_today_or_later(day: dict[str, Any], client_for: Clients) -> None:
    sx = client_for("sv_sx")
    past = sx.post("/visits/assign", json={"visit_ids": [day["v4"]], "assignee_id": day["b"],
                                           "planned_date": "2020-01-02"})
    assert past.status_code == 422 and past.json()["code"] == "date_in_past", past.text
    assert "02/01/2020 đã qua" in past.json()["detail"]
    still = sx.get(f"/visits/{day['v4']}").json()
    assert (still["assignee_id"], still["planned_date"]) == (day["a"], D.isoformat())  # nothing changed
    r = sx.patch(f"/visits/{day['v4']}", json={"planned_date": "2020-01-02"})
    assert r.status_code == 422 and r.json()["code"] == "date_in_past"
    ok = sx.post("/visits/assign", json={"visit_ids": [day["v4"]], "assignee_id": day["b"],
                                         "planned_date": "2099-01-05"})
    assert ok.status_code == 200, ok.text
    moved = ok.json()["assigned"][0]
    assert (moved["assignee_id"], moved["planned_date"]) == (day["b"], "2099-01-05")


def test_other_commune_supervisor_and_officers_are_kept_out(day: dict[str, Any], client_for: Clients) -> None:
    sy = client_for("sv_sy")
    board = sy.get("/board", params={"date": D.isoformat()}).json()
    assert [o["id"] for o in board["officers"]] == [day["c"]]
    assert {v["id"] for v in board["visits"]} == {day["v_y"]}
    for path in (
        f"/officers/{day['a']}/track",
        f"/officers/{day['a']}/day",
        f"/exports/officers/{day['a']}/track.gpx",
    ):
        r = sy.get(path, params={"date": D.isoformat()})
        assert r.status_code == 404 and r.json()["code"] == "not_found", path
    officer = client_for("sv_a")
    for path in (
        "/board",
        f"/officers/{day['a']}/day",
        "/dossiers/at-risk?kind=overdue",
        "/exports/visits.csv",
    ):
        assert officer.get(path).status_code == 403, path
    assert client_for("sv_sx").get("/officers/999999/day").status_code == 404
    assert client_for("sv_sx").get("/board", params={"date": "2026-13-45"}).status_code == 422


def test_out_of_range_ids_are_422_not_500(day: dict[str, Any], client_for: Clients) -> None:
    sx = client_for("sv_sx")
    huge = 2**40
    for path in (
        f"/officers/{huge}/day",
        f"/officers/{huge}/track",
        f"/visits/{huge}/suggested-assignees",
        f"/exports/officers/{huge}/track.geojson",
        f"/indicators?unit_id={huge}",
    ):
        assert sx.get(path).status_code == 422, path
    assert sx.post("/visits/assign", json={"visit_ids": [huge], "assignee_id": day["b"]}).status_code == 422
    assert sx.post("/visits/assign", json={"visit_ids": [], "assignee_id": day["b"]}).status_code == 422
