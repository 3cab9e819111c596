"""Exports open with their own readers and match the API; POST /tracks is idempotent by batch id."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from supervisionkit import Clients, D, build_day, track_body, utc
from testkit import LiveServer

GPX = "{http://www.topografix.com/GPX/1/1}"


@pytest.fixture
def day(server: LiveServer, client_for: Clients) -> dict[str, Any]:
    """The hand-built day of supervisionkit."""
    return build_day(server, client_for)


def _range() -> dict[str, str]:
    return {"date_from": (D - timedelta(days=3)).isoformat(), "date_to": D.isoformat()}


def test_visits_csv_and_xlsx_match_the_visit_list(day: dict[str, Any], client_for: Clients) -> None:
    sx = client_for("sv_sx")
    r = sx.get("/exports/visits.csv", params=_range())
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    listed = sx.get("/visits", params={"page_size": 500}).json()
    in_range = {v["id"] for v in listed if _range()["date_from"] <= v["planned_date"] <= _range()["date_to"]}
    assert {int(row["visit_id"]) for row in rows} == in_range
    v2 = next(row for row in rows if int(row["visit_id"]) == day["v2"])
    assert (v2["status"], v2["citizen"], v2["ended_at"]) == ("completed", "Hộ Hai", utc(1, 40).isoformat())
    assert day["v_y"] not in {int(row["visit_id"]) for row in rows}  # commune Y is not sx's
    x = sx.get("/exports/visits.xlsx", params=_range())
    ws = openpyxl.load_workbook(io.BytesIO(x.content)).active
    assert ws is not None
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == list(rows[0].keys())
    assert len(values) - 1 == len(rows)


def test_indicator_exports_carry_the_api_numbers(day: dict[str, Any], client_for: Clients) -> None:
    sx = client_for("sv_sx")
    params = {**_range(), "group_by": "officer"}
    api = sx.get("/indicators", params=params).json()
    rows = list(
        csv.DictReader(
            io.StringIO(sx.get("/exports/indicators.csv", params=params).content.decode("utf-8-sig"))
        )
    )
    assert len(rows) == len(api["rows"]) + 1  # + the total
    total = rows[-1]
    assert int(total["home_pickups"]) == api["total"]["home_pickups"] == 2  # v1, v2
    assert int(total["failed_visits"]) == api["total"]["failed_visits"] == 3  # v3 and two earlier failures
    assert int(total["failed_nobody_home"]) == 1
    wb = openpyxl.load_workbook(io.BytesIO(sx.get("/exports/indicators.xlsx", params=params).content))
    sheet = wb["indicators"]
    header = [c.value for c in sheet[1]]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[header.index("home_pickups")] == api["total"]["home_pickups"]
    assert last[header.index("key_name")] == api["total"]["key_name"]


def test_track_geojson_is_a_feature_collection(day: dict[str, Any], client_for: Clients) -> None:
    r = client_for("sv_sx").get(f"/exports/officers/{day['a']}/track.geojson", params={"date": D.isoformat()})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    doc = json.loads(r.content)
    assert doc["type"] == "FeatureCollection"
    line = [f for f in doc["features"] if f["geometry"]["type"] == "LineString"]
    points = [f for f in doc["features"] if f["geometry"]["type"] == "Point"]
    assert len(line) == 1 and line[0]["type"] == "Feature"
    assert line[0]["geometry"]["coordinates"] == [
        [105.09, 10.87],
        [105.09, 10.88],
        [105.09, 10.89],
        [105.09, 10.9],
    ]  # lon, lat (RFC 7946)
    api = client_for("sv_sx").get(f"/officers/{day['a']}/track", params={"date": D.isoformat()}).json()
    assert line[0]["properties"]["distance_m"] == api["distance_m"]
    assert {p["properties"]["visit_id"] for p in points} == {day["v1"], day["v2"], day["v3"], day["v4"]}
    for p in points:
        lon, lat = p["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_track_gpx_is_gpx_1_1(day: dict[str, Any], client_for: Clients) -> None:
    r = client_for("sv_sx").get(f"/exports/officers/{day['a']}/track.gpx", params={"date": D.isoformat()})
    assert r.status_code == 200
    root = ET.fromstring(r.content)
    assert root.tag == f"{GPX}gpx" and root.get("version") == "1.1"
    children = [c.tag for c in root]
    assert children.index(f"{GPX}wpt") < children.index(f"{GPX}trk")  # GPX 1.1 order: wpt before trk
    trkpts = root.findall(f"{GPX}trk/{GPX}trkseg/{GPX}trkpt")
    assert [float(p.get("lat", "")) for p in trkpts] == [10.87, 10.88, 10.89, 10.9]
    assert trkpts[0].findtext(f"{GPX}time") == utc(0, 30).isoformat().replace("+00:00", "Z")
    assert len(root.findall(f"{GPX}wpt")) == 4


def test_tracks_push_is_idempotent_by_batch_id(day: dict[str, Any], client_for: Clients) -> None:
    a = client_for("sv_a")
    body = track_body(
        [(utc(3, 0), 10.91, 105.09, 5), (utc(3, 1), 10.911, 105.09, 5)], batch_id=str(uuid.uuid4())
    )
    first = a.post("/tracks", json=body).json()
    again = a.post("/tracks", json=body).json()
    assert (first["status"], again["status"], again["points"]) == ("applied", "duplicate", 2)
    changed = {**body, "points": body["points"].replace(",5", ",6")}
    clash = a.post("/tracks", json=changed)
    assert clash.status_code == 409 and clash.json()["code"] == "conflict"
    day_view = client_for("sv_sx").get(f"/officers/{day['a']}/day", params={"date": D.isoformat()}).json()
    assert day_view["points"] == 6  # 4 + 2, never 8
    other = client_for("sv_b").post("/tracks", json=body)  # someone else's batch id
    assert other.status_code == 409


def test_tracks_push_rejects_malformed_batches(day: dict[str, Any], client_for: Clients) -> None:
    a = client_for("sv_a")
    base = {"id": str(uuid.uuid4()), "t0": utc(3, 0).isoformat()}
    # malformed, not integers, backwards in time, off the globe, 5 days after t0 (the future)
    for points in (
        "1,2,3",
        "0,1087100,10509000,x",
        "-5,1,1,1",
        "0,99999999,0,5",
        "432000,1087100,10509000,5",
    ):
        r = a.post("/tracks", json={**base, "points": points})
        assert r.status_code == 422 and r.json()["code"] == "validation_error", points
    assert a.post("/tracks", json={"id": str(uuid.uuid4()), "points": "0,1,1,1"}).status_code == 422
    assert a.post("/tracks", json={**base, "points": "", "extra": 1}).status_code == 422
    assert client_for(None).post("/tracks", json={**base, "points": ""}).status_code == 401
