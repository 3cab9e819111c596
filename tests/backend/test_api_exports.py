"""Exports open with their own readers and match the API; POST /tracks is idempotent by batch id."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from supervisionkit import Clients, D, build_day, track_body, utc
from testkit import LiveServer

from backend.services.exports import INDICATOR_COLUMNS, VISIT_COLUMNS, Column, to_csv, to_xlsx

GPX = "{http://www.topografix.com/GPX/1/1}"


@pytest.fixture
def day(server: LiveServer, client_for: Clients) -> dict[str, Any]:
    """The hand-built day of supervisionkit."""
    return build_day(server, client_for)


def _range() -> dict[str, str]:
    return {"date_from": (D - timedelta(days=3)).isoformat(), "date_to": D.isoformat()}


def _headers(columns: list[Column], lang: str) -> dict[str, str]:
    return {c.key: c.header(lang) for c in columns}


def test_visits_csv_and_xlsx_match_the_visit_list(day: dict[str, Any], client_for: Clients) -> None:
    sx = client_for("sv_sx")
    r = sx.get("/exports/visits.csv", params={**_range(), "lang": "en"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    h = _headers(VISIT_COLUMNS, "en")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    listed = sx.get("/visits", params={"page_size": 500}).json()
    in_range = {v["id"] for v in listed if _range()["date_from"] <= v["planned_date"] <= _range()["date_to"]}
    assert {int(row[h["visit_id"]]) for row in rows} == in_range
    v2 = next(row for row in rows if int(row[h["visit_id"]]) == day["v2"])
    # 01:40 UTC is 08:40 in Vietnam: the commune's clock, not the server's
    assert (v2[h["status"]], v2[h["kind"]], v2[h["citizen"]], v2[h["ended_at"]]) == (
        "Done", "Pickup", "Hộ Hai", f"{D.isoformat()} 08:40")
    v3 = next(row for row in rows if int(row[h["visit_id"]]) == day["v3"])
    assert v3[h["failure_reason"]] == "Nobody home"
    assert day["v_y"] not in {int(row[h["visit_id"]]) for row in rows}  # commune Y is not sx's
    vi_csv = sx.get("/exports/visits.csv", params=_range()).content.decode("utf-8-sig")
    vi = list(csv.reader(io.StringIO(vi_csv)))
    assert vi[0] == [c.vi for c in VISIT_COLUMNS] and "Đã xong" in {cell for row in vi for cell in row}
    x = sx.get("/exports/visits.xlsx", params=_range())  # Vietnamese by default
    ws = openpyxl.load_workbook(io.BytesIO(x.content))["Lượt đi"]
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == [c.vi for c in VISIT_COLUMNS]
    assert len(values) - 1 == len(rows)
    col = {c.key: i for i, c in enumerate(VISIT_COLUMNS)}
    xv2 = next(ws[i + 1] for i, v in enumerate(values) if v[0] == day["v2"])
    planned, ended = xv2[col["planned_date"]], xv2[col["ended_at"]]
    assert planned.value == datetime(D.year, D.month, D.day) and planned.number_format == "DD/MM/YYYY"
    assert ended.value == datetime(D.year, D.month, D.day, 8, 40)
    assert ended.number_format == "DD/MM/YYYY HH:MM"
    assert xv2[col["status"]].value == "Đã xong"
    assert ws.auto_filter.ref == ws.dimensions and ws.freeze_panes == "A2"
    assert ws.column_dimensions["H"].width >= len("Công dân") + 2  # sized to its content


def test_indicator_exports_carry_the_api_numbers(day: dict[str, Any], client_for: Clients) -> None:
    sx = client_for("sv_sx")
    params = {**_range(), "group_by": "officer"}
    api = sx.get("/indicators", params=params).json()
    assert (api["total"]["key_name"], api["total"]["label_code"]) == ("Tổng", "total")  # no English gloss
    h = _headers(INDICATOR_COLUMNS, "en")
    rows = list(
        csv.DictReader(
            io.StringIO(
                sx.get("/exports/indicators.csv", params={**params, "lang": "en"}).content.decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == len(api["rows"]) + 1  # + the total
    total = rows[-1]
    assert total[h["key_name"]] == "Total"
    assert int(total[h["home_pickups"]]) == api["total"]["home_pickups"] == 2  # v1, v2
    assert int(total[h["failed_visits"]]) == api["total"]["failed_visits"] == 3  # v3 and two earlier failures
    assert int(total[h["failed_nobody_home"]]) == 1
    wb = openpyxl.load_workbook(io.BytesIO(sx.get("/exports/indicators.xlsx", params=params).content))
    sheet = wb["Chỉ tiêu"]
    header = [c.value for c in sheet[1]]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[header.index("Nhận hồ sơ tại nhà")] == api["total"]["home_pickups"]
    assert last[header.index("Đơn vị / cán bộ")] == "Tổng"
    assert sx.get("/exports/indicators.csv", params={**params, "lang": "fr"}).status_code == 422


def test_rates_are_percentages_and_times_stay_local_in_both_formats() -> None:
    """The writers on their own, with a rate the hand-built day does not produce."""
    columns = [Column("name", "Tên", "Name"), Column("rate", "Tỷ lệ", "Rate", "percent"),
               Column("at", "Lúc", "At", "datetime"), Column("day", "Ngày", "Day", "date")]
    rows = [["Xã A", 0.302, datetime(2026, 3, 4, 8, 40), date(2026, 3, 4)], ["Xã B", None, None, None]]
    vi = list(csv.reader(io.StringIO(to_csv(columns, rows, "vi").decode("utf-8-sig"))))
    assert vi == [["Tên", "Tỷ lệ", "Lúc", "Ngày"], ["Xã A", "30,2%", "2026-03-04 08:40", "2026-03-04"],
                  ["Xã B", "", "", ""]]
    en = list(csv.reader(io.StringIO(to_csv(columns, rows, "en").decode("utf-8-sig"))))
    assert en[0] == ["Name", "Rate", "At", "Day"] and en[1][1] == "30.2%"
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx("Bảng", columns, rows, "vi"))).active
    assert ws is not None
    rate = ws["B2"]
    assert rate.value == pytest.approx(0.302) and rate.number_format == "0.0%"  # a number, shown as 30.2%
    assert ws["C2"].is_date and ws["D2"].number_format == "DD/MM/YYYY"
    assert ws.auto_filter.ref == "A1:D3"


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
