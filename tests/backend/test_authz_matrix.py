"""Authorization matrix (issue 9): every route of the OpenAPI, against every kind of wrong caller.

For each route the RULES table says what request aims at commune X's things (officer a's visits,
dossiers, citizens, track, photo, exports, indicators, ...), and who its rightful party is. Then:
- no token, a forged, an expired or a revoked token: 401 on every route that needs a login;
- an officer of commune Y, the postal worker of X, the supervisor of Y, a supervisor of another
  province: refused (403 role / 404 not yours) on routes aimed at X's things; on routes about the
  caller's own things or lists, answered — but no response to them carries any of X's secrets
  (citizen names and ID numbers, dossier codes, a's account, the photo, the handover note, ...);
- nothing of X changed after all those attempts (a fingerprint of its tables);
- the rightful party is allowed (and on list routes does see X's secrets: the scan is not blind).

A route without a rule fails `test_every_route_has_a_rule`: a new route must say who may use it.
The full matrix runs on SQLite (one server, many requests); a slice runs on PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import eventkit
import httpx
import matrixkit as mk
import pytest
from supervisionkit import track_body
from testkit import LiveServer, make_settings, start_server

from api_client.domain.clock import ShiftedClock, using_clock

PREFIX = "/api/v1"


@dataclass(frozen=True)
class Req:
    """One HTTP request."""

    method: str
    path: str
    params: dict[str, Any] | None = None
    json: Any = None
    content: bytes | None = None


Call = Callable[[mk.Scenario, str], Req]  # (scenario, actor or owner username) -> request
Check = Callable[[httpx.Response, mk.Scenario], str | None]  # a problem, or None


@dataclass(frozen=True)
class Rule:
    """Who may use a route, and the request that aims it at commune X's things.

    kind: "target" — aimed at X's things: other parties get 403/404;
          "own" — the caller's own things, shared reference data or a list filtered by scope:
                  other parties may get 2xx, but never X's secrets;
          "public" — no login needed (health, login, refresh).
    owner: the rightful party's username (None: covered elsewhere); ok: its expected status;
    owner_sees: the owner's response must show one of X's secrets; stage: order of the owner
    phase (0 reads, 1 writes, 2 writes that end sessions or accounts).
    """

    call: Call
    kind: str = "target"
    owner: str | None = None
    ok: int = 200
    owner_sees: bool = False
    check: Check | None = None
    fresh: bool = False  # the request ends the caller's session: use a fresh token
    stage: int = 0


def _get(path: Callable[[mk.Scenario], str], params: Callable[[mk.Scenario], dict[str, Any]] | None = None
         ) -> Call:
    return lambda s, _who: Req("GET", path(s), params(s) if params else None)


def _post(path: Callable[[mk.Scenario], str], body: Callable[[mk.Scenario, str], Any] | None = None) -> Call:
    return lambda s, who: Req("POST", path(s), json=body(s, who) if body else None)


def _rejected_push(r: httpx.Response, _s: mk.Scenario) -> str | None:
    if r.status_code != 200:
        return None
    result = r.json()["results"][0]
    ok = result["status"] == "rejected" and result["code"] == 404
    return None if ok else f"push of X's visit was not rejected as not found: {result}"


def _blob_unknown(r: httpx.Response, _s: mk.Scenario) -> str | None:
    if r.status_code != 200:
        return None
    body = r.json()
    return None if body["received"] == 0 and not body.get("complete") else f"blob status revealed: {body}"


def _nothing_assigned(r: httpx.Response, _s: mk.Scenario) -> str | None:
    if r.status_code != 200:
        return None
    return None if not r.json().get("assigned") else f"X's visit was assigned: {r.json()}"


def _handover_body(s: mk.Scenario, who: str) -> dict[str, Any]:
    """A handover an attacker might try: desks give X's result to an officer; officers bring X's
    collected dossier to X's desk. The rightful officer a brings in the dossier a collected."""
    w = s.w
    if who in mk.SUPERVISOR_ACTORS:
        return {"direction": "desk_to_officer", "dossier_ids": [w.dossiers["delivery_a"]],
                "counterpart_id": w.officer_a}
    return {"direction": "officer_to_desk", "dossier_ids": [w.dossiers["pickup_a"]],
            "counterpart_id": w.supervisor_x}


