"""The 'Bàn giao' screen (handovers with the desk) and a dossier's tracking log, client-less."""

from __future__ import annotations

from deliveryui import advance_delivery, open_delivery
from uikit import click_key, joined, login, officer_tab, set_value, shell, start_app, wait_until

from api_client import Client


def _sup_id(server) -> int:
    sup = Client(server.url)
    sup.login("giamsat.anphu", "doorstep123")
    return sup.me().id


async def test_officer_takes_results_out_and_the_desk_confirms(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "officer")
    await login(h)
    await officer_tab(h, 1)
    assert "Nhận kết quả từ bộ phận một cửa để đi trả" in h.texts()
    items = shell(h).services.handovers.to_take_out()
    assert items, "no results to take out"
    await set_value(h, f"ho-desk_to_officer-{items[0].dossier_id}", True)
    await click_key(h, "handover-create-desk_to_officer")  # no counterpart yet
    assert "Chọn cán bộ một cửa nhận/giao." in joined(h)
    picker = h.find(key="field-counterpart")
    await wait_until(h, lambda: bool(picker.options), what="desk accounts")
    desk = _sup_id(seeded_server)
    # the commune's desk accounts only, by name: never Khánh Bình's desk, never a field officer
    assert str(desk) in {o.key for o in picker.options}
    assert "Phan Thị Thu Hà (giamsat.anphu)" in {o.text for o in picker.options}
    assert not any("giamsat.khanhbinh" in o.text or "canbo" in o.text for o in picker.options)
    await set_value(h, "field-counterpart", str(desk))
    await click_key(h, "handover-create-desk_to_officer")
    await wait_until(h, lambda: "Đã ghi nhận bàn giao, chờ bên kia xác nhận." in h.texts(), what="created")
    await wait_until(h, lambda: any("chưa đủ xác nhận" in t for t in h.texts()), what="recent list")

    # the desk (a supervisor account) confirms it from the same screen
    s = await start_app(seeded_server.url, tmp_path / "desk")
    await login(s, "giamsat.anphu", "doorstep123")
    nav = s.find(key="sup-nav")  # a supervisor lands on the board; 'Bàn giao' is the 4th tab
    s.session.apply_patch(nav._i, {"selected_index": 3})
    await s.fire(nav, "change", "3")
    await wait_until(s, lambda: "Chờ tôi xác nhận" in s.texts(), what="pending list")
    confirm = [c for c in s.all_controls() if str(getattr(c, "key", "")).startswith("confirm-")]
    assert len(confirm) == 1
    await s.click(confirm[0])
    await wait_until(s, lambda: "Đã xác nhận bàn giao." in s.texts(), what="confirmed")
    api = Client(seeded_server.url)
    api.login("canbo.anphu", "doorstep123")
    [ho] = [x for x in api.list_handovers() if items[0].dossier_id in x.dossier_ids]
    assert not ho.pending and ho.giver_confirmed_at and ho.receiver_confirmed_at


async def test_handover_offline_says_it_needs_a_connection(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    h2 = await start_app("http://127.0.0.1:9", tmp_path / "app")  # same phone, no network
    await officer_tab(h2, 1)
    await wait_until(h2, lambda: any("Bàn giao cần có mạng" in t for t in h2.texts()), what="offline note")
    items = shell(h2).services.handovers.to_take_out()
    await set_value(h2, f"ho-desk_to_officer-{items[0].dossier_id}", True)
    assert h2.find(key="field-counterpart").options == []  # nobody to pick from while offline
    await click_key(h2, "handover-create-desk_to_officer")
    offline = "Bàn giao cần có mạng: hãy kết nối rồi thử lại. Hồ sơ vẫn do bạn giữ."
    await wait_until(h2, lambda: offline in h2.texts())
    assert h2.texts().count(offline) == 2  # the online part's note, and now the create's answer


async def test_tracking_log_after_a_delivery(tmp_path, seeded_server):
    h, row = await open_delivery(tmp_path, seeded_server)
    await advance_delivery(h, row, 6)
    view = shell(h).view
    await wait_until(h, lambda: not view.gps_busy and view.draft.data.get("gps", {}).get("fix"), what="gps")
    await click_key(h, "complete")
    db = shell(h).services.db
    from mobile.store import outbox

    await wait_until(h, lambda: outbox.items(db, visit_id=row.visit_id)[0].state == "sent", what="push")
    shell(h).go("detail", visit_id=row.visit_id)
    await click_key(h, "tracking-log")
    await wait_until(h, lambda: "Trả kết quả tại nhà" in h.texts(), what="tracking rows")
    text = joined(h)
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in text and row.dossier_code in text
    assert any(t in text for t in ("Đúng hạn", "Sớm hạn", "Trễ hạn"))
    info = shell(h).services.receipts.get_document(f"tracklog:{row.dossier_id}", row.dossier_id)
    assert info and info.path.read_bytes().startswith(b"%PDF")
