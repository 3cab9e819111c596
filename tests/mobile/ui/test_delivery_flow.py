"""Every branch of the delivery flow, client-less, on the real services and store with a live backend."""

from __future__ import annotations

import io

import pytest
from delivery_setup import ready_delivery, set_fee_owed
from deliveryui import advance_delivery, delivery_row, dstep, open_delivery
from uikit import (
    bad_signatures_are_refused,
    click_key,
    finish_gps,
    joined,
    jpeg_bytes,
    login,
    make_fix,
    pushed,
    recorded_event,
    resume_in_new_process,
    set_value,
    shell,
    start_app,
    type_key,
    wait_until,
)

from api_client import Client
from mobile import store
from mobile.receipt import qr_png
from mobile.services.lookup import lookup_link, new_lookup_token
from mobile.store import outbox


async def test_applicant_delivery_returns_the_result(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server)
    await advance_delivery(h, row, 6)
    await finish_gps(h)
    assert "Vị trí đạt yêu cầu." in h.texts()
    await click_key(h, "complete")
    assert f"Đã trả kết quả. Mã: {row.dossier_code}" in h.texts()
    event = recorded_event(h, row.visit_id)
    assert event.type == "visit.delivery_completed"
    p = event.body["payload"]
    assert p["recipient"] == {
        "kind": "applicant",
        "full_name": row.citizen_name,
        "id_number": row.id_number,
        "relationship": None,
        "authorisation_photo": None,
    }
    assert p["receipt_code"] == row.dossier_code and p["signature"]["signer_name"] == row.citizen_name
    assert p["gps"]["warnings"] == [] and p["letter_handed"] is False and p["payment"] is None
    await pushed(h, row.visit_id)
    api = Client(seeded_server.url)
    api.login("canbo.anphu", "doorstep123")
    d = api.get_dossier(row.dossier_id)
    assert int(d.status) == 10 and d.returned_at and d.on_time is not None
    assert api.get_visit(row.visit_id).status.value == "completed"


async def test_applicant_id_must_match_the_dossier(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server)
    other = "089301000123" if row.id_number != "089301000123" else "089301000124"
    await type_key(h, "field-id_number", other)
    await set_value(h, "confirm-id", True)
    await click_key(h, "next")
    assert dstep(h) == 1 and "Số CCCD không khớp với người nộp hồ sơ" in joined(h)
    await type_key(h, "field-id_number", "12345")
    await click_key(h, "next")
    assert dstep(h) == 1 and "12 chữ số" in joined(h)
    await type_key(h, "field-id_number", row.id_number)
    await click_key(h, "next")
    assert dstep(h) == 2


async def test_authorised_person_needs_relationship_and_photo(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server)
    await click_key(h, "recipient-authorised")
    assert h.find(key="field-full_name").value == ""  # another person: typed afresh
    await type_key(h, "field-full_name", "Trần Thị Ủy Quyền")
    await type_key(h, "field-id_number", "089301000123")
    await set_value(h, "confirm-id", True)
    await click_key(h, "next")
    text = joined(h)
    assert dstep(h) == 1 and "Cần ghi quan hệ" in text and "Cần chụp giấy ủy quyền" in text
    await type_key(h, "field-relationship", "Con gái")
    await click_key(h, "auth-photo")
    await wait_until(h, lambda: "photo" in shell(h).view.draft.data["recipient"], what="photo")
    assert any(t.startswith("Đã có ảnh") for t in h.texts())
    await click_key(h, "next")
    assert dstep(h) == 2, joined(h)
    await advance_delivery(h, row, 6)
    await finish_gps(h)
    await click_key(h, "complete")
    p = recorded_event(h, row.visit_id).body["payload"]
    rec = p["recipient"]
    assert rec["kind"] == "authorised" and rec["relationship"] == "Con gái"
    assert rec["authorisation_photo"] and p["signature"]["signer_name"] == "Trần Thị Ủy Quyền"
    await pushed(h, row.visit_id)
    api = Client(seeded_server.url)
    api.login("canbo.anphu", "doorstep123")
    assert api.get_blob(rec["authorisation_photo"])  # the paper's photo reached the server
    assert int(api.get_dossier(row.dossier_id).status) == 10


async def test_receipt_code_mismatch_stops_the_delivery(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server)
    await advance_delivery(h, row, 2)
    await type_key(h, "field-receipt_code", "000.21.01.H01-200101-9999")
    await click_key(h, "next")
    text = joined(h)
    assert dstep(h) == 2 and "không khớp với hồ sơ" in text and "Dừng trả kết quả" in text
    assert "Không giao kết quả khi mã không khớp" in text
    await click_key(h, "mismatch-failed")
    assert "Báo lượt không thành công" in h.texts()
    assert outbox.items(shell(h).services.db, visit_id=row.visit_id) == []