def _officer_body(s: mk.Scenario, who: str) -> dict[str, Any]:
    return {"username": f"moi_{uuid.uuid4().hex[:8]}", "password": "mat-khau-moi", "full_name": "Cán bộ mới",
            "role": "hamlet_officer", "unit_ids": [s.w.x["hamlets"][1]]}


def _track(s: mk.Scenario, who: str) -> dict[str, Any]:
    from datetime import UTC, datetime

    t0 = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
    return track_body([(t0, 10.9, 105.1, 6.0), (t0.replace(minute=5), 10.901, 105.1, 6.0)])


# a well-formed Ed25519 public key (32 bytes, base64): the route checks its shape, not its owner
_PUBKEY = "A" * 43 + "="
V = lambda key: (lambda s: s.w.visits[key])  # noqa: E731 - short lookups keep the table readable
D = lambda key: (lambda s: s.w.dossiers[key])  # noqa: E731

RULES: dict[tuple[str, str], Rule] = {
    # -- public ---------------------------------------------------------------------------------
    ("GET", "/health"): Rule(_get(lambda s: "/health"), kind="public", owner="can_bo_a"),
    ("POST", "/auth/login"): Rule(
        _post(lambda s: "/auth/login", lambda s, who: {"username": s.login_victim, "password": "doan-bua"}),
        kind="public", check=lambda r, s: None if r.status_code in (401, 423, 429) else "login succeeded"),
    ("POST", "/auth/refresh"): Rule(
        _post(lambda s: "/auth/refresh", lambda s, who: {"refresh_token": "doan-bua-" + "x" * 30}),
        kind="public", check=lambda r, s: None if r.status_code == 401 else "refresh succeeded"),
    # -- the caller's own session and account ----------------------------------------------------
    ("POST", "/auth/logout"): Rule(_post(lambda s: "/auth/logout"), kind="own", owner="can_bo_a", ok=204,
                                   fresh=True, stage=2),
    ("POST", "/auth/password"): Rule(
        _post(lambda s: "/auth/password",
              lambda s, who: {"current_password": "khong-phai", "new_password": "mat-khau-moi-9"}),
        kind="own", fresh=True,
        check=lambda r, s: None if r.status_code == 403 else f"password change answered {r.status_code}"),
    ("GET", "/me"): Rule(_get(lambda s: "/me"), kind="own", owner="can_bo_a", owner_sees=True),
    ("GET", "/notifications"): Rule(_get(lambda s: "/notifications"), kind="own", owner="giam_sat_x",
                                    owner_sees=True),
    ("POST", "/tracks"): Rule(_post(lambda s: "/tracks", _track), kind="own", owner="can_bo_a", stage=1),
    ("GET", "/sync/pull"): Rule(_get(lambda s: "/sync/pull", lambda s: {"cursor": ""}), kind="own",
                                owner="can_bo_a", owner_sees=True),
    # -- shared reference data -----------------------------------------------------------------
    ("GET", "/units"): Rule(_get(lambda s: "/units"), kind="own", owner="can_bo_a"),
    ("GET", "/catalogue"): Rule(_get(lambda s: "/catalogue"), kind="own", owner="can_bo_a"),
    ("GET", "/catalogue/{version}"): Rule(_get(lambda s: "/catalogue/1"), kind="own", owner="can_bo_a"),
    # -- lists, filtered by the caller's scope ---------------------------------------------------
    ("GET", "/visits"): Rule(_get(lambda s: "/visits"), kind="own", owner="can_bo_a", owner_sees=True),
    ("GET", "/dossiers"): Rule(_get(lambda s: "/dossiers"), kind="own", owner="giam_sat_x", owner_sees=True),
    ("GET", "/officers"): Rule(_get(lambda s: "/officers"), kind="own", owner="giam_sat_x", owner_sees=True),
    ("GET", "/handovers"): Rule(_get(lambda s: "/handovers"), kind="own", owner="can_bo_a", owner_sees=True),
    ("GET", "/board"): Rule(_get(lambda s: "/board", lambda s: {"date": mk.TRACK_DAY}), kind="own",
                            owner="giam_sat_x", owner_sees=True),
    ("GET", "/dossiers/at-risk"): Rule(_get(lambda s: "/dossiers/at-risk", lambda s: {"kind": "unassigned"}),
                                       kind="own", owner="giam_sat_x"),
    ("GET", "/notices"): Rule(_get(lambda s: "/notices"), kind="own", owner="giam_sat_x", owner_sees=True),
    ("GET", "/audit"): Rule(_get(lambda s: "/audit", lambda s: {"officer_id": s.w.officer_a,
                                                                  "event": "login_ok"}), kind="own",
                            owner="giam_sat_x", owner_sees=True),
    ("GET", "/exports/visits.csv"): Rule(_get(lambda s: "/exports/visits.csv"), kind="own",
                                         owner="giam_sat_x", owner_sees=True),
    ("GET", "/exports/visits.xlsx"): Rule(_get(lambda s: "/exports/visits.xlsx"), kind="own",
                                          owner="giam_sat_x", owner_sees=True),
    ("POST", "/sync/push"): Rule(
        _post(lambda s: "/sync/push",
              lambda s, who: {"events": [eventkit.en_route(s.w.visits["pickup_a2"])]}),
        kind="own", owner="can_bo_a", check=_rejected_push, stage=1),
    ("POST", "/visits/assign"): Rule(
        _post(lambda s: "/visits/assign",
              # others try to unassign X's visit (a body valid for any supervisor); X's desk reassigns it
              lambda s, who: {"visit_ids": [s.w.visits["pickup_b"]],
                              "assignee_id": s.w.officer_b if who == "giam_sat_x" else None}),
        owner="giam_sat_x", check=_nothing_assigned, kind="own", stage=1),
    # -- visits, dossiers, citizens of X --------------------------------------------------------
    ("GET", "/visits/{visit_id}"): Rule(_get(lambda s: f"/visits/{V('pickup_a')(s)}"), owner="can_bo_a",
                                        owner_sees=False),
    ("PATCH", "/visits/{visit_id}"): Rule(
        lambda s, who: Req("PATCH", f"/visits/{s.w.visits['pickup_b']}", json={"planned_date": "2030-01-05"}),
        owner="giam_sat_x", stage=1),
    ("POST", "/visits"): Rule(
        _post(lambda s: "/visits", lambda s, who: {"kind": "pickup",
                                                    "dossier_id": s.w.dossiers["x_unvisited"],
                                                    "planned_date": "2030-01-02"}),
        owner="giam_sat_x", ok=201, stage=1),
    ("GET", "/dossiers/{dossier_id}/suggested-assignees"): Rule(
        _get(lambda s: f"/dossiers/{D('x_unvisited')(s)}/suggested-assignees"), owner="giam_sat_x"),
    ("GET", "/visits/{visit_id}/suggested-assignees"): Rule(
        _get(lambda s: f"/visits/{V('pickup_b')(s)}/suggested-assignees"), owner="giam_sat_x"),
    ("GET", "/dossiers/{dossier_id}"): Rule(_get(lambda s: f"/dossiers/{D('pickup_a')(s)}"), owner="can_bo_a",
                                            owner_sees=True),
    ("POST", "/dossiers/{dossier_id}/status"): Rule(
        _post(lambda s: f"/dossiers/{D('pickup_b')(s)}/status", lambda s, who: {"status": 2}),
        owner="giam_sat_x", stage=1),
    ("GET", "/citizens/{citizen_id}"): Rule(_get(lambda s: f"/citizens/{s.w.citizens['an']}"),
                                            owner="can_bo_a", owner_sees=True),
    ("PATCH", "/citizens/{citizen_id}"): Rule(
        lambda s, who: Req("PATCH", f"/citizens/{s.w.citizens['an']}", json={"address": "Tổ 9, ấp Mới"}),
        owner="giam_sat_x", stage=1),
    ("PATCH", "/citizens/{citizen_id}/location"): Rule(
        lambda s, who: Req("PATCH", f"/citizens/{s.w.citizens['an']}/location",
                           json={"lat": 10.8712, "lon": 105.0871}),
        owner="giam_sat_x", stage=1),
    ("GET", "/dossiers/{dossier_id}/tracking-log"): Rule(
        _get(lambda s: f"/dossiers/{D('delivery_a')(s)}/tracking-log"), owner="can_bo_a"),
    ("GET", "/dossiers/{dossier_id}/tracking-log.pdf"): Rule(
        _get(lambda s: f"/dossiers/{D('delivery_a')(s)}/tracking-log.pdf"), owner="giam_sat_x"),
    ("GET", "/dossiers/{dossier_id}/letter.pdf"): Rule(
        _get(lambda s: f"/dossiers/{D('delivery_a')(s)}/letter.pdf"), owner="can_bo_a"),
    ("POST", "/dossiers/{dossier_id}/apology"): Rule(
        _post(lambda s: f"/dossiers/{D('delivery_a')(s)}/apology",
              lambda s, who: {"reason": "Chậm do thiếu giấy tờ", "new_date": "2099-03-03"}),
        owner="giam_sat_x", ok=201, stage=1),
    ("GET", "/dossiers/{dossier_id}/apology.pdf"): Rule(
        _get(lambda s: f"/dossiers/{D('delivery_a')(s)}/apology.pdf"), owner="giam_sat_x"),
    # -- custody, notices, notifications ------------------------------------------------------------
    ("POST", "/handovers"): Rule(_post(lambda s: "/handovers", _handover_body), owner="can_bo_a", ok=201,
                                 stage=1),
    ("POST", "/handovers/{handover_id}/confirm"): Rule(
        _post(lambda s: f"/handovers/{s.handover_id}/confirm"), owner="can_bo_a", stage=1),
    ("POST", "/notices/{notice_id}/sent"): Rule(
        _post(lambda s: f"/notices/{s.notice_id}/sent", lambda s, who: {"note": "gọi điện"}),
        owner="giam_sat_x", stage=1),
    ("POST", "/notifications/{notification_id}/read"): Rule(
        _post(lambda s: f"/notifications/{s.notification_id}/read"), owner="giam_sat_x", stage=1),
    # -- photos ------------------------------------------------------------------------------------
    ("GET", "/blobs/{sha}"): Rule(_get(lambda s: f"/blobs/{s.photo_sha}"), owner="giam_sat_x",
                                  owner_sees=True),
    ("GET", "/blobs/{sha}/status"): Rule(_get(lambda s: f"/blobs/{s.photo_sha}/status"), kind="own",
                                         owner="can_bo_a", check=_blob_unknown),
    # PUT of bytes that hash to a stored photo changes nothing (content-addressed): see docs/security.md
    ("PUT", "/blobs/{sha}"): Rule(
        lambda s, who: Req("PUT", f"/blobs/{s.photo_sha}", {"offset": 0, "total": len(mk.PHOTO)},
                           content=mk.PHOTO),
        kind="own", owner="can_bo_a", stage=1),
    # -- supervision: tracks, days, indicators, exports of X ---------------------------------------
    ("GET", "/officers/{officer_id}/track"): Rule(
        _get(lambda s: f"/officers/{s.w.officer_a}/track", lambda s: {"date": mk.TRACK_DAY}),
        owner="giam_sat_x"),
    ("GET", "/officers/{officer_id}/day"): Rule(
        _get(lambda s: f"/officers/{s.w.officer_a}/day", lambda s: {"date": mk.TRACK_DAY}),
        owner="giam_sat_x"),
    ("GET", "/exports/officers/{officer_id}/track.geojson"): Rule(
        _get(lambda s: f"/exports/officers/{s.w.officer_a}/track.geojson", lambda s: {"date": mk.TRACK_DAY}),
        owner="giam_sat_x"),
    ("GET", "/exports/officers/{officer_id}/track.gpx"): Rule(
        _get(lambda s: f"/exports/officers/{s.w.officer_a}/track.gpx", lambda s: {"date": mk.TRACK_DAY}),
        owner="giam_sat_x"),
    ("GET", "/indicators"): Rule(_get(lambda s: "/indicators", lambda s: {"unit_id": s.w.x["commune"]}),
                                 owner="giam_sat_x"),
    ("GET", "/exports/indicators.csv"): Rule(
        _get(lambda s: "/exports/indicators.csv", lambda s: {"unit_id": s.w.x["commune"]}),
        owner="giam_sat_x"),
    ("GET", "/exports/indicators.xlsx"): Rule(
        _get(lambda s: "/exports/indicators.xlsx", lambda s: {"unit_id": s.w.x["commune"]}),
        owner="giam_sat_x"),
    # -- accounts (issue 9): officer a and officer c of X -------------------------------------------
    ("GET", "/officers/{officer_id}"): Rule(_get(lambda s: f"/officers/{s.w.officer_a}"), owner="giam_sat_x"),
    # issue 9 evidence: a phone registers its own key; supervisors order a lost phone wiped; a phone
    # reports its own wipe done (nobody may close another's order: 404 for an order that is not theirs)
    ("POST", "/device-keys"): Rule(
        _post(lambda s: "/device-keys",
              lambda s, who: {"device_id": uuid.uuid4().hex, "public_key": _PUBKEY}),
        kind="own", owner="can_bo_a", stage=1),
    ("POST", "/officers/{officer_id}/wipe"): Rule(
        _post(lambda s: f"/officers/{s.victim}/wipe", lambda s, who: {"force": False}), owner="giam_sat_x",
        stage=1),
    ("POST", "/wipe-orders/{order_id}/applied"): Rule(
        _post(lambda s: "/wipe-orders/987654/applied", lambda s, who: {"device_id": uuid.uuid4().hex})),
    ("GET", "/officers/{officer_id}/lockout"): Rule(_get(lambda s: f"/officers/{s.w.officer_a}/lockout"),
                                                    owner="giam_sat_x"),
    ("POST", "/officers/{officer_id}/unlock"): Rule(_post(lambda s: f"/officers/{s.w.officer_a}/unlock"),
                                                    owner="giam_sat_x", stage=1),
    ("GET", "/officers/{officer_id}/devices"): Rule(_get(lambda s: f"/officers/{s.victim}/devices"),
                                                    owner="giam_sat_x"),
    ("POST", "/officers/{officer_id}/devices/{device_id}/revoke"): Rule(
        _post(lambda s: f"/officers/{s.victim}/devices/c-phone/revoke"), owner="giam_sat_x", stage=2),
    ("POST", "/officers/{officer_id}/enable"): Rule(_post(lambda s: f"/officers/{s.victim}/enable"),
                                                    owner="giam_sat_x", stage=1),
    ("POST", "/officers/{officer_id}/disable"): Rule(_post(lambda s: f"/officers/{s.victim}/disable"),
                                                     owner="giam_sat_x", stage=2),
    ("POST", "/officers"): Rule(_post(lambda s: "/officers", _officer_body), owner="giam_sat_x", ok=201,
                                stage=1),
}


