"""The route service plans from the commune office with the visits' appointment windows, at the
time its clock says, and flags (in Vietnamese first) each visit whose window cannot be met."""

from __future__ import annotations

from api_client.domain.clock import FixedClock, vn_instant
from api_client.models import (
    CitizenPublic,
    DossierPublic,
    OfficerPublic,
    TokenPublic,
    UnitPublic,
    VisitPublic,
)
from mobile import store
from mobile.i18n import Translator
from mobile.services.location import FixedLocationService
from mobile.services.route import RouteService
from mobile.store import cache

DAY = "2026-03-10"
OFFICE = (10.871, 105.087)


def _store(tmp_path, windows: dict[int, tuple[str, str]], coords: dict[int, tuple[float, float]]):
    db = store.open_store(tmp_path / "phone")
    units = [
        UnitPublic(id=1, code="089", name="An Giang", level="province"),
        UnitPublic(
            id=2,
            code="000.00.21.H01",
            name="An Phú",
            level="commune",
            parent_id=1,
            lat=OFFICE[0],
            lon=OFFICE[1],
        ),
        UnitPublic(id=3, code="H1", name="Ấp Một", level="hamlet", parent_id=2, lat=10.88, lon=105.09),
    ]
    cache.upsert_units(db, units)
    officer = OfficerPublic(id=1, username="cb", full_name="Cán bộ", role="hamlet_officer", unit_ids=[3])
    store.save_session(
        db,
        TokenPublic(access_token="x", expires_at="2099-01-01T00:00:00+00:00", officer=officer),
        "http://127.0.0.1:9",
    )
    citizens, dossiers, visits = [], [], []
    for i, (lat, lon) in coords.items():
        citizens.append(
            CitizenPublic(
                id=i,
                full_name=f"Người {i}",
                id_number=f"0890950000{i:02d}",
                address=f"Số {i}, Ấp Một",
                hamlet_id=3,
                lat=lat,
                lon=lon,
            )
        )
        dossiers.append(
            DossierPublic(
                id=i,
                code=f"000.00.21.H01-260310-{i:04d}",
                procedure_code="KS",
                catalogue_version=1,
                citizen_id=i,
                unit_id=2,
                hamlet_id=3,
                status=1,
                registered_at=f"{DAY}T08:00:00+07:00",
            )
        )
        w = windows.get(i, (None, None))
        visits.append(
            VisitPublic(
                id=i,
                kind="pickup",
                dossier_id=i,
                citizen_id=i,
                assignee_id=1,
                planned_date=DAY,
                window_start=w[0],
                window_end=w[1],
                status="planned",
                catalogue_version=1,
            )
        )
    cache.upsert_citizens(db, citizens)
    cache.upsert_dossiers(db, dossiers)
    cache.upsert_visits(db, visits)
    return db


def _at(hhmm: str) -> FixedClock:
    h, m = map(int, hhmm.split(":"))
    return FixedClock(vn_instant(2026, 3, 10, h, m))


def test_the_day_starts_at_the_office_and_morning_promises_come_first(tmp_path):
    # three stops east of the office; the far one was promised for the morning, the near ones
    # for the afternoon: distance alone would take the near ones first
    coords = {1: (10.871, 105.097), 2: (10.872, 105.100), 3: (10.871, 105.140)}
    windows = {1: ("13:30", "17:00"), 2: ("13:30", "17:00"), 3: ("07:30", "11:00")}
    db = _store(tmp_path, windows, coords)
    route = RouteService(db, FixedLocationService(), clock=_at("07:30"))
    assert route.today() == DAY
    rows = route.rows()
    assert route.office() == OFFICE
    assert [r.visit_id for r in rows][0] == 3
    assert all(r.window_late_min is None for r in rows)
    assert rows[0].eta is not None and "07:30" <= rows[0].eta <= "11:00"
    assert all(r.eta is not None and r.eta >= "13:30" for r in rows[1:])


def test_a_window_that_cannot_be_met_is_flagged_with_a_vietnamese_message(tmp_path):
    coords = {1: (10.871, 105.097), 2: (10.871, 105.140)}
    windows = {2: ("07:30", "11:00")}
    db = _store(tmp_path, windows, coords)
    route = RouteService(db, FixedLocationService(), clock=_at("10:55"))  # too late to drive 6 km
    rows = {r.visit_id: r for r in route.rows()}
    late = rows[2]
    assert late.window_late_min is not None and late.window_late_min > 0
    assert rows[1].window_late_min is None
    i18n = Translator()
    msg = i18n.t(
        "window_missed", start=late.window_start, end=late.window_end, eta=late.eta, m=late.window_late_min
    )
    assert msg.startswith("Không kịp giờ hẹn 07:30–11:00: dự kiến đến 11:") and "trễ" in msg
    # the same visits at 07:30 are all on time
    early = RouteService(db, FixedLocationService(), clock=_at("07:30")).rows()
    assert all(r.window_late_min is None for r in early)


def test_rows_carry_where_the_pin_came_from(tmp_path):
    db = _store(tmp_path, {}, {1: (10.88, 105.09)})
    body = store.get_citizen(db, 1).model_dump()
    body.update(location_source="hamlet_centre", location_precision="approximate", location_note="not_found")
    cache.upsert_citizens(db, [CitizenPublic.model_validate(body)])
    [row] = RouteService(db, FixedLocationService(), clock=_at("08:00")).rows()
    assert (row.location_source, row.location_precision) == ("hamlet_centre", "approximate")
    assert Translator().t(f"loc_src_{row.location_source}") == "tâm ấp, chưa rõ nhà"
