"""The supervisor's live view: the board (officers, positions, today's visits), an officer's
track (breadcrumbs vs planned route) and an officer's day (arrivals, time spent, GPS flags).

Arrival at a household = the first breadcrumb of the day within ARRIVAL_RADIUS_M of it (and not
after the visit ended); without such a point, the completion time, else the en-route time.
A completion is flagged when its GPS fix was > 300 m from the household (far_from_home), worse
than 50 m (poor_fix) or missing (no_fix): the same thresholds the phone warns about.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, func, or_, select

from api_client.domain.geo import MAX_ACCURACY_M, MAX_DISTANCE_FROM_HOME_M, distance_m, within_m
from api_client.models import (
    Board,
    BoardOfficer,
    BoardVisit,
    DayVisit,
    OfficerDay,
    OfficerPublic,
    OfficerTrack,
    Position,
    RouteStop,
    TrackPointPublic,
    VisitCounts,
)
from api_client.models.supervision import STATUS_COLOURS
from api_client.models.visits import OPEN_VISIT_STATUSES, VisitStatus

from ..db.schema import citizens, dossiers, officers, visits
from .access import visit_filter
from .clock import VN_TZ, now_iso, now_utc, parse_iso
from .honesty import visit_signals
from .staff import field_officer_filter, scoped_officer, unit_centres, units_of
from .tracks import day_bounds, day_points, duty_states, last_positions, path_length_m
from .workload import loads

ARRIVAL_RADIUS_M = 100.0
OPEN = {s.value for s in OPEN_VISIT_STATUSES}
EVENT_TYPES_WITH_GPS = (
    "visit.pickup_completed",
    "visit.supplement_requested",
    "visit.delivery_completed",
    "visit.failed",
)


def visit_rows() -> Select[Any]:
    """Visits joined with their dossier code and the household (name, position)."""
    return (
        select(
            visits,
            dossiers.c.code.label("dossier_code"),
            citizens.c.full_name.label("citizen_name"),
            citizens.c.lat.label("lat"),
            citizens.c.lon.label("lon"),
        )
        .join(dossiers, dossiers.c.id == visits.c.dossier_id)
        .join(citizens, citizens.c.id == visits.c.citizen_id)
    )


VISIT_ROW_FIELDS = ("kind", "status", "dossier_code", "citizen_name", "lat", "lon", "failure_reason")


def shared_visit_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The fields every supervisor view of a visit copies from a `visit_rows()` row unchanged."""
    return {name: row[name] for name in VISIT_ROW_FIELDS}


def count_statuses(statuses: list[str]) -> VisitCounts:
    """Counts by status."""
    counts = VisitCounts(total=len(statuses))
    for status in statuses:
        setattr(counts, status, getattr(counts, status) + 1)
    return counts


def _is_late(row: dict[str, Any], day: date, now: datetime) -> bool:
    """Still open after its window (or after its day) ended."""
    if row["status"] not in OPEN:
        return False
    local = now.astimezone(VN_TZ)
    if day < local.date():
        return True
    return day == local.date() and bool(row["window_end"]) and row["window_end"] < local.strftime("%H:%M")


