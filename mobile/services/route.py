"""Today's visits in route order, filters and diacritic-free search, and one visit's details."""

from __future__ import annotations

import json

import sqlite_utils

from api_client.domain.clock import VN_TZ, Clock, current_clock, vn_date
from api_client.domain.geo import distance_m
from api_client.domain.text import fold
from api_client.models import CataloguePublic, VisitPublic
from mobile import store
from mobile.routing import RouteSettings, Stop, fmt_hhmm, plan, window_of

from .location import LocationError, LocationService
from .models import Attempt, VisitDetail, VisitRow

OPEN = ("planned", "en_route")


class RouteService:
    """Reads the local store only: the route works with no network at all.

    Today's rows are read and built once per data change: the store's `data_generation` moves
    with every write to what the route shows (a pull, a recorded action, a resolved conflict, a
    logout wipe), from any connection. A new GPS position only re-orders the cached rows
    (`reorder`, no SQL at all).
    """

    def __init__(self, db: sqlite_utils.Database, location: LocationService, receipt_url=None,
                 clock: Clock | None = None, settings: RouteSettings | None = None) -> None:
        self.db = db
        self.location = location
        # the day's date and timing (when the officer sets off) come from the device's clock
        self.clock: Clock = clock or current_clock()
        self.settings = settings or RouteSettings()
        self.last_position: tuple[float, float] | None = None
        self._receipt_url = receipt_url  # callable(visit_id) -> str | None
        self._catalogues: dict[int, CataloguePublic] = {}
        # (day, store data generation, today's rows in store order)
        self._loaded: tuple[str, int, list[VisitRow]] | None = None
        self._ordered: tuple[tuple[object, ...], list[VisitRow]] | None = None  # last ordering, by key
        self._office: tuple[float, float] | None = None  # where the day starts and ends
        self.loads = 0  # store reads of today's rows (tests and the bench watch it)

    def invalidate(self) -> None:
        """Forget the cached rows: the next `rows()` reads the store whatever its generation."""
        self._loaded = None
        self._ordered = None
        self._catalogues.clear()  # a pull may have brought a corrected catalogue version

    def today(self) -> str:
        """The working day shown on the route: today in Vietnam by the device's clock, ISO."""
        return vn_date(self.clock.now()).isoformat()

    async def locate(self, timeout_s: float = 8.0) -> tuple[float, float] | None:
        """The officer's position for ordering and distances; None when GPS is unavailable."""
        try:
            fix = await self.location.current_fix(timeout_s)
        except LocationError:
            return self.last_position
        self.last_position = (fix.lat, fix.lon)
        return self.last_position

    def catalogue(self, version: int) -> CataloguePublic | None:
        """A catalogue version (falls back to the latest cached one)."""
        if version not in self._catalogues:
            cat = store.get_catalogue(self.db, version) or store.get_catalogue(self.db)
            if cat is None:
                return None
            self._catalogues[version] = cat
        return self._catalogues[version]

    def _hamlets(self) -> dict[int, str]:
        return {u.id: u.name for u in store.list_units(self.db)}

    def office(self) -> tuple[float, float] | None:
        """The commune office of the signed-in officer (where the day starts and ends), if known."""
        session = store.load_session(self.db)
        if session is None:
            return None
        units = {u.id: u for u in store.list_units(self.db)}
        for uid in session.officer.unit_ids:
            u = units.get(uid)
            while u is not None and u.level.value != "commune":
                u = units.get(u.parent_id) if u.parent_id is not None else None
            if u is not None and u.lat is not None and u.lon is not None:
                return (u.lat, u.lon)
        return None

    def rows_for(self, visits: list[VisitPublic]) -> list[VisitRow]:
        """Route rows (names, codes, statuses) for any cached visits."""
        return self._rows_for(visits)

    def _rows_for(self, visits: list[VisitPublic]) -> list[VisitRow]:
        if not visits:
            return []
        dossier_ids = {v.dossier_id for v in visits}
        citizen_ids = {v.citizen_id for v in visits}
        dossiers = {d.id: d for d in store.list_dossiers(self.db) if d.id in dossier_ids}
        citizens = {}
        for r in self.db.query("SELECT id, dec(body) AS body FROM citizens"):
            if r["id"] in citizen_ids:
                citizens[r["id"]] = json.loads(r["body"])
        pending = {r["visit_id"] for r in self.db.query("SELECT visit_id FROM visit_overrides")}
        # folded once, when the data is stored (store.cache.search_text): not per row per load
        keys = store.cache.search_texts(self.db, None if len(visits) > 500 else [v.id for v in visits])
        hamlets = self._hamlets()
        rows = []
        for v in visits:
            d = dossiers.get(v.dossier_id)
            c = citizens.get(v.citizen_id, {})
            cat = self.catalogue(v.catalogue_version)
            proc = cat.procedure(d.procedure_code) if (cat and d) else None
            due = v.planned_date
            if v.kind.value == "delivery" and d and d.appointment_at:
                due = d.appointment_at[:10]
            row = VisitRow(
                visit_id=v.id,
                kind=v.kind.value,
                status=v.status.value,
                planned_date=v.planned_date,
                due_date=due,
                citizen_name=c.get("full_name", "?"),
                id_number=c.get("id_number", ""),
                phone=c.get("phone"),
                address=c.get("address", ""),
                hamlet=hamlets.get(c.get("hamlet_id") or (d.hamlet_id if d else None) or -1, ""),
                procedure_code=d.procedure_code if d else "",
                procedure_name=(proc.name if proc else (d.procedure_code if d else "")),
                dossier_id=v.dossier_id,
                dossier_code=d.code if d else "",
                dossier_status=int(d.status) if d else 0,
                lat=c.get("lat"),
                lon=c.get("lon"),
                location_source=c.get("location_source"),
                location_precision=c.get("location_precision"),
                window_start=v.window_start,
                window_end=v.window_end,
                attempts=v.attempts,
                local_pending=v.id in pending,
                notice=v.notice,
            )
            row.search_key = keys.get(v.id) or store.cache.search_text(
                row.citizen_name, row.dossier_code, row.id_number, row.address, row.hamlet, row.procedure_name
            )
            rows.append(row)
        return rows

    def _today_rows(self, check: bool = True) -> list[VisitRow]:
        """Today's visits plus overdue open ones, from the cache unless the data changed (`check`)."""
        today = self.today()
        if self._loaded is not None and not check and self._loaded[0] == today:
            return self._loaded[2]
        # read before loading: a write landing during the load makes the next check reload again
        generation = store.data_generation(self.db)
        if self._loaded is not None and self._loaded[:2] == (today, generation):
            return self._loaded[2]
        if self._loaded is not None and self._loaded[1] != generation:
            self._catalogues.clear()  # a pull may have brought a new catalogue version
        visits = [
            v
            for v in store.list_visits(self.db)
            if v.planned_date == today or (v.status.value in OPEN and v.planned_date < today)
        ]
        self._loaded = (today, generation, self._rows_for(visits))
        self._office = self.office()
        self._ordered = None
        self.loads += 1
        return self._loaded[2]

    def rows(self, position: tuple[float, float] | None = None) -> list[VisitRow]:
        """Today's visits plus overdue open ones: open visits in route order, then the finished ones."""
        return self._order(self._today_rows(), position)

    def reorder(self, position: tuple[float, float] | None) -> list[VisitRow]:
        """The rows already loaded, ordered from a new position: no store access (a GPS fix arrived)."""
        return self._order(self._today_rows(check=False), position)

    def _order(self, rows: list[VisitRow], position: tuple[float, float] | None) -> list[VisitRow]:
        position = position or self.last_position
        now = self.clock.now().astimezone(VN_TZ)
        # the plan depends on the time of day too (windows): a new minute is a new plan
        key = (id(rows), position, now.replace(second=0, microsecond=0))
        if self._ordered is not None and self._ordered[0] == key:
            return list(self._ordered[1])
        for r in rows:
            # rows are shared with the cache: distances and times always belong to the latest ordering
            r.distance_m = (
                distance_m(position[0], position[1], r.lat, r.lon)
                if position and r.lat is not None and r.lon is not None
                else None
            )
            r.eta, r.window_late_min = None, None
        open_rows = [r for r in rows if r.is_open]
        done = [r for r in rows if not r.is_open]
        office = self._office  # read with the rows: a new position never touches the store
        # today's windows only bind today's visits; an overdue one is due as soon as possible
        today = now.date().isoformat()
        stops = [
            Stop(
                r.visit_id,
                r.lat,
                r.lon,
                window=window_of(r.window_start, r.window_end) if r.planned_date == today else None,
            )
            for r in open_rows
        ]
        planned = plan(
            position or office,
            stops,
            end=office,
            start_min=now.hour * 60 + now.minute,
            settings=self.settings,
        )
        order = planned.order
        by_id = {r.visit_id: r for r in open_rows}
        for vid, minutes in planned.eta_min.items():
            by_id[vid].eta = fmt_hhmm(minutes)  # type: ignore[index]
        for w in planned.warnings:
            by_id[w.stop_id].window_late_min = round(w.late_min)  # type: ignore[index]
        ordered = [by_id[i] for i in order] + done  # type: ignore[index]
        self._ordered = (key, ordered)
        return list(ordered)

    @staticmethod
    def filter_rows(
        rows: list[VisitRow], kind: str | None = None, status: str | None = None, query: str = ""
    ) -> list[VisitRow]:
        """Rows of a kind/status ('open' = planned or en route) whose folded text holds every query word."""
        words = fold(query).split()
        out = []
        for r in rows:
            if kind and r.kind != kind:
                continue
            if status == "open" and not r.is_open:
                continue
            if status and status != "open" and r.status != status:
                continue
            if words and not all(w in r.search_key for w in words):
                continue
            out.append(r)
        return out

    def detail(self, visit_id: int) -> VisitDetail | None:
        """One visit with its procedure, catalogue version and earlier attempts."""
        v = store.get_visit(self.db, visit_id)
        if v is None:
            return None
        row = self._rows_for([v])[0]
        if self.last_position and row.lat is not None and row.lon is not None:
            row.distance_m = distance_m(*self.last_position, row.lat, row.lon)
        cat = self.catalogue(v.catalogue_version)
        proc = cat.procedure(row.procedure_code) if cat else None
        citizen = store.get_citizen(self.db, v.citizen_id)
        history = []
        # only this dossier's visits (an index lookup), not the whole cache
        other_ids = [
            r["id"]
            for r in self.db.query(
                "SELECT id FROM visits WHERE dossier_id = ? AND id != ?", [v.dossier_id, v.id]
            )
        ]
        for oid in other_ids:
            other = store.get_visit(self.db, oid)
            if other and other.status.value in ("failed", "completed"):
                history.append(
                    Attempt(
                        other.planned_date,
                        other.status.value,
                        other.failure_reason.value if other.failure_reason else None,
                        other.failure_note,
                    )
                )
        if v.status.value == "failed" and v.failure_reason:
            history.append(Attempt(v.planned_date, "failed", v.failure_reason.value, v.failure_note))
        dossier = store.get_dossier(self.db, v.dossier_id)
        unit_name = self._hamlets().get(dossier.unit_id, "") if dossier else ""
        return VisitDetail(
            row=row,
            procedure=proc,
            catalogue=cat,
            birth_date=citizen.birth_date if citizen else None,
            history=sorted(history, key=lambda a: a.date),
            unit_name=unit_name,
            receipt_url=self._receipt_url(visit_id) if self._receipt_url else None,
            unit_id=dossier.unit_id if dossier else None,
        )
