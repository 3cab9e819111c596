"""The supervisor's 'Hồ sơ' tab (one-stop desk) against a live seeded backend: search, legal moves only,
result ready -> a delivery on the officer's route, the server's refusal, apology, tracking log."""

from __future__ import annotations

from datetime import datetime, timedelta

import flet as ft
from supkit import by_key, keys, start_supervisor, sup_api
from uikit import click_key, joined, shell, type_key, wait_until

from api_client.client import Client
from api_client.domain.clock import VN_TZ
from api_client.domain.text import fold
from mobile.ui.supervisor.dossiers import DossiersView
from mobile.ui.theme import DANGER


async def open_desk(h) -> DossiersView:
    """Go to the tab and wait for the first page."""
    shell(h).go("sup_dossiers")
    view = shell(h).view
    assert isinstance(view, DossiersView)
    await wait_until(h, lambda: keys(h, "deskrow-"), what="desk rows")
    return view


async def open_dossier(h, view: DossiersView, dossier_id: int) -> None:
    """Open one dossier's panel (as a click on its row does) and wait for it."""
    await view._open(dossier_id)
    await wait_until(h, lambda: by_key(h, "desk-status-label") is not None, what="panel")


def move_keys(h) -> list[str]:
    """The move buttons on screen, in their on-screen order."""
    return [
        str(c.key)
        for c in h.all_controls()
        if str(getattr(c, "key", "") or "").startswith("desk-move-") and str(c.key)[10:].isdigit()
    ]