def board(engine: Engine, supervisor: OfficerPublic, day: date, page: int, page_size: int) -> Board:
    """Officers in scope (one page) with last position and counts, the day's visits, totals."""
    now = now_utc()
    _, end = day_bounds(day)
    with engine.connect() as conn:
        in_scope = field_officer_filter(conn, supervisor)
        total_officers = conn.execute(select(func.count()).select_from(officers).where(in_scope)).scalar_one()
        rows = list(
            conn.execute(
                select(officers)
                .where(in_scope)
                .order_by(officers.c.full_name, officers.c.id)
                .offset((page - 1) * page_size)
                .limit(page_size)
            ).mappings()
        )
        ids = [r["id"] for r in rows]
        scope_visits = visit_filter(conn, supervisor)
        day_filter = and_(scope_visits, visits.c.planned_date == day.isoformat())
        totals: dict[str, int] = dict(
            conn.execute(
                select(visits.c.status, func.count()).where(day_filter).group_by(visits.c.status)
            ).all()
        )
        unassigned = conn.execute(
            select(func.count())
            .select_from(visits)
            .where(day_filter, visits.c.assignee_id.is_(None), visits.c.status.in_(OPEN))
        ).scalar_one()
        who: ColumnElement[bool] = visits.c.assignee_id.in_(ids)
        if page == 1:
            who = or_(who, visits.c.assignee_id.is_(None))  # unassigned visits travel with page 1
        visit_list = [
            dict(r)
            for r in conn.execute(
                visit_rows()
                .where(day_filter, who)
                .order_by(visits.c.assignee_id, visits.c.window_start, visits.c.id)
            ).mappings()
        ]
        positions = last_positions(conn, ids, end)
        duty = duty_states(conn, ids, end)
        unit_ids = units_of(conn, ids)
        load = loads(conn, ids, day)
    by_officer: dict[int, list[str]] = {}
    for v in visit_list:
        if v["assignee_id"] is not None:
            by_officer.setdefault(v["assignee_id"], []).append(v["status"])
    board_officers = []
    for r in rows:
        pos = positions.get(r["id"])
        board_officers.append(
            BoardOfficer(
                id=r["id"],
                full_name=r["full_name"],
                role=r["role"],
                phone=r["phone"],
                unit_ids=unit_ids[r["id"]],
                on_duty=duty.get(r["id"]),
                last_position=Position(
                    lat=pos["lat"],
                    lon=pos["lon"],
                    accuracy_m=pos["accuracy_m"],
                    recorded_at=pos["recorded_at"],
                )
                if pos
                else None,
                counts=count_statuses(by_officer.get(r["id"], [])),
                open_visits=load[r["id"]],
            )
        )
    board_visits = []
    for v in visit_list:
        late = _is_late(v, day, now)
        board_visits.append(
            BoardVisit(
                **shared_visit_fields(v),
                id=v["id"],
                late=late,
                colour=STATUS_COLOURS["late" if late else v["status"]],
                assignee_id=v["assignee_id"],
                dossier_id=v["dossier_id"],
                window_start=v["window_start"],
                window_end=v["window_end"],
                completed_at=done_at(v),
                attempts=v["attempts"],
            )
        )
    statuses = [s for s, n in totals.items() for _ in range(int(n))]
    return Board(
        date=day.isoformat(),
        server_time=now_iso(),
        officers=board_officers,
        visits=board_visits,
        counts=count_statuses(statuses),
        unassigned=int(unassigned),
        officers_total=int(total_officers),
    )


def done_at(visit: dict[str, Any]) -> str | None:
    """When the visit ended: completed_at, or the failure's time (failures keep it in evidence)."""
    if visit["completed_at"]:
        return str(visit["completed_at"])
    failed = (visit["evidence"] or {}).get("visit.failed")
    if isinstance(failed, dict) and failed.get("occurred_at"):
        return str(failed["occurred_at"])
    return None


def _officer_day_visits(
    conn: Connection, supervisor: OfficerPublic, officer_id: int, day: date
) -> list[dict[str, Any]]:
    """The officer's visits planned for, or ended on, that day (within the supervisor's units)."""
    start, end = day_bounds(day)
    q = visit_rows().where(
        visits.c.assignee_id == officer_id,
        visit_filter(conn, supervisor),
        or_(
            visits.c.planned_date == day.isoformat(),
            and_(visits.c.completed_at >= start, visits.c.completed_at < end),
        ),
    )
    return [dict(r) for r in conn.execute(q.order_by(visits.c.id)).mappings()]


def planned_route(rows: list[dict[str, Any]], start: tuple[float, float] | None) -> list[dict[str, Any]]:
    """Planned order: by time window, then nearest household next within a window."""
    out: list[dict[str, Any]] = []
    here = start
    windows = sorted({r["window_start"] or "99:99" for r in rows})
    for window in windows:
        todo = [r for r in rows if (r["window_start"] or "99:99") == window]
        todo.sort(key=lambda r: r["id"])
        while todo:
            if here is None:
                pick = todo[0]
            else:
                at = here
                pick = min(
                    todo,
                    key=lambda r: (
                        distance_m(at[0], at[1], r["lat"], r["lon"])
                        if r["lat"] is not None
                        else float("inf")
                    ),
                )
            todo.remove(pick)
            out.append(pick)
            if pick["lat"] is not None:
                here = (pick["lat"], pick["lon"])
    return out


def officer_track(engine: Engine, supervisor: OfficerPublic, officer_id: int, day: date) -> OfficerTrack:
    """The day's breadcrumbs in order, the planned route and the order visits actually ended in."""
    with engine.connect() as conn:
        officer = scoped_officer(conn, supervisor, officer_id)
        points = day_points(conn, officer["id"], day)
        rows = _officer_day_visits(conn, supervisor, officer_id, day)
        centres = unit_centres(conn)
        own_units = units_of(conn, [officer_id])[officer_id]
    start = (
        (points[0]["lat"], points[0]["lon"])
        if points
        else next(((centres[u][0], centres[u][1]) for u in own_units if u in centres), None)
    )
    planned = [r for r in rows if r["planned_date"] == day.isoformat() and r["status"] != "cancelled"]
    route = [
        RouteStop(
            order=i + 1,
            visit_id=r["id"],
            status=r["status"],
            lat=r["lat"],
            lon=r["lon"],
            citizen_name=r["citizen_name"],
            window_start=r["window_start"],
        )
        for i, r in enumerate(planned_route(planned, start))
    ]
    ended = sorted((r for r in rows if done_at(r)), key=lambda r: (done_at(r) or "", r["id"]))
    return OfficerTrack(
        officer_id=officer_id,
        date=day.isoformat(),
        points=[TrackPointPublic(**p) for p in points],
        distance_m=round(path_length_m(points), 1),
        planned_route=route,
        actual_order=[r["id"] for r in ended],
    )


