"""Conflicts resolved by the officer, and a route screen that stays small with 5,000 cached visits."""

from __future__ import annotations

from datetime import timedelta

from uikit import click_key, joined, login, pickup_row, record_failed, shell, start_app, wait_until

from api_client import Client
from api_client.domain.clock import now_utc, today_vn
from api_client.models import (
    CataloguePublic,
    CitizenPublic,
    DossierPublic,
    OfficerPublic,
    TokenPublic,
    VisitPublic,
)
from mobile import store
from mobile.store import cache
from mobile.ui.route import PAGE_SIZE


async def test_conflict_is_shown_and_resolved(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    row = pickup_row(h)
    boss = Client(seeded_server.url)
    boss.login("giamsat.anphu", "doorstep123")
    boss.update_visit(row.visit_id, {"cancel": True})  # cancelled while the phone still has it
    svc = shell(h).services
    record_failed(h, row.visit_id)  # records + asks for a sync
    await wait_until(
        h,
        lambda: svc.sync.state.conflicts + svc.sync.state.dead == 1 and not svc.sync.state.syncing,
        what="conflict",
    )
    await h.settle()
    assert any(
        t.startswith("Xung đột: 1") or t.startswith("Bị từ chối: 1")
        for t in [b.content for b in h.find_all() if isinstance(getattr(b, "content", None), str)]
    )
    await click_key(h, "conflicts-btn")
    assert "Xung đột cần xử lý" in h.texts()
    [problem] = svc.sync.problems()
    assert problem.message and problem.visit_id == row.visit_id
    await click_key(h, f"discard-{problem.event_id}")
    assert "Không có xung đột." in h.texts()
    assert svc.sync.state.conflicts == 0 and svc.sync.state.dead == 0


def _big_store(folder, n: int) -> None:
    db = store.open_store(folder)
    officer = OfficerPublic(id=1, username="canbo.test", full_name="Cán Bộ Thử", role="hamlet_officer")
    expires = (now_utc() + timedelta(days=3)).isoformat()
    store.save_session(
        db, TokenPublic(access_token="t", expires_at=expires, officer=officer), "http://127.0.0.1:9"
    )
    cache.upsert_catalogues(db, [CataloguePublic(version=1, procedures=[])])
    today = today_vn().isoformat()
    cache.upsert_citizens(
        db,
        [
            CitizenPublic(
                id=i,
                full_name=f"Nguyễn Văn {i}",
                id_number=f"0890{i:08d}",
                address=f"Số {i}, Ấp Phú Hiệp",
                lat=10.8 + (i % 100) * 0.001,
                lon=105.0 + (i // 100) * 0.001,
            )
            for i in range(n)
        ],
    )
    cache.upsert_dossiers(
        db,
        [
            DossierPublic(
                id=i,
                code=f"000.21.01.H01-261126-{i:04d}",
                procedure_code="khai_sinh",
                catalogue_version=1,
                citizen_id=i,
                unit_id=1,
                status=1,
                registered_at="2026-11-20T08:00:00+07:00",
            )
            for i in range(n)
        ],
    )
    cache.upsert_visits(
        db,
        [
            VisitPublic(id=i, kind="pickup", dossier_id=i, citizen_id=i, planned_date=today, status="planned")
            for i in range(n)
        ],
    )
    db.conn.close()


async def test_route_with_5000_visits_renders_one_page_at_a_time(tmp_path):
    _big_store(tmp_path / "app", 5000)
    h = await start_app("http://127.0.0.1:9", tmp_path / "app")
    view = shell(h).view
    assert len(view.filtered()) == 5000 and "5000 lượt" in h.texts()
    cards = [c for c in view.list.controls if (c.key or "").startswith("visit-")]
    assert len(cards) == PAGE_SIZE  # not 5,000 controls
    await click_key(h, "more")
    assert len([c for c in view.list.controls if (c.key or "").startswith("visit-")]) == 2 * PAGE_SIZE
    await h.type_text(h.find(key="route-search"), "nguyen van 4321")
    assert [r.visit_id for r in view.filtered()] == [4321]
    assert "Nguyễn Văn 4321" in joined(h)