async def test_receipt_code_read_from_a_qr_photo(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server)
    await advance_delivery(h, row, 2)
    # a slip of another dossier: its token is not this dossier's, the delivery stops there
    foreign = lookup_link("http://xa/tra-cuu", new_lookup_token())
    h.photos._photos = [_png_to_jpeg(qr_png(foreign, box_size=8))]
    await click_key(h, "scan-qr")
    await wait_until(h, lambda: "không thuộc hồ sơ" in joined(h), what="foreign qr")
    assert h.find(key="field-receipt_code").value == ""
    # the citizen's own slip: the QR's token is the one the phone pulled with the dossier
    token = store.get_dossier(shell(h).services.db, row.dossier_id).lookup_token
    assert token
    h.photos._photos = [_png_to_jpeg(qr_png(lookup_link("http://xa/tra-cuu", token), box_size=8))]
    await click_key(h, "scan-qr")
    await wait_until(h, lambda: h.find(key="field-receipt_code").value == row.dossier_code, what="qr")
    await click_key(h, "next")
    assert dstep(h) == 3


def _png_to_jpeg(png: bytes) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").resize((900, 900)).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


async def test_fee_still_owed_must_be_paid(tmp_path, seeded_server):
    api = Client(seeded_server.url)
    api.login("canbo.anphu", "doorstep123")
    target = next(
        v
        for v in api.list_visits(kind="delivery", status="planned", page_size=200)
        if v.planned_date == api.get_visit(v.id).planned_date
    )
    set_fee_owed(seeded_server.engine, target.dossier_id, 15000)
    h, row = await open_delivery(tmp_path, seeded_server, visit_id=target.id)
    await advance_delivery(h, row, 3)
    assert "Lệ phí: 15.000 ₫" in h.texts()
    await click_key(h, "next")
    assert dstep(h) == 3 and "Chọn hình thức nộp" in joined(h) and "Cần nhập số biên lai" in joined(h)
    await click_key(h, "pay-transfer")
    assert any("Quét mã để chuyển khoản" in t for t in h.texts())  # VietQR as at pickup
    await type_key(h, "field-receipt_no", "CK-2026-01")
    await click_key(h, "next")
    assert dstep(h) == 4
    await advance_delivery(h, row, 6)
    await finish_gps(h)
    await click_key(h, "complete")
    pay = recorded_event(h, row.visit_id).body["payload"]["payment"]
    assert pay == {"method": "transfer", "amount_vnd": 15000, "receipt_no": "CK-2026-01"}
    await pushed(h, row.visit_id)
    assert int(api.get_dossier(row.dossier_id).status) == 10


@pytest.mark.parametrize("procedure,letter", [("ket_hon", "Thư chúc mừng"), ("khai_tu", "Thư chia buồn")])
async def test_letter_is_recalled_and_recorded(tmp_path, seeded_server, procedure, letter):
    ready = ready_delivery(seeded_server.url, procedure)
    h, row = await open_delivery(tmp_path, seeded_server, user=ready.username, visit_id=ready.visit.id)
    await advance_delivery(h, row, 4)
    text = joined(h)
    assert f"Nhớ trao {letter} của UBND kèm theo kết quả." in text
    info = shell(h).services.delivery.documents.get_document(f"letter:{row.visit_id}", row.visit_id)
    assert info and info.path.read_bytes().startswith(b"%PDF")
    await click_key(h, "next")  # not ticked: one reminder
    assert dstep(h) == 4 and f"Chưa xác nhận đã trao {letter}" in joined(h)
    await set_value(h, "letter-handed", True)
    await click_key(h, "handover-photo")  # optional photo of the handover
    await wait_until(h, lambda: "handover_photo" in shell(h).view.draft.data, what="photo")
    await click_key(h, "next")
    assert dstep(h) == 5
    await advance_delivery(h, row, 6)
    await finish_gps(h)
    await click_key(h, "complete")
    p = recorded_event(h, row.visit_id).body["payload"]
    assert p["letter_handed"] is True and p["photos"][0]["document_code"] == "handover"
    await pushed(h, row.visit_id)
    api = Client(seeded_server.url)
    api.login(ready.username, ready.password)
    ev = api.get_visit(row.visit_id).evidence["visit.delivery_completed"]
    assert ev["letter_handed"] is True and not ev.get("letter_missing")


async def test_letter_not_handed_is_recorded_after_the_reminder(tmp_path, seeded_server):
    ready = ready_delivery(seeded_server.url, "khai_tu")
    h, row = await open_delivery(tmp_path, seeded_server, user=ready.username, visit_id=ready.visit.id)
    await advance_delivery(h, row, 4)
    await click_key(h, "next")
    assert dstep(h) == 4
    await click_key(h, "next")  # the officer insists: the letter could not be handed
    assert dstep(h) == 5
    await advance_delivery(h, row, 6)
    await finish_gps(h)
    await click_key(h, "complete")
    assert recorded_event(h, row.visit_id).body["payload"]["letter_handed"] is False


