"""A real browser (Debian Chromium) as the demo supervisor against `doorstep demo`: the board shows the
seeded officers on the map with today's breadcrumbs, an officer's day, an assignment made in the UI
reaches that officer's next pull, the indicators shown equal GET /indicators, and a dossier marked
result-ready on the desk tab gets its home delivery."""

from __future__ import annotations

import re
from datetime import timedelta

from e2ekit import ARTIFACTS, SCREENSHOTS, Proc, texts, wait_text
from flet_pw import CHROME_ARGS, CHROMIUM, block_external, click_button, fill_text_field, open_flet_app
from PIL import Image
from playwright.sync_api import Page, sync_playwright

from api_client import Client
from api_client.domain.clock import today_vn
from backend.seed import DEMO_OFFICERS
from mobile.ui.supervisor.common import pct

SUPERVISOR, PASSWORD = "giamsat.anphu", "doorstep123"


def _shot(page: Page, name: str) -> None:
    """A screenshot in test-artifacts/ and a small palette copy in docs/screenshots/."""
    page.wait_for_timeout(600)
    raw = ARTIFACTS / "supervisor" / f"{name}.png"
    raw.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(raw))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    Image.open(raw).convert("RGB").quantize(colors=96).save(SCREENSHOTS / f"{name}.png", optimize=True)


def _node(page: Page, identifier: str):
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')


def _pulled_visits(url: str, username: str) -> dict[int, object]:
    """Everything the officer's phone would receive on its next sync (all pull pages), by visit id."""
    api = Client(url)
    api.login(username, PASSWORD)
    cursor, seen = "", {}
    while True:
        page = api.pull(cursor)
        seen.update({v.id: v for v in page.visits})
        for tomb in page.tombstones:
            seen.pop(getattr(tomb, "id", None), None)
        cursor = page.next_cursor
        if not page.has_more:
            return seen