def openapi_routes(api_root: str) -> set[tuple[str, str]]:
    """(METHOD, path under /api/v1) of every operation the running app documents."""
    spec = httpx.get(f"{api_root}/api/openapi.json", timeout=30).json()
    return {(method.upper(), path[len(PREFIX):]) for path, ops in spec["paths"].items() for method in ops
            if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}}


def send(s: mk.Scenario, req: Req, token: str | None) -> httpx.Response:
    """One request as the holder of `token`."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if req.content is not None:
        headers["Content-Type"] = "image/jpeg"
    return httpx.request(req.method, f"{s.api}{req.path}", params=req.params, json=req.json,
                         content=req.content, headers=headers, timeout=30)


def attack(s: mk.Scenario, routes: list[tuple[str, str]]) -> list[str]:
    """Every wrong caller against every route; returns the problems found."""
    problems: list[str] = []
    for key in routes:
        rule = RULES[key]
        for actor in mk.ACTORS:
            token = s.tokens[actor]
            if rule.fresh and actor in mk.USERNAMES:
                token = s.login(mk.USERNAMES[actor])
            r = send(s, rule.call(s, actor), token)
            where = f"{key[0]} {key[1]} as {actor}: {r.status_code}"
            if r.status_code >= 500:
                problems.append(f"{where} server error {r.text[:200]}")
                continue
            leaks = mk.leaked(r, s)
            if leaks:
                problems.append(f"{where} leaked {leaks}")
            if rule.kind == "public":
                problem = rule.check(r, s) if rule.check else None
            elif actor in mk.BAD_TOKEN_ACTORS:
                problem = None if r.status_code == 401 else "expected 401"
            elif rule.kind == "target":
                problem = None if r.status_code in (403, 404) else "expected 403 or 404"
            else:
                problem = None if r.status_code < 300 or r.status_code in (403, 404) else "unexpected status"
                problem = problem or (rule.check(r, s) if rule.check else None)
            if problem:
                problems.append(f"{where} {problem} {r.text[:200]}")
    return problems


def allow(s: mk.Scenario, routes: list[tuple[str, str]]) -> list[str]:
    """The rightful party of each route, reads before writes; returns the problems found."""
    problems: list[str] = []
    tokens: dict[str, str] = {}
    for key in sorted(routes, key=lambda k: RULES[k].stage):
        rule = RULES[key]
        if rule.owner is None:
            continue
        if rule.fresh or rule.owner not in tokens:
            tokens[rule.owner] = s.login(rule.owner)
        r = send(s, rule.call(s, rule.owner), tokens[rule.owner])
        where = f"{key[0]} {key[1]} as rightful {rule.owner}"
        if r.status_code != rule.ok:
            problems.append(f"{where}: {r.status_code} instead of {rule.ok}: {r.text[:300]}")
        elif rule.owner_sees and not mk.leaked(r, s):
            problems.append(f"{where}: none of X's data in the answer (the leak scan would be blind)")
    return problems


@pytest.fixture(scope="module")
def matrix_clock() -> Iterator[ShiftedClock]:
    """The matrix's own time (its scenario has a recorded day before it), for servers and requests."""
    with using_clock(ShiftedClock(mk.MATRIX_NOW)) as bound:
        yield bound