async def test_empty_or_trivial_signature_is_refused(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server)
    await advance_delivery(h, row, 5)
    assert "Cán bộ xác nhận đã trao kết quả cho người nhận" in joined(h) or h.find(key="officer-confirm")
    await bad_signatures_are_refused(h, dstep, 5)


async def test_gps_warning_needs_a_reason(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server, fix=make_fix(0, 0))
    h.location.fix = make_fix(row.lat + 0.01, row.lon)
    await advance_delivery(h, row, 6)
    await finish_gps(h)
    assert any("Cách nhà công dân hơn 300 m" in t for t in h.texts())
    await click_key(h, "complete")
    assert dstep(h) == 6 and "cần chọn lý do" in joined(h)
    await click_key(h, "reason-met_elsewhere")
    await click_key(h, "complete")
    assert f"Đã trả kết quả. Mã: {row.dossier_code}" in h.texts()
    gps = recorded_event(h, row.visit_id).body["payload"]["gps"]
    assert gps["warnings"] == ["far_from_home"] and gps["reason"] == "met_elsewhere"


async def test_no_gps_fix_needs_a_reason(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server, gps_error="gps_timeout")
    await advance_delivery(h, row, 6)
    await finish_gps(h)
    await click_key(h, "complete")
    assert dstep(h) == 6
    await click_key(h, "reason-indoors")
    await click_key(h, "complete")
    assert recorded_event(h, row.visit_id).body["payload"]["gps"]["fix"] is None


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5, 6])
async def test_resume_after_restart_at_each_step(tmp_path, seeded_server, step):
    h, row = await open_delivery(tmp_path, seeded_server)
    await advance_delivery(h, row, step)
    if step == 1:
        await type_key(h, "field-id_number", row.id_number)
        shell(h).view._save_fields()  # what on_blur does in the client
    signature_before = shell(h).view.draft.data.get("signature", {}).get("strokes")
    # the app is killed; a new process opens the same store (no network needed)
    label = f"Tiếp tục trả kết quả (bước {step})"
    h2 = await resume_in_new_process(tmp_path / "app", row, "delivery", label, dstep, step)
    draft = shell(h2).view.draft.data
    assert draft["recipient"]["id_number"] == row.id_number
    if step > 2:
        assert draft["receipt_code"]["value"] == row.dossier_code
    if step == 6:
        assert draft["signature"]["strokes"] == signature_before
        await finish_gps(h2)
        await click_key(h2, "complete")
        assert f"Đã trả kết quả. Mã: {row.dossier_code}" in h2.texts()


async def test_failed_delivery_uses_the_failed_visit_screen(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server)
    await advance_delivery(h, row, 3)
    await click_key(h, "prev")
    shell(h).go("detail", visit_id=row.visit_id)
    await h.settle()
    await click_key(h, "report-failed")
    await click_key(h, "fail-nobody_home")
    await finish_gps(h)
    await click_key(h, "complete")
    assert h.find(key="outcome-saved")
    event = recorded_event(h, row.visit_id)
    assert event.type == "visit.failed" and event.body["payload"]["reason"] == "nobody_home"
    assert shell(h).services.delivery.existing_draft(row.visit_id) is None
    await pushed(h, row.visit_id)


async def test_detail_and_route_card_show_the_visit_notice(tmp_path, seeded_server):
    api = Client(seeded_server.url)
    api.login("canbo.anphu", "doorstep123")
    v = next(v for v in api.list_visits(kind="delivery", status="planned", page_size=200))
    sup = Client(seeded_server.url)
    sup.login("giamsat.anphu", "doorstep123")
    d = sup.get_dossier(v.dossier_id)
    # the pinned today is Tuesday 10/03/2026 (testkit.TEST_NOW) and the seeded results were due
    # before it: Friday 13/03/2026 is after both, as the apology rule requires
    assert d.appointment_at is not None and d.appointment_at[:10] < "2026-03-13"
    new_date = "2026-03-13"
    sup.create_apology(d.id, "Chờ xác minh thông tin", new_date)
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    row = delivery_row(h, v.id)
    assert row.notice
    assert any("Thông báo" in t and "Chờ xác minh" in t for t in h.texts())  # on the route card
    await click_key(h, f"visit-{v.id}")
    assert h.find(key="visit-notice")
    assert any("Chờ xác minh" in t for t in h.texts())


async def test_photo_of_unreadable_qr_says_so(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server, photos=[jpeg_bytes(800, 600)])
    await advance_delivery(h, row, 2)
    await click_key(h, "scan-qr")
    await wait_until(h, lambda: "Không đọc được mã QR" in joined(h), what="qr error")
    assert dstep(h) == 2