def completion_fix(visit: dict[str, Any]) -> tuple[bool, dict[str, Any] | None]:
    """(whether the ending event carried a GPS check, its fix or None)."""
    evidence = visit["evidence"] or {}
    for event_type in EVENT_TYPES_WITH_GPS:
        entry = evidence.get(event_type)
        if isinstance(entry, dict) and isinstance(entry.get("gps"), dict):
            fix = entry["gps"].get("fix")
            return True, fix if isinstance(fix, dict) else None
    return False, None


def _arrival(
    visit: dict[str, Any], points: list[dict[str, Any]], ended: str | None
) -> tuple[str | None, str | None]:
    if visit["lat"] is not None:
        for p in points:
            if ended and p["recorded_at"] > ended:
                break
            if within_m(p["lat"], p["lon"], visit["lat"], visit["lon"], ARRIVAL_RADIUS_M):
                return p["recorded_at"], "track"
    if ended:
        return ended, "completion"
    en_route = (visit["evidence"] or {}).get("en_route_at")
    return (str(en_route), "en_route") if en_route else (None, None)


def day_visit(visit: dict[str, Any], points: list[dict[str, Any]],
              signals: dict[str, Any] | None = None) -> DayVisit:
    """One visit with arrival, time spent, GPS flags, and its events' clock/location/evidence signals."""
    ended = done_at(visit)
    arrived, source = _arrival(visit, points, ended)
    spent = None
    if arrived and ended:
        spent = max(0, int((parse_iso(ended) - parse_iso(arrived)).total_seconds()))
    has_gps, fix = completion_fix(visit)
    flags: list[str] = []
    distance = accuracy = None
    if has_gps and fix is None:
        flags.append("no_fix")
    if fix is not None:
        accuracy = float(fix.get("accuracy_m") or 0)
        if accuracy > MAX_ACCURACY_M:
            flags.append("poor_fix")
        if visit["lat"] is not None:
            distance = round(distance_m(fix["lat"], fix["lon"], visit["lat"], visit["lon"]), 1)
            if distance > MAX_DISTANCE_FROM_HOME_M:
                flags.append("far_from_home")
    return DayVisit(
        **shared_visit_fields(visit),
        visit_id=visit["id"],
        arrived_at=arrived,
        arrival_source=source,
        completed_at=ended,
        time_spent_s=spent,
        failure_note=visit["failure_note"],
        fix_distance_m=distance,
        fix_accuracy_m=accuracy,
        flags=flags,
        **(signals or {}),
    )


def officer_day(engine: Engine, supervisor: OfficerPublic, officer_id: int, day: date) -> OfficerDay:
    """Visits in order (ended ones by time, then open ones by window) with arrival, time spent, flags."""
    with engine.connect() as conn:
        scoped_officer(conn, supervisor, officer_id)
        points = day_points(conn, officer_id, day)
        rows = _officer_day_visits(conn, supervisor, officer_id, day)
        load = loads(conn, [officer_id], day)[officer_id]
        signals = visit_signals(conn, [r["id"] for r in rows])
    items = [day_visit(r, points, signals.get(r["id"])) for r in rows]
    items.sort(
        key=lambda v: (
            v.completed_at is None,
            v.arrived_at or v.completed_at or "",
            next((r["window_start"] or "" for r in rows if r["id"] == v.visit_id), ""),
            v.visit_id,
        )
    )
    failed = [v for v in items if v.status == VisitStatus.FAILED]
    return OfficerDay(
        officer_id=officer_id,
        date=day.isoformat(),
        first_point_at=points[0]["recorded_at"] if points else None,
        last_point_at=points[-1]["recorded_at"] if points else None,
        distance_m=round(path_length_m(points), 1),
        points=len(points),
        visits=items,
        counts=count_statuses([r["status"] for r in rows]),
        failed=failed,
        flagged=sum(1 for v in items if v.flags or v.honesty),
        open_visits=load,
    )
