"""Dispatch: dossiers at risk, bulk (re)assignment of visits, and who could take a visit.

At-risk lists cover dossiers not in a terminal state (3 refused, 7 withdrawn, 8 stopped,
10 returned), in the supervisor's units, relative to a reference day (default today, Vietnam):
- due_today: appointment_at falls on that day;
- overdue: appointment_at before that day;
- unassigned: waiting for a field visit (status 1 or 5 to pick up, 9 with a home/post return)
  with no open visit that has an assignee;
- repeatedly_failed: two or more failed visits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, exists, func, or_, select

from api_client.domain.geo import distance_m
from api_client.models import (
    AssignFailure,
    AtRiskDossier,
    AtRiskKind,
    BulkAssign,
    BulkAssignResult,
    OfficerPublic,
    SuggestedAssignee,
    VisitAssign,
)
from api_client.models.visits import OPEN_VISIT_STATUSES

from ..db.schema import citizens, dossiers, officer_units, officers, visits
from ..errors import ApiError, not_found
from . import dossiers as dossier_service
from . import visit_needs
from . import visits as visit_service
from .access import dossier_filter, visit_filter
from .staff import field_officer_filter, unit_centres, units_of
from .tracks import day_bounds, last_positions
from .workload import loads

TERMINAL = (3, 7, 8, 10)
OPEN = [s.value for s in OPEN_VISIT_STATUSES]
DEFAULT_CAPACITY = 12  # open visits a day an officer can do (the seed plans 10 per route)


def _failed_count() -> Any:
    return (
        select(func.count())
        .select_from(visits)
        .where(visits.c.dossier_id == dossiers.c.id, visits.c.status == "failed")
        .correlate(dossiers)
        .scalar_subquery()
    )


def _open_assigned() -> Any:
    return exists().where(
        visits.c.dossier_id == dossiers.c.id, visits.c.status.in_(OPEN), visits.c.assignee_id.is_not(None)
    )


def _kind_filter(kind: AtRiskKind, day: date) -> ColumnElement[bool]:
    start, end = day_bounds(day)
    if kind == AtRiskKind.DUE_TODAY:
        return and_(dossiers.c.appointment_at >= start, dossiers.c.appointment_at < end)
    if kind == AtRiskKind.OVERDUE:
        return dossiers.c.appointment_at < start
    if kind == AtRiskKind.UNASSIGNED:
        waiting = or_(
            dossiers.c.status.in_([1, 5]), and_(dossiers.c.status == 9, dossiers.c.return_method != "desk")
        )
        return and_(waiting, ~_open_assigned())
    return _failed_count() >= 2


def at_risk(
    engine: Engine, supervisor: OfficerPublic, kind: AtRiskKind, day: date, page: int, page_size: int
) -> tuple[list[AtRiskDossier], int]:
    """A page of at-risk dossiers of that kind, oldest appointment first, and the total."""
    with engine.connect() as conn:
        where = [
            dossier_filter(conn, supervisor),
            dossiers.c.status.not_in(TERMINAL),
            _kind_filter(kind, day),
        ]
        total = conn.execute(select(func.count()).select_from(dossiers).where(*where)).scalar_one()
        open_visit = (
            select(visits.c.id)
            .where(visits.c.dossier_id == dossiers.c.id, visits.c.status.in_(OPEN))
            .order_by(visits.c.planned_date, visits.c.id)
            .limit(1)
            .correlate(dossiers)
            .scalar_subquery()
        )
        q = (
            select(
                dossiers.c.id,
                dossiers.c.code,
                dossiers.c.status,
                dossiers.c.procedure_code,
                dossiers.c.unit_id,
                dossiers.c.hamlet_id,
                dossiers.c.citizen_id,
                dossiers.c.appointment_at,
                dossiers.c.return_method,
                citizens.c.full_name.label("citizen_name"),
                open_visit.label("open_visit_id"),
                _failed_count().label("failed_visits"),
            )
            .join(citizens, citizens.c.id == dossiers.c.citizen_id)
            .where(*where)
            .order_by(dossiers.c.appointment_at, dossiers.c.id)
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
        rows = [dict(r) for r in conn.execute(q).mappings()]
        visit_ids = [r["open_visit_id"] for r in rows if r["open_visit_id"]]
        assignees = (
            dict(
                conn.execute(
                    select(visits.c.id, visits.c.assignee_id).where(visits.c.id.in_(visit_ids))
                ).all()
            )
            if visit_ids
            else {}
        )
        history = visit_needs.histories(conn, [r["id"] for r in rows])
    out = []
    for r in rows:
        h = history[r["id"]]
        out.append(AtRiskDossier.model_validate(
            r | {"assignee_id": assignees.get(r["open_visit_id"]), "last_visit_kind": h.last_kind,
                 "last_visit_status": h.last_status, "last_visit_at": h.last_at,
                 "next_visit_kind": visit_needs.needed_kind(r, h)}
        ))
    return out, int(total)


def assign_many(engine: Engine, supervisor: OfficerPublic, body: BulkAssign) -> BulkAssignResult:
    """Reassign each visit on its own (same rules and tombstones as PATCH /visits/{id}), on the day given."""
    visit_service.check_not_past(body.planned_date)
    if body.assignee_id is not None:
        with engine.connect() as conn:
            ok = conn.execute(
                select(officers.c.id).where(
                    officers.c.id == body.assignee_id, field_officer_filter(conn, supervisor)
                )
            ).first()
        if ok is None:
            raise ApiError(
                422,
                "validation_error",
                f"Cán bộ {body.assignee_id} không thuộc đơn vị bạn phụ trách hoặc không phải cán bộ thực địa",
            )
    result = BulkAssignResult(assigned=[])
    change = VisitAssign(assignee_id=body.assignee_id, planned_date=body.planned_date)
    for visit_id in dict.fromkeys(body.visit_ids):  # each id once, in the order given
        try:
            result.assigned.append(visit_service.assign_visit(engine, supervisor, visit_id, change))
        except ApiError as exc:
            result.failed.append(AssignFailure(visit_id=visit_id, code=exc.code, detail=exc.detail))
    return result


def _household(conn: Connection, citizen_id: int) -> tuple[float, float] | None:
    row = conn.execute(select(citizens.c.lat, citizens.c.lon).where(citizens.c.id == citizen_id)).first()
    if row is not None and row.lat is not None and row.lon is not None:
        return row.lat, row.lon
    return None


def suggested_assignees(
    engine: Engine, supervisor: OfficerPublic, visit_id: int, day: date | None, capacity: int, limit: int
) -> list[SuggestedAssignee]:
    """Candidates for an open visit on `day` (default: its planned day), ranked as `_ranked` says."""
    with engine.connect() as conn:
        found = (
            conn.execute(
                select(visits, dossiers.c.hamlet_id)
                .join(dossiers, dossiers.c.id == visits.c.dossier_id)
                .where(visits.c.id == visit_id, visit_filter(conn, supervisor))
            )
            .mappings()
            .first()
        )
        if found is None:
            raise not_found(visit_service.VISIT_NOT_FOUND)
        on = day or date.fromisoformat(found["planned_date"])
        return _ranked(conn, supervisor, found["citizen_id"], found["hamlet_id"], found["assignee_id"], on,
                       capacity, limit)


def suggested_for_dossier(
    engine: Engine, supervisor: OfficerPublic, dossier_id: int, day: date, capacity: int, limit: int
) -> list[SuggestedAssignee]:
    """Candidates for a dossier that has no open visit yet (its household, its hamlet), on `day`."""
    with engine.connect() as conn:
        found = conn.execute(
            select(dossiers.c.citizen_id, dossiers.c.hamlet_id)
            .where(dossiers.c.id == dossier_id, dossier_filter(conn, supervisor))
        ).mappings().first()
        if found is None:
            raise not_found(dossier_service.DOSSIER_NOT_FOUND)
        return _ranked(conn, supervisor, found["citizen_id"], found["hamlet_id"], None, day, capacity, limit)


def _ranked(
    conn: Connection, supervisor: OfficerPublic, citizen_id: int, hamlet_id: int | None,
    current: int | None, day: date, capacity: int, limit: int,
) -> list[SuggestedAssignee]:
    """The hamlet's officer(s) first, then the others least busy first (nearest breaks a tie), those at
    capacity after those with room. Every field officer in scope is listed, with the board's load."""
    home = _household(conn, citizen_id)
    staff = list(
        conn.execute(
            select(officers.c.id, officers.c.full_name, officers.c.role)
            .where(field_officer_filter(conn, supervisor))
            .order_by(officers.c.id)
        ).mappings()
    )
    ids = [s["id"] for s in staff]
    hamlet_officers = (
        set(
            conn.execute(
                select(officer_units.c.officer_id).where(
                    officer_units.c.unit_id == hamlet_id, officer_units.c.officer_id.in_(ids)
                )
            ).scalars()
        )
        if hamlet_id is not None
        else set()
    )
    load = loads(conn, ids, day)
    positions = last_positions(conn, ids, day_bounds(day)[1])
    centres = unit_centres(conn)
    officer_units_map = units_of(conn, ids)
    out: list[SuggestedAssignee] = []
    for s in staff:
        if s["id"] == current and s["id"] not in hamlet_officers:
            continue  # already theirs: the supervisor is looking for someone else
        where, source = None, None
        if s["id"] in positions:
            where, source = (positions[s["id"]]["lat"], positions[s["id"]]["lon"]), "track"
        else:
            # the most local unit with a known centre: hamlet before commune before province
            known = [centres[u] for u in officer_units_map[s["id"]] if u in centres]
            rank = {"hamlet": 0, "commune": 1, "province": 2}
            known.sort(key=lambda c: rank.get(c[2], 3))
            if known:
                where, source = (known[0][0], known[0][1]), "unit_centre"
        distance = round(distance_m(where[0], where[1], home[0], home[1]), 1) if where and home else None
        out.append(
            SuggestedAssignee(
                officer_id=s["id"],
                full_name=s["full_name"],
                role=s["role"],
                reason="hamlet_officer" if s["id"] in hamlet_officers else "least_busy",
                distance_m=distance,
                position_source=source,
                open_visits=load[s["id"]],
                has_capacity=load[s["id"]] < capacity,
            )
        )
    out.sort(key=lambda c: (c.reason != "hamlet_officer", not c.has_capacity, c.open_visits,
                            c.distance_m is None, c.distance_m or 0.0, c.officer_id))
    return out[:limit]
