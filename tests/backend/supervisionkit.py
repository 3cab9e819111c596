"""A hand-built field day for the supervisor tests (board, day, track, exports).

Day D (Vietnam). Households on one meridian (105.09 E), 0.01° of latitude apart (1,111.95 m):
H1 10.88, H2 10.89, H3 10.90. Officer a's track: 00:30Z at 10.87, 00:50Z at H1, 01:20Z at H2,
01:50Z at H3 -> 3 legs = 3,335.8 m. v1 (H1) completed 01:10Z with a good fix at the door;
v2 (H2) completed 01:40Z with a fix 0.0036° (400 m) away and 80 m accuracy; v3 (H3) failed
02:00Z (nobody home) without a fix; v4 (H1 household 2) still planned.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import builders
import httpx
from sqlalchemy import update
from testkit import TEST_NOW, LiveServer

from api_client.domain.clock import vn_date
from api_client.domain.track import TrackPoint, encode_points
from backend.db.schema import visits

D = vn_date(TEST_NOW) - timedelta(days=2)  # two days before the pinned "today"
Clients = Callable[[str | None], httpx.Client]
LEG_M = 1106.14  # 0.01° of latitude near 10.9° N on the WGS-84 ellipsoid (geodesic; a sphere says 1111.95)


def utc(hh: int, mm: int) -> datetime:
    """D at hh:mm UTC (07:30-09:00 in Vietnam for the times used here)."""
    return datetime(D.year, D.month, D.day, hh, mm, tzinfo=UTC)


def track_body(
    points: list[tuple[datetime, float, float, float]],
    duty: list[dict[str, Any]] | None = None,
    batch_id: str | None = None,
) -> dict[str, Any]:
    """A TrackBatch as the phone sends it."""
    pts = [TrackPoint(t, lat, lon, acc) for t, lat, lon, acc in points]
    return {
        "id": batch_id or str(uuid.uuid4()),
        "t0": pts[0].at.isoformat(),
        "points": encode_points(pts[0].at, pts),
        "duty": duty or [],
    }


def gps(lat: float, lon: float, acc: float) -> dict[str, Any]:
    return {"fix": {"lat": lat, "lon": lon, "accuracy_m": acc, "device_time": utc(1, 0).isoformat()}}


def build_day(server: LiveServer, client_for: Clients) -> dict[str, Any]:
    """Insert the scenario and push the officers' tracks; returns the ids by name."""
    eng = server.engine
    with eng.begin() as conn:
        x = builders.unit_tree(conn, "000.00.41.H01", "Xã Đa Phước")
        y = builders.unit_tree(conn, "000.00.42.H01", "Xã Vĩnh Trường", province_id=x["province"])
        x1, x2 = x["hamlets"]
        s: dict[str, Any] = {"x": x, "y": y}
        s["a"] = builders.officer(conn, "sv_a", unit_ids=[x1], full_name="A Nguyễn")
        s["b"] = builders.officer(conn, "sv_b", unit_ids=[x2], full_name="B Trần")
        s["e"] = builders.officer(conn, "sv_e", unit_ids=[x2], full_name="E Lê")
        s["c"] = builders.officer(conn, "sv_c", unit_ids=[y["hamlets"][0]], full_name="C Phạm")
        builders.officer(conn, "sv_sx", "supervisor", [x["commune"]])
        builders.officer(conn, "sv_sy", "supervisor", [y["commune"]])
        builders.catalogue(conn)
        h1 = builders.citizen(conn, "Hộ Một", hamlet_id=x1, lat=10.88, lon=105.09)
        h1b = builders.citizen(conn, "Hộ Một B", hamlet_id=x1, lat=10.8805, lon=105.09)
        h2 = builders.citizen(conn, "Hộ Hai", hamlet_id=x1, lat=10.89, lon=105.09)
        h3 = builders.citizen(conn, "Hộ Ba", hamlet_id=x1, lat=10.90, lon=105.09)
        hy = builders.citizen(conn, "Hộ Y", hamlet_id=y["hamlets"][0], lat=10.80, lon=105.13)
        dd = D.isoformat()
        appt_today = datetime(D.year, D.month, D.day, 10, tzinfo=UTC).isoformat()  # 17:00 in Vietnam
        s["d1"] = builders.dossier(conn, h1, x["commune"], hamlet_id=x1, status=2)
        s["d2"] = builders.dossier(conn, h2, x["commune"], hamlet_id=x1, status=2)
        s["d3"] = builders.dossier(conn, h3, x["commune"], hamlet_id=x1, status=9, appointment_at=appt_today)
        s["d4"] = builders.dossier(conn, h1b, x["commune"], hamlet_id=x1)
        s["d_free"] = builders.dossier(conn, h1b, x["commune"], hamlet_id=x1)  # no visit at all
        s["d_late"] = builders.dossier(
            conn,
            h2,
            x["commune"],
            hamlet_id=x1,
            status=4,
            appointment_at=(utc(10, 0) - timedelta(days=2)).isoformat(),
        )
        s["d_done"] = builders.dossier(
            conn,
            h2,
            x["commune"],
            hamlet_id=x1,
            status=10,
            appointment_at=(utc(10, 0) - timedelta(days=3)).isoformat(),
        )
        s["d_fail2"] = builders.dossier(conn, h3, x["commune"], hamlet_id=x1)
        s["dy"] = builders.dossier(
            conn,
            hy,
            y["commune"],
            hamlet_id=y["hamlets"][0],
            appointment_at=(utc(10, 0) - timedelta(days=1)).isoformat(),
        )
        s["v1"] = builders.visit(conn, s["d1"], s["a"], planned_date=dd)
        s["v2"] = builders.visit(conn, s["d2"], s["a"], planned_date=dd)
        s["v3"] = builders.visit(conn, s["d3"], s["a"], kind="delivery", planned_date=dd)
        s["v4"] = builders.visit(conn, s["d4"], s["a"], planned_date=dd)
        s["v_un"] = builders.visit(conn, s["d_free"], None, planned_date=dd)
        s["v_b"] = builders.visit(conn, s["d_late"], s["b"], planned_date=dd)
        s["v_e"] = builders.visit(conn, s["d_fail2"], s["e"], planned_date=dd)
        for _ in range(2):
            builders.visit(
                conn, s["d_fail2"], s["e"], planned_date=(D - timedelta(days=3)).isoformat(), status="failed"
            )
        s["v_y"] = builders.visit(conn, s["dy"], s["c"], planned_date=dd)
        v = visits.c
        conn.execute(
            update(visits)
            .where(v.id == s["v1"])
            .values(
                status="completed",
                completed_at=utc(1, 10).isoformat(),
                evidence={"visit.pickup_completed": {"gps": gps(10.88, 105.09, 8)}},
            )
        )
        conn.execute(
            update(visits)
            .where(v.id == s["v2"])
            .values(
                status="completed",
                completed_at=utc(1, 40).isoformat(),
                evidence={
                    "en_route_at": utc(1, 25).isoformat(),
                    "visit.pickup_completed": {"gps": gps(10.8936, 105.09, 80)},
                },
            )
        )
        conn.execute(
            update(visits)
            .where(v.id == s["v3"])
            .values(
                status="failed",
                failure_reason="nobody_home",
                failure_note="Nhà đóng cửa",
                evidence={
                    "visit.failed": {
                        "occurred_at": utc(2, 0).isoformat(),
                        "gps": {"fix": None, "reason": "no_gps_permission"},
                    }
                },
            )
        )
    a = client_for("sv_a")
    body = track_body(
        [
            (utc(0, 30), 10.87, 105.09, 5),
            (utc(0, 50), 10.88, 105.09, 6),
            (utc(1, 20), 10.89, 105.09, 7),
            (utc(1, 50), 10.90, 105.09, 9),
        ],
        duty=[{"at": utc(0, 29).isoformat(), "on_duty": True}],
    )
    r = a.post("/tracks", json=body)
    assert r.status_code == 200 and r.json()["status"] == "applied" and r.json()["points"] == 4, r.text
    b = client_for("sv_b")  # b stands 100 m from the unassigned household
    assert b.post("/tracks", json=track_body([(utc(1, 0), 10.8814, 105.09, 5)])).status_code == 200
    return s