async def test_search_filter_and_legal_moves_only(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup", width=1280)
    api = sup_api(seeded_server.url)
    view = await open_desk(h)
    total = api.list_dossiers(page_size=1).total
    assert by_key(h, "desk-page").value == f"Trang 1/{-(-total // 20)} · {total} hồ sơ"
    # search by a name typed without diacritics finds the dossier (the server folds both sides)
    target = next(d for d in api.list_dossiers(page_size=500) if int(d.status) == 4)
    name = api.get_citizen(target.citizen_id).full_name
    plain = fold(name)
    assert plain != name.lower()  # the demo name has diacritics
    await type_key(h, "desk-q", plain)
    await click_key(h, "desk-search")
    await wait_until(h, lambda: by_key(h, f"deskrow-{target.id}") is not None, what="search hit")
    assert f"{target.code} · {name}" in h.texts()
    assert len(keys(h, "deskrow-")) == api.list_dossiers(q=plain, page_size=20).total
    # a processing dossier offers exactly its legal moves, withdrawal last
    await click_key(h, f"deskrow-{target.id}")
    await wait_until(h, lambda: by_key(h, "desk-status-label") is not None, what="panel")
    assert by_key(h, "desk-status-label").value == "Trạng thái: 4. Đang xử lý"
    assert move_keys(h) == ["desk-move-5", "desk-move-6", "desk-move-8", "desk-move-9", "desk-move-7"]
    assert by_key(h, "desk-move-9").content == "Chuyển sang: Đã có kết quả (9)"
    # the status filter: returned dossiers (10) only, and such a dossier offers no move at all
    await type_key(h, "desk-q", "")
    status = by_key(h, "desk-status")
    h.session.apply_patch(status._i, {"value": "10"})
    await h.fire(status, "select", "10")
    returned = api.list_dossiers(status=10, page_size=20)
    await wait_until(
        h, lambda: by_key(h, "desk-page").value.endswith(f"· {returned.total} hồ sơ"), what="filter"
    )
    assert keys(h, "deskrow-") == sorted(f"deskrow-{d.id}" for d in returned)
    await open_dossier(h, view, returned[0].id)
    assert by_key(h, "desk-no-moves") is not None and move_keys(h) == []
    assert by_key(h, "desk-apology") is None  # closed: nothing to apologise for
    # its tracking log (the shared view, embedded) shows the custody rows and the PDF
    await wait_until(h, lambda: keys(h, "track-row-"), what="tracking rows")
    log = api.tracking_log(returned[0].id)
    assert len(keys(h, "track-row-")) == len(log.rows) > 0
    pdf = shell(h).services.receipts.get_document(f"tracklog:{returned[0].id}", returned[0].id)
    assert pdf is not None and pdf.path.read_bytes().startswith(b"%PDF")


async def test_result_ready_plans_a_delivery_then_apology_reaches_the_officer(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup", width=1280)
    api = sup_api(seeded_server.url)
    view = await open_desk(h)
    d = next(
        d
        for d in api.list_dossiers(status=4, page_size=500)
        if d.return_method.value == "home" and int(d.channel) == 1 and d.hamlet_id
    )
    await open_dossier(h, view, d.id)
    # an illegal move sent through the service (no button offers it) shows the server's own words
    await view.move(10)
    msg = by_key(h, "desk-move-msg")
    assert msg.visible and msg.color == DANGER
    assert msg.value.startswith("Không thể chuyển hồ sơ từ 4 (Đang xử lý) sang 10 (Đã trả kết quả)")
    assert int(api.get_dossier(d.id).status) == 4
    # 4 -> 9 through the button and its confirmation dialog
    await click_key(h, "desk-move-9")
    dialog = h.find(ft.AlertDialog)
    assert d.code in by_key(h, "desk-confirm-text").value and dialog.open
    await click_key(h, "desk-move-confirm")
    await wait_until(h, lambda: by_key(h, "desk-move-msg").color != DANGER, what="moved")
    assert by_key(h, "desk-move-msg").value.startswith("Đã chuyển sang: Đã có kết quả (9).")
    assert by_key(h, "desk-status-label").value == "Trạng thái: 9. Đã có kết quả"
    assert move_keys(h) == ["desk-move-10"]
    # the server planned the delivery for the hamlet's officer; the panel names them
    (visit,) = [
        v
        for v in api.list_visits(kind="delivery", page_size=500)
        if v.dossier_id == d.id and v.status.value == "planned"
    ]
    officer = next(o for o in api.list_officers(page_size=500) if o.id == visit.assignee_id)
    assert officer.role.value == "hamlet_officer" and d.hamlet_id in officer.unit_ids
    assert by_key(h, f"desk-visit-who-{visit.id}").value == f"Cán bộ: {officer.full_name}"
    # ... and it is on that officer's route
    officer_api = Client(seeded_server.url)
    officer_api.login(officer.username, "doorstep123")
    assert visit.id in {v.id for v in officer_api.list_visits(kind="delivery", page_size=500)}
    # apology: the form refuses an empty reason and a bad or earlier date before sending
    await click_key(h, "desk-apology")
    await click_key(h, "desk-apology-save")
    err = by_key(h, "desk-apology-error")
    assert err.visible and "Vui lòng nhập lý do." in err.value and "Ngày không hợp lệ" in err.value
    current = api.get_dossier(d.id).appointment_at
    day = datetime.fromisoformat(current).astimezone(VN_TZ).date()
    await type_key(h, "desk-apology-reason", "Chờ xác minh của xã khác")
    await type_key(h, "desk-apology-date", day.strftime("%d/%m/%Y"))
    await click_key(h, "desk-apology-save")
    assert by_key(h, "desk-apology-error").value == "Ngày hẹn mới phải sau ngày hẹn hiện tại."
    new_day = day + timedelta(days=7)
    await type_key(h, "desk-apology-date", new_day.strftime("%d/%m/%Y"))
    await click_key(h, "desk-apology-save")
    await wait_until(h, lambda: by_key(h, "desk-move-msg").value.startswith("Đã hẹn lại"), what="apology")
    assert by_key(h, "desk-move-msg").value == f"Đã hẹn lại ngày trả kết quả: {new_day:%d/%m/%Y}."
    after = api.get_dossier(d.id)
    assert datetime.fromisoformat(after.appointment_at).astimezone(VN_TZ).date() == new_day
    assert after.original_appointment_at == current
    # the notice is on the officer's visit (what their phone pulls) and on the panel
    notice = officer_api.get_visit(visit.id).notice
    assert notice and "xin lỗi" in notice and f"{new_day:%d/%m/%Y}" in notice
    assert notice in joined(h)
    pdf = shell(h).services.receipts.get_document(f"apology:{d.id}", d.id)
    assert pdf is not None and pdf.path.read_bytes().startswith(b"%PDF")


async def test_narrow_window_panel_replaces_the_list_and_english(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup", width=400)
    view = await open_desk(h)
    first = int(keys(h, "deskrow-")[0].split("-")[1])
    await click_key(h, f"deskrow-{first}")
    await wait_until(h, lambda: by_key(h, "desk-status-label") is not None, what="panel")
    assert by_key(h, "desk-q") is None  # a phone shows the dossier alone
    await click_key(h, "desk-close")
    assert by_key(h, "desk-q") is not None and view.state["open"] is None
    shell(h).tr.toggle()
    await wait_until(h, lambda: keys(h, "deskrow-"), what="rows in English")
    assert "Dossiers" in joined(h)


def test_desk_rules_without_a_server():
    from datetime import date

    from mobile.services.desk import apology_errors, legal_moves

    assert [s.value for s in legal_moves(1)] == [2, 3, 5, 7]
    assert [s.value for s in legal_moves(9)] == [10] and legal_moves(10) == []
    due = "2026-11-25T10:00:00+00:00"  # 17:00 on the 25th in Vietnam
    assert apology_errors("Chờ xác minh", date(2026, 11, 26), due) == {}
    assert apology_errors("  ", date(2026, 11, 25), due) == {
        "reason": "desk_err_reason",
        "date": "desk_err_date_after",
    }
    assert apology_errors("x" * 501, None, due) == {"reason": "desk_err_reason_long", "date": "ind_bad_date"}
