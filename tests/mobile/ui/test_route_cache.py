"""The route screen reads the store once per data change: a GPS fix only re-orders the cached
rows; the stored folded search text covers hamlet and procedure names, so `list_visits(q)` and
the route's own search give the same visits."""

from __future__ import annotations

from uikit import make_fix, shell, start_app, wait_until

from api_client.domain.text import fold
from api_client.models import UnitPublic, VisitPublic
from bench.bench_route import fill_store
from mobile import store
from mobile.services.location import FixedLocationService
from mobile.services.route import RouteService
from mobile.store import cache

OFFLINE = "http://127.0.0.1:9"  # nothing listens: the phone opens offline on its saved session


def _tables_read(statements: list[str]) -> set[str]:
    """Which cached tables the traced SQL touched."""
    return {
        t
        for t in ("visits", "citizens", "dossiers", "units", "catalogues")
        if any(t in s for s in statements)
    }


async def test_a_gps_fix_reorders_without_reading_the_store(tmp_path):
    fill_store(tmp_path / "app", 300)
    h = await start_app(OFFLINE, tmp_path / "app", fix=make_fix(10.70, 105.02))  # the far south-west corner
    svc = shell(h).services
    view = shell(h).view
    await h.settle(20)
    # the opening sync (offline: it fails) refreshes the bar's counts when it ends: wait for it,
    # or its reads race the traced window below
    await wait_until(h, lambda: svc.sync.state.last_report is not None, what="opening sync")
    assert view.position == (10.70, 105.02)
    loads, cached = svc.route.loads, svc.route._loaded
    first_before = view.filtered()[0].visit_id

    statements: list[str] = []
    svc.db.conn.set_trace_callback(statements.append)  # every SQL statement of the UI's connection
    try:
        h.location.fix = make_fix(10.98, 105.20)  # the officer walked to the north-east corner
        await h.click(h.find(tooltip="Cập nhật vị trí"))
        await h.settle(10)
    finally:
        svc.db.conn.set_trace_callback(None)
    assert view.position == (10.98, 105.20)
    assert statements == []  # no store access at all for a new position
    assert svc.route.loads == loads and svc.route._loaded is cached  # the same cached rows
    rows = view.filtered()
    assert rows[0].visit_id != first_before  # re-ordered from the new position
    located = [r for r in rows if r.distance_m is not None]
    assert located and located[0].distance_m <= min(r.distance_m for r in located) + 1500

    # writes to what the route does not show (breadcrumbs, sync bookkeeping) keep the cache
    svc.duty.start()
    await svc.duty.tick()
    svc.duty.end()
    svc.sync.refresh_counts()
    view.refresh()
    assert svc.route.loads == loads

    # a pull on the sync engine's own connection changes a visit: the next refresh reads once
    engine_db = store.open_store(tmp_path / "app")
    visit = store.get_visit(engine_db, rows[0].visit_id)
    cache.upsert_visits(engine_db, [VisitPublic.model_validate({**visit.model_dump(), "status": "failed"})])
    engine_db.conn.close()
    view.refresh()
    assert svc.route.loads == loads + 1
    assert next(r for r in view.all_rows if r.visit_id == visit.id).status == "failed"
    view.refresh()
    assert svc.route.loads == loads + 1  # and only once
    h.page.on_close(None)


def _names(db) -> tuple[str, str, int]:
    """A hamlet name, a procedure name and the id of a visit having both."""
    route = RouteService(db, FixedLocationService())
    row = next(r for r in route.rows() if r.hamlet and r.procedure_name != r.procedure_code)
    return row.hamlet, row.procedure_name, row.visit_id


def test_search_by_hamlet_and_procedure_agrees_in_store_and_route(tmp_path):
    fill_store(tmp_path / "p", 200)
    db = store.open_store(tmp_path / "p")
    route = RouteService(db, FixedLocationService())
    rows = route.rows()
    hamlet, procedure, visit_id = _names(db)
    proc_word = max(procedure.split(), key=len)
    for query in (
        hamlet,  # with diacritics
        fold(hamlet).upper(),  # without, in capitals
        proc_word,
        f"{fold(hamlet)} {fold(proc_word)}",  # every word must match somewhere
        f"{hamlet} {rows[0].citizen_name.split()[-1]}",
    ):
        in_store = {v.id for v in store.list_visits(db, q=query)}
        in_route = {r.visit_id for r in RouteService.filter_rows(rows, query=query)}
        assert in_store == in_route, query
    assert visit_id in {v.id for v in store.list_visits(db, q=f"{hamlet} {proc_word}")}
    assert not store.list_visits(db, q=f"{hamlet} khongcochuoinay")
    assert all(r.search_key == fold(r.search_key) for r in rows)  # stored folded: no fold per load
    db.conn.close()


def test_renamed_hamlet_and_old_stores_get_the_new_search_text(tmp_path):
    fill_store(tmp_path / "p", 60)
    db = store.open_store(tmp_path / "p")
    hamlet, _, visit_id = _names(db)
    unit = next(u for u in store.list_units(db) if u.name == hamlet)

    # the server renames the hamlet: every visit's search text follows
    cache.upsert_units(db, [UnitPublic.model_validate({**unit.model_dump(), "name": "Ấp Mới Đổi Tên"})])
    assert visit_id in {v.id for v in store.list_visits(db, q="ap moi doi ten")}

    # a phone upgraded from before migration 0003 (search text without hamlet/procedure)
    db.execute("UPDATE visits SET search = 'x'")
    db.execute("DELETE FROM _migrations WHERE name = '0003_search_hamlet_procedure'")
    db.conn.commit()
    db.conn.close()
    db = store.open_store(tmp_path / "p")
    assert visit_id in {v.id for v in store.list_visits(db, q="ap moi doi ten")}
    db.conn.close()
