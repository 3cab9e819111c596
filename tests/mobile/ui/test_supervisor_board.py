"""The supervisor's board against a live seeded backend: officers, markers, track, navigation, offline."""

from __future__ import annotations

import flet as ft
import flet_map as fm
from supkit import by_key, keys, start_supervisor, sup_api
from uikit import click_key, joined, shell, start_app, wait_until

from mobile.ui.route import RouteView
from mobile.ui.supervisor.board import BoardView


def _identifiers(h) -> set[str]:
    return {c.identifier for c in h.find_all(ft.Semantics) if c.identifier}


async def test_supervisor_lands_on_the_board_with_officers_and_markers(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup")
    assert isinstance(shell(h).view, BoardView) and not isinstance(shell(h).view, RouteView)
    board = sup_api(seeded_server.url).board(page_size=200)
    ids = _identifiers(h)
    located = [o for o in board.officers if o.last_position]
    assert located, "the demo seed has breadcrumbs for today"
    for o in board.officers:
        assert f"officer-name-{o.id}" in ids
        assert o.full_name in h.texts()
    assert {f"officer-marker-{o.id}" for o in located} <= ids
    visit_ids = {f"visit-marker-{v.id}" for v in board.visits if v.lat is not None}
    assert visit_ids and visit_ids <= ids
    # counts and the position's age ("… giờ trước" / "… phút trước") per officer
    o = board.officers[0]
    counts = by_key(h, f"officer-counts-{o.id}").value
    assert counts.startswith(f"{o.counts.total} lượt · {o.counts.completed} xong · {o.counts.failed} không")
    assert counts.endswith(f"{o.open_visits} còn lại")  # the load, the number the assign dialog shows
    assert (
        "trước" in by_key(h, f"officer-age-{o.id}").value
        or "vừa xong" in by_key(h, f"officer-age-{o.id}").value
    )
    assert f"Hôm nay: {board.counts.total} lượt" in joined(h)
    assert by_key(h, "legend") is not None and "Đường đi thực tế" in h.texts()
    # the supervisor's navigation is there (4 destinations)
    nav = by_key(h, "sup-nav")
    assert isinstance(nav, ft.NavigationBar) and len(nav.destinations) == 5


async def test_track_and_planned_route_of_one_officer(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup", width=1280)
    assert isinstance(by_key(h, "sup-nav"), ft.NavigationRail)  # wide window: a rail
    api = sup_api(seeded_server.url)
    o = next(o for o in api.board().officers if o.last_position)
    await click_key(h, f"track-{o.id}")
    st = shell(h).services.supervision.state
    await wait_until(h, lambda: st.track is not None, what="track")
    track = api.officer_track(o.id)
    lines = h.find_all(fm.PolylineMarker)
    assert len(lines) == 2
    colours = {line.color for line in lines}
    assert len(colours) == 2  # actual and planned in distinct colours
    actual = next(line for line in lines if len(line.coordinates) == len(track.points))
    assert actual.coordinates[0].latitude == track.points[0].lat
    assert f"{o.full_name}: {len(track.points)} điểm GPS" in joined(h)
    # only that officer's visits stay on the map
    ids = _identifiers(h)
    theirs = {
        f"visit-marker-{v.id}" for v in api.board().visits if v.assignee_id == o.id and v.lat is not None
    }
    assert {i for i in ids if i.startswith("visit-marker-")} == theirs
    await click_key(h, f"track-{o.id}")  # hide again
    await wait_until(h, lambda: st.track is None and not h.find_all(fm.PolylineMarker), what="hidden")


async def test_board_offline_keeps_the_last_board_and_says_so(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup")
    svc = shell(h).services.supervision
    before = svc.state.board
    svc.backend_url = "http://127.0.0.1:9"  # the office's link drops
    await click_key(h, "board-refresh")
    await wait_until(h, lambda: svc.state.offline, what="offline state")
    status = by_key(h, "board-status").value
    assert status.startswith("Mất kết nối máy chủ: đang hiện dữ liệu tải lúc")
    assert svc.state.board is before and keys(h, "officer-counts-")  # still on screen
    # a fresh tab with no board at all says the screen needs a connection
    s = await start_app("http://127.0.0.1:9", tmp_path / "sup")  # same store: the session is saved
    await wait_until(s, lambda: shell(s).services.supervision.state.offline, what="offline")
    assert "Không kết nối được máy chủ. Màn hình giám sát cần có mạng" in joined(s)


async def test_supervisor_navigation_reaches_every_tab(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup")
    nav = by_key(h, "sup-nav")
    tabs = ("sup_at_risk", "sup_indicators", "handovers", "sup_dossiers", "sup_board")
    for index, screen in enumerate(tabs):
        nav = by_key(h, "sup-nav")
        h.session.apply_patch(nav._i, {"selected_index": index + 1 if index < 4 else 0})
        await h.fire(nav, "change", str(index + 1 if index < 4 else 0))
        assert shell(h).current[0] == screen
    # handovers sit in the supervisor's own navigation: from there the board is one tap away
    shell(h).go("handovers")
    nav = by_key(h, "sup-nav")
    h.session.apply_patch(nav._i, {"selected_index": 0})
    await h.fire(nav, "change", "0")
    assert isinstance(shell(h).view, BoardView)


async def test_board_refreshes_by_itself(tmp_path, seeded_server):
    h = await start_supervisor(seeded_server.url, tmp_path / "sup")
    svc = shell(h).services.supervision
    first = svc.state.loaded_at
    svc.refresh_s = 0.2  # DOORSTEP_BOARD_REFRESH in production (30 s by default)
    seen = {first}

    def reloaded_twice() -> bool:
        seen.add(svc.state.loaded_at)
        return len(seen) >= 3

    await wait_until(h, reloaded_twice, timeout=10, what="automatic reloads")
    assert by_key(h, "board-status").value.startswith("Cập nhật lúc")
