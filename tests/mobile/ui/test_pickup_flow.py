"""Every branch of the pickup flow, client-less, on the real services and store with a live backend."""

from __future__ import annotations

import httpx
import pytest
from uikit import (
    advance_to,
    bad_signatures_are_refused,
    click_key,
    current_step,
    finish_gps,
    joined,
    login,
    make_fix,
    pickup_row,
    pushed,
    recorded_event,
    resume_in_new_process,
    set_value,
    shell,
    start_app,
    type_key,
)

from api_client import Client


async def _open_pickup(tmp_path, server, **kw):
    h = await start_app(server.url, tmp_path / "app", **kw)
    await login(h)
    row = pickup_row(h)
    if "fix" not in kw and "gps_error" not in kw:
        h.location.fix = make_fix(row.lat + 0.0002, row.lon)  # 22 m from the door, 8 m accuracy
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "start-pickup")
    assert current_step(h) == 1
    return h, row


async def test_happy_path_records_event_and_receipt(tmp_path, seeded_server):
    h, row = await _open_pickup(tmp_path, seeded_server)
    await advance_to(h, 7)
    await finish_gps(h)
    assert "Vị trí đạt yêu cầu." in h.texts()
    await click_key(h, "complete")
    assert f"Đã tiếp nhận hồ sơ. Mã: {row.dossier_code}" in h.texts()
    svc = shell(h).services
    event = recorded_event(h, row.visit_id)
    assert event.type == "visit.pickup_completed"
    p = event.body["payload"]
    assert p["photos"] and all(ph["document_code"] for ph in p["photos"])
    assert p["gps"]["fix"]["accuracy_m"] == 8.0 and p["gps"]["warnings"] == []
    receipt = svc.pickup.receipt(row.visit_id)
    assert receipt and receipt.path.read_bytes().startswith(b"%PDF")
    # the slip printed offline: its QR opens the server's lookup page with the token the event carries
    token = p["lookup_token"]
    assert len(token) == 22 and receipt.lookup == f"{seeded_server.url}/tra-cuu?t={token}"
    assert receipt.qr_b64 and h.find(key="receipt-lookup").value == receipt.lookup
    # the completion triggered a sync: the server has it
    await pushed(h, row.visit_id)
    api = Client(seeded_server.url)
    api.login("canbo.anphu", "doorstep123")
    assert api.get_visit(row.visit_id).status.value == "completed"
    dossier = api.get_dossier(row.dossier_id)
    assert int(dossier.status) == 2 and dossier.lookup_token == token
    page = httpx.get(receipt.lookup)  # what the citizen sees after scanning
    assert page.status_code == 200 and "Đã tiếp nhận, đang chờ giải quyết" in page.text


async def test_bad_id_number_is_refused(tmp_path, seeded_server):
    h, _ = await _open_pickup(tmp_path, seeded_server)
    await type_key(h, "field-id_number", "12345")
    await set_value(h, "confirm-id", True)
    await click_key(h, "next")
    assert current_step(h) == 1
    assert "12 chữ số" in joined(h)
    await type_key(h, "field-id_number", "099301000123")  # province code 099 does not exist
    await click_key(h, "next")
    assert "Mã tỉnh 099 không hợp lệ" in joined(h) and current_step(h) == 1
    await type_key(h, "field-phone", "12345")
    await click_key(h, "next")
    assert "Số điện thoại phải có 10 chữ số" in joined(h)


async def test_missing_document_leads_to_supplement(tmp_path, seeded_server):
    h, row = await _open_pickup(tmp_path, seeded_server)
    await advance_to(h, 2)
    await click_key(h, "next")  # nothing ticked
    assert current_step(h) == 2 and "Thiếu giấy tờ bắt buộc" in joined(h)
    await click_key(h, "send-supplement")
    await finish_gps(h)
    await click_key(h, "complete")
    assert h.find(key="outcome-saved")
    event = recorded_event(h, row.visit_id)
    assert event.type == "visit.supplement_requested" and event.body["payload"]["missing"]
    assert event.body["payload"]["note"].startswith("Cần bổ sung:")
    assert event.body["payload"]["gps"]["fix"]
    await pushed(h, row.visit_id)
    api = Client(seeded_server.url)
    api.login("canbo.anphu", "doorstep123")
    assert int(api.get_dossier(row.dossier_id).status) == 5


async def test_empty_or_trivial_signature_is_refused(tmp_path, seeded_server):
    h, _ = await _open_pickup(tmp_path, seeded_server)
    await advance_to(h, 6)
    await bad_signatures_are_refused(h, current_step, 6)


async def test_no_gps_fix_needs_a_reason(tmp_path, seeded_server):
    h, row = await _open_pickup(tmp_path, seeded_server, gps_error="gps_timeout")
    await advance_to(h, 7)
    await finish_gps(h)
    assert "Không lấy được vị trí: Hết thời gian chờ GPS" in h.texts()  # said in Vietnamese only
    await click_key(h, "complete")
    assert "cần chọn lý do" in joined(h) and current_step(h) == 7
    await click_key(h, "reason-no_gps_permission")
    await click_key(h, "complete")
    assert current_step(h) == 8
    p = recorded_event(h, row.visit_id).body["payload"]["gps"]
    assert p["fix"] is None and p["warnings"] == ["no_fix"] and p["reason"] == "no_gps_permission"


@pytest.mark.parametrize(
    "offset,acc,warning", [(0.01, 8.0, "far_from_home"), (0.0001, 120.0, "poor_accuracy")]
)
async def test_bad_gps_fix_warns_and_needs_a_reason(tmp_path, seeded_server, offset, acc, warning):
    h, row = await _open_pickup(tmp_path, seeded_server, fix=make_fix(0, 0))
    h.location.fix = make_fix(row.lat + offset, row.lon, acc)
    await advance_to(h, 7)
    await finish_gps(h)
    expected = {"far_from_home": "Cách nhà công dân hơn 300 m", "poor_accuracy": "Sai số lớn hơn 50 m"}[
        warning
    ]
    assert any(expected in t for t in h.texts())
    await click_key(h, "complete")
    assert current_step(h) == 7
    await click_key(h, "reason-other")
    await click_key(h, "complete")
    assert current_step(h) == 7  # 'other' needs a note
    await type_key(h, "field-reason_note", "Gặp ở chợ")
    await click_key(h, "complete")
    assert current_step(h) == 8
    gps = recorded_event(h, row.visit_id).body["payload"]["gps"]
    assert gps["warnings"] == [warning] and gps["reason"] == "other" and gps["reason_note"] == "Gặp ở chợ"


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5, 6, 7])
async def test_resume_after_restart_at_each_step(tmp_path, seeded_server, step):
    h, row = await _open_pickup(tmp_path, seeded_server)
    await advance_to(h, step)
    signature_before = shell(h).view.draft.data.get("signature", {}).get("strokes")
    # the app is killed; a new process opens the same store (no network needed)
    label = f"Tiếp tục nhận hồ sơ (bước {step})"
    h2 = await resume_in_new_process(tmp_path / "app", row, "pickup", label, current_step, step)
    draft = shell(h2).view.draft.data
    assert draft["identity"]["full_name"] == row.citizen_name
    if step > 3:
        assert draft["photos"] and all(p["sha256"] for p in draft["photos"].values())
    if step == 7:
        assert draft["signature"]["strokes"] == signature_before  # the signature survived
        await finish_gps(h2)
        await click_key(h2, "complete")
        assert current_step(h2) == 8
