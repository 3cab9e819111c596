"""GET /indicators on a hand-built history whose numbers are worked out below (SQLite and PostgreSQL).

Commune X (hamlets X1, X2; officers a in X1, b in X2; supervisor sx) and commune Y (officer c,
supervisor sy). Range: D-6 .. D (Vietnam days).
Visits in X planned in range: 3 completed pickups (a, a, b), 2 completed deliveries (a),
3 failed (a: nobody_home x2, b: refused); outside: a pickup completed on D-10, an open visit.
Dossiers in X: returned in range 3 (on time: yes / no via a's deliveries, yes without a visit),
one returned before the range; received in range 4 (digitized ✓ ✗ ✗ ✓; fees 2000 online,
10000 cash, 0 online, 5000 online), one received just after D ends in Vietnam time.
Y: one completed pickup by c, one dossier returned on time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import builders
import httpx
import pytest
from sqlalchemy import update
from testkit import TEST_NOW, LiveServer

from api_client.domain.clock import VN_TZ, vn_date
from backend.db.schema import visits

D = vn_date(TEST_NOW) - timedelta(days=2)  # two days before the pinned "today"
Clients = Callable[[str | None], httpx.Client]


def vn(day: date, hh: int, mm: int = 0) -> str:
    """A Vietnam wall-clock time stored as ISO UTC."""
    return datetime.combine(day, time(hh, mm), tzinfo=VN_TZ).astimezone(UTC).isoformat()


def _visit(
    conn: Any,
    dossier_id: int,
    officer: int | None,
    kind: str,
    day: date,
    status: str,
    reason: str | None = None,
) -> int:
    vid = builders.visit(conn, dossier_id, officer, kind=kind, planned_date=day.isoformat(), status=status)
    values: dict[str, Any] = {}
    if status == "completed":
        values["completed_at"] = vn(day, 9)
    if reason:
        values["failure_reason"] = reason
    if values:
        conn.execute(update(visits).where(visits.c.id == vid).values(**values))
    return vid


@pytest.fixture
def history(server: LiveServer) -> dict[str, Any]:
    with server.engine.begin() as conn:
        x = builders.unit_tree(conn, "000.00.31.H01", "Xã Chợ Vàm")
        y = builders.unit_tree(conn, "000.00.32.H01", "Xã Phú Thạnh", province_id=x["province"])
        x1, x2 = x["hamlets"]
        a = builders.officer(conn, "ind_a", unit_ids=[x1], full_name="Cán bộ A")
        b = builders.officer(conn, "ind_b", unit_ids=[x2], full_name="Cán bộ B")
        c = builders.officer(conn, "ind_c", unit_ids=[y["hamlets"][0]])
        builders.officer(conn, "ind_sx", "supervisor", [x["commune"]])
        builders.officer(conn, "ind_sy", "supervisor", [y["commune"]])
        builders.officer(conn, "ind_field", "hamlet_officer", [x1])
        builders.catalogue(conn)
        cit = builders.citizen(conn, "Nguyễn Văn Tư", hamlet_id=x1)

        def dossier(commune: int, hamlet: int | None, **extra: Any) -> int:
            return builders.dossier(conn, cit, commune, hamlet_id=hamlet, **extra)

        # visit facts (their dossiers carry no receipt/return in range)
        for officer, hamlet in ((a, x1), (a, x1), (b, x2)):
            _visit(conn, dossier(x["commune"], hamlet), officer, "pickup", D - timedelta(days=1), "completed")
        _visit(conn, dossier(x["commune"], x1), a, "pickup", D, "failed", "nobody_home")
        _visit(conn, dossier(x["commune"], x1), a, "pickup", D - timedelta(days=6), "failed", "nobody_home")
        _visit(conn, dossier(x["commune"], x2), b, "delivery", D, "failed", "refused")
        _visit(conn, dossier(x["commune"], x1), a, "pickup", D - timedelta(days=10), "completed")  # outside
        _visit(conn, dossier(x["commune"], x1), a, "pickup", D, "planned")  # open: not counted
        # returned dossiers
        on_time = dossier(
            x["commune"], x1, status=10, returned_at=vn(D - timedelta(days=2), 10), on_time=True
        )
        late = dossier(x["commune"], x1, status=10, returned_at=vn(D, 16), on_time=False)
        dossier(x["commune"], x2, status=10, returned_at=vn(D - timedelta(days=6), 0, 30), on_time=True)
        dossier(
            x["commune"], x2, status=10, returned_at=vn(D - timedelta(days=7), 23, 50), on_time=True
        )  # before
        _visit(conn, on_time, a, "delivery", D - timedelta(days=2), "completed")
        _visit(conn, late, a, "delivery", D, "completed")
        # received dossiers: (hamlet, status, received_at, digitization, has_result_file, fee, online)
        received = [
            (x1, 2, vn(D - timedelta(days=6), 0, 30), 1, True, 2000, True),
            (x1, 2, vn(D, 10), 1, False, 10000, False),
            (x2, 4, vn(D, 11), 0, True, 0, True),
            (x2, 9, vn(D, 23, 59), 2, True, 5000, True),
            (x1, 2, vn(D + timedelta(days=1), 0, 10), 1, True, 5000, True),  # 17:10 UTC on D, D+1 in Vietnam
        ]
        for hamlet, status, at, digitization, result_file, fee, online in received:
            dossier(
                x["commune"],
                hamlet,
                status=status,
                received_at=at,
                digitization=digitization,
                has_result_file=result_file,
                fee_vnd=fee,
                paid_online=online,
            )
        # commune Y
        _visit(conn, dossier(y["commune"], y["hamlets"][0]), c, "pickup", D, "completed")
        dossier(y["commune"], y["hamlets"][0], status=10, returned_at=vn(D, 9), on_time=True)
    return {"x": x, "y": y, "a": a, "b": b, "c": c}


def _get(client: httpx.Client, **params: Any) -> dict[str, Any]:
    r = client.get(
        "/indicators",
        params={"date_from": (D - timedelta(days=6)).isoformat(), "date_to": D.isoformat(), **params},
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_commune_totals_worked_out_by_hand(history: dict[str, Any], client_for: Clients) -> None:
    report = _get(client_for("ind_sx"))
    total = report["total"]
    assert total["home_pickups"] == 3 and total["home_deliveries"] == 2
    assert total["failed_visits"] == 3
    assert total["failed_by_reason"] == {
        "nobody_home": 2,
        "missing_documents": 0,
        "refused": 1,
        "wrong_address": 0,
        "other": 0,
    }
    assert (total["returned"], total["returned_on_time"]) == (3, 2)
    assert total["on_time_rate"] == pytest.approx(2 / 3)
    assert (total["received"], total["digitized"]) == (4, 2)
    assert total["digitization_rate"] == pytest.approx(0.5)
    assert (total["fee_dossiers"], total["paid_online"]) == (3, 2)
    assert total["online_payment_rate"] == pytest.approx(2 / 3)
    assert [r["key_id"] for r in report["rows"]] == [history["x"]["commune"]]
    assert report["rows"][0]["key_name"] == "Xã Chợ Vàm"
    assert report["rows"][0]["home_pickups"] == 3


def test_group_by_officer_and_hamlet(history: dict[str, Any], client_for: Clients) -> None:
    rows = {r["key_id"]: r for r in _get(client_for("ind_sx"), group_by="officer")["rows"]}
    a, b = rows[history["a"]], rows[history["b"]]
    assert (a["home_pickups"], a["home_deliveries"], a["failed_visits"]) == (2, 2, 2)
    assert (a["returned"], a["returned_on_time"], a["on_time_rate"]) == (2, 1, 0.5)
    assert (b["home_pickups"], b["failed_visits"], b["failed_by_reason"]["refused"]) == (1, 1, 1)
    nobody = rows[None]  # desk dossiers: received and returned without a field visit
    assert (nobody["received"], nobody["returned"], nobody["on_time_rate"]) == (4, 1, 1.0)
    assert a["key_name"] == "Cán bộ A"
    hamlets = {r["key_id"]: r for r in _get(client_for("ind_sx"), group_by="hamlet")["rows"]}
    x1, x2 = history["x"]["hamlets"]
    assert hamlets[x1]["home_pickups"] == 2 and hamlets[x2]["home_pickups"] == 1
    assert hamlets[x1]["received"] == 2 and hamlets[x2]["received"] == 2
    assert hamlets[x2]["digitization_rate"] == 0.5  # (0, True) no, (2, True) yes


def test_unit_filter_and_empty_rates(history: dict[str, Any], client_for: Clients) -> None:
    x1 = history["x"]["hamlets"][0]
    total = _get(client_for("ind_sx"), unit_id=x1)["total"]
    assert (total["home_pickups"], total["received"], total["returned"]) == (2, 2, 2)
    empty = (
        client_for("ind_sx")
        .get("/indicators", params={"date_from": "2021-01-01", "date_to": "2021-01-31"})
        .json()["total"]
    )
    assert empty["on_time_rate"] is None and empty["home_pickups"] == 0


def test_supervisors_see_only_their_communes(history: dict[str, Any], client_for: Clients) -> None:
    sy = client_for("ind_sy")
    total = _get(sy)["total"]
    assert (total["home_pickups"], total["returned"], total["on_time_rate"]) == (1, 1, 1.0)
    r = sy.get("/indicators", params={"unit_id": history["x"]["commune"]})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert client_for("ind_field").get("/indicators").status_code == 403


def test_bad_ranges_are_422_not_500(history: dict[str, Any], client_for: Clients) -> None:
    sx = client_for("ind_sx")
    backwards = sx.get("/indicators", params={"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert backwards.status_code == 422 and "date_from" in backwards.json()["detail"]
    assert (
        sx.get("/indicators", params={"date_from": "2020-01-01", "date_to": "2026-01-01"}).status_code == 422
    )
    assert sx.get("/indicators", params={"date_from": "not-a-date"}).status_code == 422
    assert sx.get("/indicators", params={"group_by": "province"}).status_code == 422
