"""The supervisor's dossier panel says whether each recorded event's evidence is verified, or why not."""

from __future__ import annotations

import uuid

from phone_events import en_route, failed
from supkit import by_key, keys, start_supervisor
from test_supervisor_dossiers import open_desk, open_dossier
from uikit import click_key, wait_until

from api_client import Client
from api_client.domain import evidence as ev
from api_client.domain.clock import now_utc, today_vn
from backend.seed import DEMO_PASSWORD
from mobile.ui.theme import DANGER


def sealed(event: dict, key, device_id: str, seq: int, prev: str) -> dict:
    """The event with the evidence block a phone would add (domain.evidence.seal)."""
    return {**event, "evidence": ev.seal(event, key, device_id, seq, prev, now_utc(), 1000 * seq)}


async def test_dossier_panel_shows_verified_and_broken_evidence(tmp_path, seeded_server):
    officer = Client(seeded_server.url)
    officer.login("canbo.anphu", DEMO_PASSWORD)
    visit = next(v for v in officer.list_visits(kind="pickup", page_size=200) if v.status.value == "planned")
    key, device = ev.new_private_key(), uuid.uuid4().hex
    officer.register_device_key(device, ev.public_b64(key))
    first = sealed(en_route(visit.id), key, device, 1, ev.GENESIS)
    second = sealed(failed(visit.id), key, device, 2, first["evidence"]["digest"])
    second["payload"]["note"] = "Sửa sau khi ký"  # changed after signing
    results = officer.push([first, second]).results
    assert [r.status.value for r in results] == ["applied", "applied"]

    h = await start_supervisor(seeded_server.url, tmp_path / "sup", width=1280)
    view = await open_desk(h)
    await open_dossier(h, view, visit.dossier_id)
    await wait_until(h, lambda: len(keys(h, "desk-evidence-")) == 2, what="evidence lines")
    ok, bad = by_key(h, "desk-evidence-0"), by_key(h, "desk-evidence-1")
    assert ok.value == "Đang đến: Bằng chứng đã xác minh" and ok.color is None
    # the body no longer matches its seal, and the visit now records what was not signed
    assert bad.value == ("Không thành công: Nội dung bằng chứng đã bị thay đổi sau khi ký; "
                         "Dữ liệu lưu trên máy chủ khác với bằng chứng đã ký")
    assert bad.color == DANGER


async def test_officer_day_shows_mock_location_and_unsigned_evidence(tmp_path, seeded_server):
    officer = Client(seeded_server.url)
    me = officer.login("canbo.anphu", DEMO_PASSWORD).officer
    today = today_vn().isoformat()
    planned = [v for v in officer.list_visits(date=today, page_size=200) if v.status.value == "planned"]
    assert len(planned) >= 2, "the demo plans visits for today"
    key, device = ev.new_private_key(), uuid.uuid4().hex
    officer.register_device_key(device, ev.public_b64(key))
    mock = failed(planned[0].id)
    mock["payload"]["gps"] = {"fix": {"lat": 10.87, "lon": 105.09, "accuracy_m": 5.0, "mocked": True,
                                      "device_time": now_utc().isoformat()},
                              "warnings": ["far_from_home"], "reason": "other", "reason_note": "thử"}
    results = officer.push([sealed(mock, key, device, 1, ev.GENESIS), failed(planned[1].id)]).results
    assert [r.status.value for r in results] == ["applied", "applied"]

    h = await start_supervisor(seeded_server.url, tmp_path / "sup")
    await click_key(h, f"day-{me.id}")
    await wait_until(h, lambda: by_key(h, f"flag-{planned[0].id}-mock_location") is not None, what="chips")
    texts = h.texts()
    assert "Vị trí giả lập" in texts
    assert "Bằng chứng (Không có chữ ký số (ứng dụng cũ))" in texts
    assert by_key(h, f"flag-{planned[1].id}-evidence") is not None
    assert by_key(h, f"flag-{planned[0].id}-evidence") is None  # its seal is verified


async def test_supervisor_orders_a_remote_wipe_from_the_officers_day(tmp_path, seeded_server):
    from sqlalchemy import select

    from backend.db.schema import officers, wipe_orders

    with seeded_server.engine.connect() as conn:
        oid = conn.execute(select(officers.c.id).where(officers.c.username == "canbo.anphu")).scalar_one()
    h = await start_supervisor(seeded_server.url, tmp_path / "sup")
    await click_key(h, f"day-{oid}")
    await click_key(h, "wipe-phone")
    await click_key(h, "wipe-confirm")
    ordered = "Đã ra lệnh xóa: áp dụng ở lần đồng bộ tới của máy."
    await wait_until(h, lambda: ordered in h.texts(), what="ordered")
    with seeded_server.engine.connect() as conn:
        rows = conn.execute(select(wipe_orders.c.officer_id, wipe_orders.c.force,
                                   wipe_orders.c.applied_at)).all()
    assert rows == [(oid, False, None)]
