"""Visits: list, read, plan (create), reassign / reschedule / cancel with tombstones."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from api_client.models import OfficerPublic, Role, VisitAssign, VisitCreate, VisitPublic, VisitStatus
from api_client.models.visits import OPEN_VISIT_STATUSES

from ..db.changes import next_seq
from ..db.schema import dossiers, officers, tombstones, visits
from ..errors import ApiError, not_found
from . import visit_needs
from .access import can_see_dossier, unit_scope, visit_filter
from .clock import now_iso, today_vn
from .views import visit_public

VISIT_NOT_FOUND = "Không tìm thấy lượt đi"


def list_visits(engine: Engine, officer: OfficerPublic, filters: dict[str, Any], page: int,
                page_size: int) -> tuple[list[VisitPublic], int]:
    """A page of visible visits matching the filters, and the total count."""
    with engine.connect() as conn:
        where = [visit_filter(conn, officer)]
        column_for = {"date": visits.c.planned_date, "status": visits.c.status, "kind": visits.c.kind,
                      "assignee_id": visits.c.assignee_id, "dossier_id": visits.c.dossier_id}
        where += [column_for[k] == v for k, v in filters.items() if v is not None]
        total = conn.execute(select(func.count()).select_from(visits).where(*where)).scalar_one()
        q = (select(visits).where(*where).order_by(visits.c.planned_date, visits.c.window_start,
                                                    visits.c.id)
             .offset((page - 1) * page_size).limit(page_size))
        return [visit_public(r) for r in conn.execute(q).mappings()], int(total)


def get_visit(engine: Engine, officer: OfficerPublic, visit_id: int) -> VisitPublic:
    """One visible visit, or 404 (never revealing that someone else's exists)."""
    with engine.connect() as conn:
        row = conn.execute(select(visits).where(visits.c.id == visit_id, visit_filter(conn, officer))
                           ).mappings().first()
    if row is None:
        raise not_found(VISIT_NOT_FOUND)
    return visit_public(row)


def _check_assignee(conn: Connection, assignee_id: int | None) -> None:
    if assignee_id is None:
        return
    row = conn.execute(select(officers.c.active, officers.c.role).where(officers.c.id == assignee_id)).first()
    if row is None or not row.active:
        raise ApiError(422, "validation_error",
                       f"Cán bộ {assignee_id} không tồn tại hoặc đã nghỉ")
    if row.role == Role.SUPERVISOR.value:
        raise ApiError(422, "validation_error",
                       "Không giao lượt đi cho cán bộ giám sát: chọn cán bộ thực địa")


def check_not_past(planned_date: str | None) -> None:
    """422 `date_in_past` for a plan before today (Vietnam): nobody can visit yesterday."""
    if planned_date is None:
        return
    try:
        day = date.fromisoformat(planned_date)
    except ValueError as exc:
        raise ApiError(422, "validation_error", f"Ngày không hợp lệ: {planned_date}") from exc
    today = today_vn()
    if day < today:
        raise ApiError(422, "date_in_past", f"Ngày {day:%d/%m/%Y} đã qua: chọn hôm nay ({today:%d/%m/%Y}) "
                       "hoặc một ngày sau.", today=today.isoformat())


def create_visit(engine: Engine, supervisor: OfficerPublic, body: VisitCreate) -> VisitPublic:
    """Plan a visit for a dossier in the supervisor's units (409 when the dossier does not need it)."""
    check_not_past(body.planned_date)
    with engine.begin() as conn:
        if not can_see_dossier(conn, supervisor, body.dossier_id):
            raise not_found("Không tìm thấy hồ sơ")
        _check_assignee(conn, body.assignee_id)
        seq = next_seq(conn)  # the counter's row lock first: two supervisors cannot both plan one
        dossier = conn.execute(select(dossiers).where(dossiers.c.id == body.dossier_id)).mappings().one()
        history = visit_needs.histories(conn, [dossier["id"]])[dossier["id"]]
        refused = visit_needs.refusal(dossier, body.kind, history)
        if refused is not None:
            raise refused
        visit_id = conn.execute(insert(visits).values(
            kind=body.kind.value, dossier_id=dossier["id"], citizen_id=dossier["citizen_id"],
            assignee_id=body.assignee_id, unit_id=dossier["unit_id"], planned_date=body.planned_date,
            window_start=body.window_start, window_end=body.window_end, status=VisitStatus.PLANNED.value,
            attempts=0, catalogue_version=dossier["catalogue_version"], evidence={}, version=1,
            updated_at=now_iso(), seq=seq,
        ).returning(visits.c.id)).scalar_one()
        row = conn.execute(select(visits).where(visits.c.id == visit_id)).mappings().one()
        return visit_public(row)


def add_tombstone(conn: Connection, officer_id: int, visit_id: int, reason: str, seq: int) -> None:
    """Tell an officer's phone to drop a visit it no longer holds."""
    conn.execute(insert(tombstones).values(officer_id=officer_id, entity="visit", entity_id=visit_id,
                                           reason=reason, at=now_iso(), seq=seq))


def assign_visit(engine: Engine, supervisor: OfficerPublic, visit_id: int, body: VisitAssign) -> VisitPublic:
    """Reassign, reschedule or cancel an open visit; the officer who loses it gets a tombstone."""
    if not body.cancel:
        check_not_past(body.planned_date)
    with engine.begin() as conn:
        scope = unit_scope(conn, supervisor.unit_ids)
        row = conn.execute(select(visits).where(visits.c.id == visit_id).with_for_update()).mappings().first()
        if row is None or row["unit_id"] not in scope:
            raise not_found(VISIT_NOT_FOUND)
        if VisitStatus(row["status"]) not in OPEN_VISIT_STATUSES:
            raise ApiError(409, "conflict",
                           f"Lượt đi #{visit_id} đã kết thúc ({row['status']}), không thể thay đổi",
                           visit=visit_public(row).model_dump(mode="json"))
        values: dict[str, Any] = {}
        seq = next_seq(conn)
        old = row["assignee_id"]
        if body.cancel:
            values["status"] = VisitStatus.CANCELLED.value
            if old is not None:
                add_tombstone(conn, old, visit_id, "cancelled", seq)
        else:
            if "assignee_id" in body.model_fields_set and body.assignee_id != old:
                _check_assignee(conn, body.assignee_id)
                values["assignee_id"] = body.assignee_id
                if old is not None:
                    add_tombstone(conn, old, visit_id, "reassigned", seq)
            if body.planned_date is not None:
                values["planned_date"] = body.planned_date
        if values:
            conn.execute(update(visits).where(visits.c.id == visit_id).values(
                **values, version=row["version"] + 1, updated_at=now_iso(), seq=seq))
        new = conn.execute(select(visits).where(visits.c.id == visit_id)).mappings().one()
        return visit_public(new)


def touch_visits_of_dossier(conn: Connection, dossier_id: int, seq: int) -> None:
    """Bump the seq of a dossier's visits so phones holding them pull the changed dossier."""
    conn.execute(update(visits).where(visits.c.dossier_id == dossier_id).values(seq=seq))
