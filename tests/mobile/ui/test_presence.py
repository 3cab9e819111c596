"""Proof of presence for failed visits and supplement requests: the shared GPS step's rules and
reasons, an optional door photo, the slip for the citizen, and the event on the server."""

from __future__ import annotations

import io

from pypdf import PdfReader
from uikit import (
    click_key,
    current_step,
    finish_gps,
    joined,
    login,
    make_fix,
    pickup_row,
    pushed,
    recorded_event,
    set_value,
    shell,
    start_app,
)

from api_client import Client


async def _open(tmp_path, server, **kw):
    h = await start_app(server.url, tmp_path / "app", **kw)
    await login(h)
    row = pickup_row(h)
    return h, row


async def test_failed_visit_carries_the_fix_and_the_door_photo(tmp_path, seeded_server):
    h, row = await _open(tmp_path, seeded_server)
    h.location.fix = make_fix(row.lat + 0.0002, row.lon)  # 22 m from the door
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "report-failed")
    await finish_gps(h)
    assert "Vị trí đạt yêu cầu." in h.texts()
    await click_key(h, "fail-nobody_home")
    await click_key(h, "door-photo")
    await click_key(h, "complete")
    assert h.find(key="outcome-saved"), joined(h)
    p = recorded_event(h, row.visit_id).body["payload"]
    assert p["gps"]["fix"]["accuracy_m"] == 8.0 and p["gps"]["warnings"] == []
    assert [ph["document_code"] for ph in p["photos"]] == ["door"]
    await pushed(h, row.visit_id)  # the photo went up first, then the event applied
    api = Client(seeded_server.url)
    api.login("canbo.anphu", "doorstep123")
    evidence = api.get_visit(row.visit_id).evidence["visit.failed"]
    assert evidence["gps"]["fix"]["lat"] == row.lat + 0.0002


async def test_far_fix_needs_a_reason_like_the_pickup(tmp_path, seeded_server):
    h, row = await _open(tmp_path, seeded_server)
    h.location.fix = make_fix(row.lat + 0.01, row.lon)  # ~1.1 km away
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "report-failed")
    await finish_gps(h)
    await click_key(h, "fail-nobody_home")
    await click_key(h, "complete")
    assert "Vị trí không đạt: cần chọn lý do." in joined(h)
    assert h.find_all(key="outcome-saved") == []
    await click_key(h, "reason-met_elsewhere")
    await click_key(h, "complete")
    assert h.find(key="outcome-saved")
    gps = recorded_event(h, row.visit_id).body["payload"]["gps"]
    assert gps["reason"] == "met_elsewhere" and "far_from_home" in gps["warnings"] and gps["fix"]


async def test_no_gps_at_all_needs_an_explicit_reason(tmp_path, seeded_server):
    h, row = await _open(tmp_path, seeded_server, gps_error="gps_timeout")
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "report-failed")
    await finish_gps(h)
    await click_key(h, "fail-refused")
    await click_key(h, "complete")
    assert h.find_all(key="outcome-saved") == []
    await click_key(h, "reason-no_gps_permission")
    await click_key(h, "complete")
    gps = recorded_event(h, row.visit_id).body["payload"]["gps"]
    assert gps["fix"] is None and gps["reason"] == "no_gps_permission"


async def test_supplement_request_gives_a_slip_and_proof(tmp_path, seeded_server):
    h, row = await _open(tmp_path, seeded_server)
    h.location.fix = make_fix(row.lat, row.lon)
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "start-pickup")
    await set_value(h, "confirm-id", True)
    await click_key(h, "next")
    assert current_step(h) == 2
    await click_key(h, "send-supplement")  # nothing ticked: every required document is missing
    await finish_gps(h)
    view = shell(h).view
    missing = [d.name for d in view.svc.missing(view.detail)]
    assert missing and all(name in joined(h) for name in missing)
    await click_key(h, "complete")
    assert h.find(key="outcome-saved") and h.find(key="supplement-pdf")
    p = recorded_event(h, row.visit_id).body["payload"]
    assert p["gps"]["fix"] and p["missing"]
    slip = shell(h).services.outcomes.slip(row.visit_id)
    text = PdfReader(io.BytesIO(slip.path.read_bytes())).pages[0].extract_text()
    assert "PHIẾU YÊU CẦU BỔ SUNG" in text and row.dossier_code in text
    assert all(name in text for name in missing)
    assert shell(h).services.pickup.existing_draft(row.visit_id) is None  # the pickup ended here


async def test_proposed_date_is_picked_and_shown_day_first(tmp_path, seeded_server):
    from datetime import timedelta

    import flet as ft

    h, row = await _open(tmp_path, seeded_server)
    h.location.fix = make_fix(row.lat, row.lon)
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "report-failed")
    await finish_gps(h)
    view = shell(h).view
    day = view.svc.today() + timedelta(days=9)
    button = h.find(key="outcome-date")
    assert button.content.startswith("Ngày hẹn lại: ") and "/" in button.content  # dd/mm/yyyy
    await h.click(button)
    picker = h.find(ft.DatePicker, key="outcome-date-picker")
    h.session.apply_patch(picker._i, {"value": day.isoformat() + "T00:00:00.000"})
    await h.fire(picker, "change")
    assert h.find(key="outcome-date").content == f"Ngày hẹn lại: {day:%d/%m/%Y}"
    await click_key(h, "fail-nobody_home")
    await click_key(h, "complete")
    assert recorded_event(h, row.visit_id).body["payload"]["proposed_date"] == day.isoformat()


async def test_declaration_dates_can_be_chosen_on_the_calendar(tmp_path, seeded_server):

    import flet as ft
    from uikit import advance_to

    h, row = await _open(tmp_path, seeded_server)
    h.location.fix = make_fix(row.lat, row.lon)
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "start-pickup")
    await advance_to(h, 4)
    view = shell(h).view
    dates = [f for f in view.proc.form_fields if f.kind == "date"]
    assert dates, "the demo procedure has a date field"
    key = dates[0].key
    await click_key(h, f"calendar-{key}")
    picker = h.find(ft.DatePicker, key=f"date-{key}-picker")
    h.session.apply_patch(picker._i, {"value": "2026-10-05T00:00:00.000"})
    await h.fire(picker, "change")
    assert h.find(key=f"field-{key}").value == "05/10/2026"
    assert view.draft.data["form"][key] == "05/10/2026"
