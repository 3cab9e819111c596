"""The route screen shows, in Vietnamese, each visit whose appointment window the route misses."""

from __future__ import annotations

from datetime import UTC, datetime

from uikit import shell, start_app

from api_client.domain.clock import FixedClock
from api_client.models import (
    CitizenPublic,
    DossierPublic,
    OfficerPublic,
    TokenPublic,
    UnitPublic,
    VisitPublic,
)
from mobile import store
from mobile.store import cache

DAY = "2026-03-10"
OFFLINE = "http://127.0.0.1:9"


def _fill(folder) -> None:
    """An offline phone store: An Phú office, two visits on DAY, one promised for the morning 6 km east."""
    db = store.open_store(folder)
    cache.upsert_units(db, [
        UnitPublic(id=1, code="089", name="An Giang", level="province"),
        UnitPublic(id=2, code="000.00.21.H01", name="An Phú", level="commune", parent_id=1, lat=10.871,
                   lon=105.087),
        UnitPublic(id=3, code="H1", name="Ấp Một", level="hamlet", parent_id=2, lat=10.88, lon=105.09),
    ])
    officer = OfficerPublic(id=1, username="cb", full_name="Cán bộ", role="hamlet_officer", unit_ids=[3])
    store.save_session(db, TokenPublic(access_token="x", expires_at="2099-01-01T00:00:00+00:00",
                                       officer=officer), OFFLINE)
    places = {1: ((10.871, 105.097), None), 2: ((10.871, 105.140), ("07:30", "11:00"))}
    for i, ((lat, lon), window) in places.items():
        cache.upsert_citizens(db, [CitizenPublic(id=i, full_name=f"Người {i}", id_number=f"08909500000{i}",
                                                 address=f"Số {i}", hamlet_id=3, lat=lat, lon=lon)])
        cache.upsert_dossiers(db, [DossierPublic(
            id=i, code=f"000.00.21.H01-260310-000{i}", procedure_code="KS", catalogue_version=1, citizen_id=i,
            unit_id=2, hamlet_id=3, status=1, registered_at=f"{DAY}T08:00:00+07:00")])
        cache.upsert_visits(db, [VisitPublic(
            id=i, kind="pickup", dossier_id=i, citizen_id=i, assignee_id=1, planned_date=DAY,
            window_start=window[0] if window else None, window_end=window[1] if window else None,
            status="planned", catalogue_version=1)])
    db.conn.close()


async def test_a_missed_morning_window_is_flagged_on_the_card_and_in_the_header(tmp_path):
    _fill(tmp_path / "app")
    h = await start_app(OFFLINE, tmp_path / "app")
    route = shell(h).services.route
    route.clock = FixedClock(datetime(2026, 3, 10, 3, 55, tzinfo=UTC))  # 10:55 in Vietnam
    route.invalidate()
    shell(h).view.refresh()
    h.page.update()  # what the sync's refresh does after a pull: the new cards are sent
    await h.settle(5)
    banner = h.find(key="route-window-warnings")
    assert banner.visible and banner.value.startswith("1 lượt không kịp giờ hẹn")
    # the cards drawn now (the first render, before the clock was pinned, may linger in the index)
    shown = [c for c in h.find_all(key="window-missed-2") if c.visible]
    assert shown and shown[-1].value.startswith("Không kịp giờ hẹn 07:30–11:00: dự kiến đến 11:")
    assert not any(c.visible for c in h.find_all(key="window-missed-1"))
    h.page.on_close(None)
