"""An officer's day, the at-risk lists with bulk assignment, and the indicators, against a live backend."""

from __future__ import annotations

import flet as ft
from supkit import by_key, keys, start_supervisor, sup_api
from uikit import click_key, joined, set_value, shell, type_key, wait_until

from mobile.ui.supervisor.common import hhmm, pct
from mobile.ui.supervisor.officer_day import OfficerDayView


async def test_officer_day_rows_flags_and_exports(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup")
    api = sup_api(seeded_server.url)
    days = {o.id: api.officer_day(o.id) for o in api.board().officers}
    oid, day = next((i, d) for i, d in days.items() if any(v.flags for v in d.visits) and d.failed)
    await click_key(h, f"day-{oid}")
    assert isinstance(shell(h).view, OfficerDayView)
    await wait_until(h, lambda: keys(h, "dayrow-"), what="day rows")
    rows = [k for k in keys(h, "dayrow-") if k[7:].isdigit()]
    assert len(rows) == len(day.visits)
    for v in day.visits:
        times = by_key(h, f"dayrow-times-{v.visit_id}").value
        if v.arrived_at:
            assert f"Đến {hhmm(v.arrived_at)}" in times
        if v.completed_at:
            assert f"Xong {hhmm(v.completed_at)}" in times
        for f in v.flags:
            chip = by_key(h, f"flag-{v.visit_id}-{f}")
            assert chip is not None and chip.border.top.color == "#B00020"  # red
    assert f"Quãng đường: {day.distance_m / 1000:.1f} km".replace(".", ",") in h.texts()
    for v in day.failed:
        line = by_key(h, f"failed-{v.visit_id}").value
        assert v.dossier_code in line and "Không có ai ở nhà" in line
    # exports: GeoJSON and GPX saved like receipts and readable
    await click_key(h, "export-geojson")
    await wait_until(h, lambda: "Đã tạo tệp GEOJSON." in h.texts(), what="geojson")
    await click_key(h, "export-gpx")
    await wait_until(h, lambda: "Đã tạo tệp GPX." in h.texts(), what="gpx")
    docs = shell(h).services.receipts
    gj = docs.get_document(f"export:track:{oid}:geojson", oid)
    gpx = docs.get_document(f"export:track:{oid}:gpx", oid)
    assert gj.path.suffix == ".geojson" and b"LineString" in gj.path.read_bytes()
    assert gpx.path.suffix == ".gpx" and b"<trkpt" in gpx.path.read_bytes()


async def test_at_risk_tabs_and_bulk_assign_change_the_server(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup")
    api = sup_api(seeded_server.url)
    shell(h).go("sup_at_risk")
    totals = {
        k: api.dossiers_at_risk(k, page_size=1).total
        for k in ("due_today", "overdue", "unassigned", "repeatedly_failed")
    }
    await wait_until(h, lambda: keys(h, "riskrow-"), what="rows")
    for kind, total in totals.items():
        assert by_key(h, f"risk-tab-{kind}").content.endswith(f"({total})")
    # overdue has more than one page of 20
    await click_key(h, "risk-tab-overdue")
    await wait_until(h, lambda: by_key(h, "risk-page").value.startswith("Trang 1/"), what="pager")
    assert len(keys(h, "riskrow-")) == min(20, totals["overdue"])
    if totals["overdue"] > 20:
        await click_key(h, "risk-next")
        await wait_until(h, lambda: by_key(h, "risk-page").value.startswith("Trang 2/"), what="page 2")
        assert len(keys(h, "riskrow-")) == totals["overdue"] - 20
    # unassigned: pick two, assign to the suggested (or first) officer through the picker
    await click_key(h, "risk-tab-unassigned")
    await wait_until(h, lambda: by_key(h, "risk-tab-unassigned").__class__ is ft.FilledButton, what="tab")
    await wait_until(h, lambda: keys(h, "riskrow-"), what="unassigned rows")
    items = list(api.dossiers_at_risk("unassigned", page_size=20))
    chosen = items[:2]
    for d in chosen:
        await set_value(h, f"risk-{d.id}", True)
    assert by_key(h, "risk-assign").content == "Giao / giao lại (2)"
    await click_key(h, "risk-assign")
    await wait_until(h, lambda: keys(h, "pick-"), what="picker")
    # a week of days to choose from, today first (never a past day); the supervisor takes tomorrow
    days = keys(h, "pickday-")
    assert len(days) == 7
    tomorrow = days[1].removeprefix("pickday-")
    await click_key(h, days[1])
    await wait_until(h, lambda: by_key(h, days[1]).__class__ is ft.FilledButton, what="tomorrow chosen")
    first_with_visit = next((d for d in chosen if d.open_visit_id), None)
    if first_with_visit:  # the server's ranking for that day: hamlet officer first, then least busy
        ranked = api.suggested_assignees(first_with_visit.open_visit_id, date=tomorrow, limit=100)
    else:
        ranked = api.suggested_for_dossier(chosen[0].id, date=tomorrow, limit=100)

    def order() -> list[str]:
        body = shell(h).view.picker_body.controls
        return [c.identifier for c in body if isinstance(c, ft.Semantics)]

    expected = [f"pick-{s.officer_id}" for s in ranked]
    await wait_until(h, lambda: order() == expected, what="ranked for tomorrow")
    assert "Đề xuất" in joined(h)
    # each officer shows the load the server computed, the same number the board would show that day
    board = {o.id: o.open_visits for o in api.board(date=tomorrow, page_size=200).officers}
    for s in ranked:
        assert s.open_visits == board[s.officer_id]
        assert f"{s.open_visits} lượt đang mở" in by_key(h, f"pick-{s.officer_id}").content.controls[1].value
    target = ranked[0].officer_id
    await click_key(h, f"pick-{target}")
    await wait_until(h, lambda: by_key(h, "risk-message").visible, what="assigned")
    assert by_key(h, "risk-message").value.startswith("Đã giao 2 hồ sơ cho")
    # the server agrees: each dossier has an open visit assigned to that officer, for tomorrow
    theirs = api.list_visits(assignee_id=target, status="planned", page_size=500)
    assert {d.id for d in chosen} <= {v.dossier_id for v in theirs if v.planned_date == tomorrow}
    assert {d.id for d in api.dossiers_at_risk("unassigned", page_size=100)}.isdisjoint(
        {d.id for d in chosen}
    )


async def test_indicator_numbers_equal_the_api(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup", width=1280)
    shell(h).go("sup_indicators")
    await wait_until(h, lambda: by_key(h, "ind-table") is not None, what="table")
    view = shell(h).view
    api = sup_api(seeded_server.url)
    report = api.indicators(
        date_from=view._range()[0].isoformat(), date_to=view._range()[1].isoformat(), group_by="commune"
    )

    def check(rep) -> None:
        for row in [*rep.rows, rep.total]:
            rid = "total" if row is rep.total else str(row.key_id)
            assert by_key(h, f"ind-{rid}-name").value == row.key_name
            assert by_key(h, f"ind-{rid}-home_pickups").value == str(row.home_pickups)
            assert by_key(h, f"ind-{rid}-home_deliveries").value == str(row.home_deliveries)
            assert by_key(h, f"ind-{rid}-failed_visits").value == str(row.failed_visits)
            assert by_key(h, f"ind-{rid}-on_time_rate").value == pct(row.on_time_rate)
            assert by_key(h, f"ind-{rid}-digitization_rate").value == pct(row.digitization_rate)
            assert by_key(h, f"ind-{rid}-online_payment_rate").value == pct(row.online_payment_rate)

    check(report)
    assert by_key(h, "ind-total-name").value == "Tổng"  # no "(total)" gloss on the Vietnamese screen
    import flet_charts as fch

    bar = h.find(fch.BarChart)
    assert [g.rods[0].to_y for g in bar.groups] == [
        round((r.on_time_rate or 0) * 100, 1) for r in report.rows
    ]
    pie = h.find(fch.PieChart)
    assert sum(s.value for s in pie.sections) == report.total.failed_visits
    # per hamlet, one commune, a shorter range
    commune = report.rows[0].key_id
    await set_value(h, "ind-unit", str(commune))
    await type_key(h, "ind-from", "01/03/2026")  # the pinned today is 10/03/2026
    await click_key(h, "ind-load")
    await click_key(h, "ind-group-hamlet")
    await wait_until(
        h, lambda: view.report is not None and view.report.group_by.value == "hamlet", what="hamlets"
    )
    hamlets = api.indicators(
        unit_id=commune, date_from="2026-03-01", date_to=view._range()[1].isoformat(), group_by="hamlet"
    )
    check(hamlets)
    # a bad date is refused in Vietnamese
    await type_key(h, "ind-to", "31/02/2026")
    await click_key(h, "ind-load")
    assert by_key(h, "ind-message").value == "Ngày không hợp lệ: nhập dạng 26/11/2026."
    await type_key(
        h, "ind-to", hamlets.date_to[8:10] + "/" + hamlets.date_to[5:7] + "/" + hamlets.date_to[:4]
    )
    await click_key(h, "ind-export-csv")
    await wait_until(
        h,
        lambda: shell(h).services.receipts.get_document("export:indicators:csv", commune) is not None,
        what="csv",
    )
    csv = (
        shell(h).services.receipts.get_document("export:indicators:csv", commune).path.read_text("utf-8-sig")
    )
    assert hamlets.rows[0].key_name in csv
    # the file speaks the screen's language: Vietnamese headers, the total named "Tổng", rates in %
    assert csv.splitlines()[0].startswith("Mã,Đơn vị / cán bộ,Nhận hồ sơ tại nhà")
    assert "\n,Tổng," in csv and "total" not in csv
    assert not by_key(h, "ind-message").visible