@pytest.fixture(autouse=True)
def clock(matrix_clock: ShiftedClock) -> Iterator[ShiftedClock]:
    """Overrides the suite's test clock: every test here runs on the matrix's clock."""
    with using_clock(matrix_clock):
        yield matrix_clock


@pytest.fixture(scope="module")
def matrix_server(tmp_path_factory: pytest.TempPathFactory,
                  matrix_clock: ShiftedClock) -> Iterator[LiveServer]:
    """One SQLite server for the whole matrix (hundreds of requests)."""
    srv = start_server(make_settings(tmp_path_factory.mktemp("matrix"), None))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def scenario(matrix_server: LiveServer) -> mk.Scenario:
    """Commune X's things and the actors' tokens."""
    return mk.build(matrix_server)


def test_every_route_has_a_rule(matrix_server: LiveServer) -> None:
    routes = openapi_routes(matrix_server.url)
    assert len(routes) > 40
    missing = sorted(routes - RULES.keys())
    assert not missing, f"routes without an authorization rule in test_authz_matrix.RULES: {missing}"
    stale = sorted(RULES.keys() - routes)
    assert not stale, f"rules for routes that no longer exist: {stale}"


def test_no_other_party_reaches_commune_x_and_the_rightful_party_does(
        matrix_server: LiveServer, scenario: mk.Scenario) -> None:
    routes = sorted(openapi_routes(matrix_server.url) & RULES.keys())
    before = mk.fingerprint(matrix_server.engine, scenario)
    problems = attack(scenario, routes)
    after = mk.fingerprint(matrix_server.engine, scenario)
    changed = [name for name in before if before[name] != after[name]]
    assert not problems, "\n".join(problems)
    assert not changed, f"other parties' requests changed commune X's {changed}"
    problems = allow(scenario, routes)
    assert not problems, "\n".join(problems)