def test_supervisor_in_browser(tmp_path, procs, port):
    server = Proc("demo", tmp_path / "server", port).start("/api/v1/health")
    procs.append(server)
    api = Client(server.url)
    api.login(SUPERVISOR, PASSWORD)
    board = api.board()
    located = [o for o in board.officers if o.last_position]
    assert located, "the demo seed writes breadcrumbs for today"
    first = board.officers[0]
    unassigned = list(api.dossiers_at_risk("unassigned", page_size=20))
    assert unassigned, "the demo seed has unassigned dossiers"
    target_dossier = unassigned[0]
    usernames = {o.full_name: o.username for o in DEMO_OFFICERS}
    ready = next(d for d in api.list_dossiers(status=4, page_size=500) if d.return_method.value == "home")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        ctx = browser.new_context(
            viewport={"width": 1280, "height": 860}, service_workers="block", locale="vi-VN"
        )
        page = ctx.new_page()
        block_external(page)  # tiles too: markers and lines must draw without them
        try:
            open_flet_app(page, server.url + "/")
            fill_text_field(page, "Tên đăng nhập", SUPERVISOR)
            fill_text_field(page, "Mật khẩu", PASSWORD)
            click_button(page, "Đăng nhập")
            wait_text(page, "Hôm nay: ")
            assert "Lộ trình hôm nay" not in texts(page)  # never the officer's pickup route
            for o in located:  # one marker per officer with a position, found by its semantics id
                _node(page, f"officer-marker-{o.id}").first.wait_for(state="attached", timeout=20_000)
            for o in board.officers:
                _node(page, f"officer-name-{o.id}").first.wait_for(state="attached", timeout=10_000)
            assert _node(page, "visit-marker-" + str(board.visits[0].id)).count() >= 1
            page.get_by_role("button", name="Xem đường đi").first.click()
            wait_text(page, f"{re.escape(first.full_name)}: \\d+ điểm GPS")
            _shot(page, "30-supervisor-board")

            page.get_by_role("button", name="Ngày làm việc").first.click()
            wait_text(page, "Quãng đường: ")
            day = api.officer_day(first.id)
            wait_text(page, re.escape(day.visits[0].citizen_name))
            _shot(page, "30-supervisor-officer-day")

            # at risk: tick one unassigned dossier and give it to the suggested officer
            page.get_by_role("button", name=re.compile("^Hồ sơ cần chú ý")).first.click()
            wait_text(page, "Đến hạn hôm nay")
            page.get_by_role("button", name=re.compile(r"^Chưa giao \(\d+\)$")).click()
            checkbox = page.get_by_role("checkbox", name=re.compile(re.escape(target_dossier.code)))
            checkbox.wait_for(state="attached", timeout=15_000)
            checkbox.click()
            click_button(page, "Giao / giao lại (1)")
            wait_text(page, "Giao 1 hồ sơ cho cán bộ")
            picks = page.locator('[flt-semantics-identifier^="pick-"]')
            picks.first.wait_for(state="attached", timeout=10_000)
            label = picks.first.get_attribute("aria-label") or picks.first.inner_text()
            chosen_name = next(n for n in usernames if label.startswith(n))  # the top choice
            _shot(page, "30-supervisor-assign-picker")
            picks.first.click()
            wait_text(page, "Đã giao 1 hồ sơ cho")
            _shot(page, "30-supervisor-at-risk")

            # indicators: the numbers on screen are the API's
            page.set_viewport_size({"width": 1280, "height": 1180})  # table and both charts in one shot
            page.get_by_role("button", name=re.compile("^Chỉ số")).first.click()
            wait_text(page, "Tỉ lệ đúng hạn")
            today = today_vn()
            report = api.indicators(
                date_from=(today - timedelta(days=29)).isoformat(),
                date_to=today.isoformat(),
                group_by="commune",
            )
            wait_text(page, re.escape(report.total.key_name))
            shown = texts(page)
            for row in [*report.rows, report.total]:
                assert row.key_name in shown
                for value in (
                    str(row.home_pickups),
                    pct(row.on_time_rate),
                    pct(row.digitization_rate),
                    pct(row.online_payment_rate),
                ):
                    assert value in shown, (row.key_name, value, shown)
            _shot(page, "30-supervisor-indicators")

            # the desk (Hồ sơ): find a processing dossier by its code and mark its result ready
            page.get_by_role("button", name=re.compile("^Hồ sơ(?! cần)")).first.click()
            fill_text_field(page, "Tìm hồ sơ", ready.code)
            click_button(page, "Tìm")
            row = _node(page, f"deskrow-{ready.id}")
            row.first.wait_for(state="attached", timeout=15_000)
            row.first.click()
            click_button(page, "Chuyển sang: Đã có kết quả (9)")
            click_button(page, "Chuyển")
            wait_text(page, re.escape("Đã chuyển sang: Đã có kết quả (9)."))
            wait_text(page, "Phiếu kiểm soát quá trình giải quyết hồ sơ")
            _shot(page, "31-supervisor-dossiers")
        except Exception:
            _shot(page, "zz-supervisor-failure")
            print(texts(page))
            raise
        finally:
            browser.close()

    # the desk's move is the server's: result ready, and a home delivery planned for an officer
    assert int(api.get_dossier(ready.id).status) == 9
    deliveries = api.list_visits(kind="delivery", status="planned", page_size=500)
    planned = [v for v in deliveries if v.dossier_id == ready.id]
    assert len(planned) == 1 and planned[0].assignee_id is not None
    # the assignment reaches the chosen officer's next sync
    username = usernames[chosen_name]
    officer_id = next(o.id for o in api.board().officers if o.full_name == chosen_name)
    pulled = _pulled_visits(server.url, username)
    mine = [v for v in pulled.values() if v.dossier_id == target_dossier.id]
    assert mine and mine[0].assignee_id == officer_id and mine[0].status.value == "planned"
    # the top suggestion for a dossier with no visit yet is the officer of its hamlet
    officer = next(o for o in api.board().officers if o.id == officer_id)
    assert target_dossier.hamlet_id in officer.unit_ids