# the PostgreSQL slice: the things the issue names (visits, dossiers, citizens, photos, tracks,
# exports, indicators), against every wrong caller, plus their rightful parties
PG_SLICE = [
    ("GET", "/visits/{visit_id}"), ("PATCH", "/visits/{visit_id}"), ("GET", "/visits"),
    ("GET", "/dossiers/{dossier_id}"), ("POST", "/dossiers/{dossier_id}/status"), ("GET", "/dossiers"),
    ("GET", "/citizens/{citizen_id}"), ("GET", "/blobs/{sha}"), ("GET", "/blobs/{sha}/status"),
    ("GET", "/officers/{officer_id}/track"), ("GET", "/exports/visits.csv"), ("GET", "/indicators"),
    ("POST", "/sync/push"), ("GET", "/audit"),
]


@pytest.mark.postgres
def test_matrix_slice_on_postgresql(pg_cluster: str, tmp_path: Path) -> None:
    import psycopg

    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(f"{pg_cluster}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    srv = start_server(make_settings(tmp_path, f"{pg_cluster}/{name}"))
    try:
        s = mk.build(srv)
        before = mk.fingerprint(srv.engine, s)
        problems = attack(s, PG_SLICE)
        assert not problems, "\n".join(problems)
        assert mk.fingerprint(srv.engine, s) == before
        problems = allow(s, PG_SLICE)
        assert not problems, "\n".join(problems)
    finally:
        srv.stop()
