"""Dossiers: list / read within the officer's reach, and supervisor status moves with a log row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from api_client.domain.lifecycle import DossierStatus, IllegalMove, check_move
from api_client.domain.timeliness import Outcome, outcome_of
from api_client.models import CitizenPublic, DossierPublic, OfficerPublic, StatusChange

from ..db.changes import next_seq
from ..db.schema import citizens, dossier_status_log, dossiers
from ..db.search import search_conditions
from ..errors import ApiError, not_found
from .access import can_see_citizen, dossier_filter
from .clock import now_iso, now_utc, parse_iso
from .delivery import on_result_ready
from .evidence import dossier_checks
from .views import citizen_public, dossier_public
from .visits import touch_visits_of_dossier

DOSSIER_NOT_FOUND = "Không tìm thấy hồ sơ (dossier not found)"


def list_dossiers(engine: Engine, officer: OfficerPublic, status: int | None, q: str | None,
                  page: int, page_size: int) -> tuple[list[DossierPublic], int]:
    """Visible dossiers, optionally by status and a diacritic-insensitive search on code / name / ID."""
    with engine.connect() as conn:
        # every folded query word must occur in the dossier's folded key (search_text)
        where = [dossier_filter(conn, officer), *search_conditions(q)]
        if status is not None:
            where.append(dossiers.c.status == status)
        total = conn.execute(select(func.count()).select_from(dossiers).where(*where)).scalar_one()
        query = (select(dossiers, citizens.c.full_name.label("citizen_name"))
                 .join(citizens, citizens.c.id == dossiers.c.citizen_id)
                 .where(*where).order_by(dossiers.c.id)
                 .offset((page - 1) * page_size).limit(page_size))
        rows = list(conn.execute(query).mappings())
    return [dossier_public(r) for r in rows], int(total)


def get_dossier(engine: Engine, officer: OfficerPublic, dossier_id: int) -> DossierPublic:
    """One visible dossier or 404."""
    with engine.connect() as conn:
        row = conn.execute(select(dossiers).where(dossiers.c.id == dossier_id,
                                                  dossier_filter(conn, officer))).mappings().first()
        if row is None:
            raise not_found(DOSSIER_NOT_FOUND)
        checks = dossier_checks(conn, dossier_id)
    return dossier_public(row).model_copy(update={"integrity": checks})


def get_citizen(engine: Engine, officer: OfficerPublic, citizen_id: int) -> CitizenPublic:
    """One citizen reachable through a visible dossier or visit, or 404."""
    with engine.connect() as conn:
        row = conn.execute(select(citizens).where(citizens.c.id == citizen_id)).mappings().first()
        if row is None or not can_see_citizen(conn, officer, citizen_id):
            raise not_found("Không tìm thấy công dân (citizen not found)")
    return citizen_public(row)


def log_status(conn: Connection, dossier_id: int, from_status: int | None, to_status: int,
               officer_id: int | None, note: str | None, at: str) -> None:
    """Append one row to the dossier's status history."""
    conn.execute(insert(dossier_status_log).values(dossier_id=dossier_id, from_status=from_status,
                                                   to_status=to_status, at=at,
                                                   by_officer_id=officer_id, note=note))


def change_status(engine: Engine, supervisor: OfficerPublic, dossier_id: int,
                  body: StatusChange) -> DossierPublic:
    """Move a dossier along the life cycle (409 naming the move when it is illegal)."""
    with engine.begin() as conn:
        row = conn.execute(select(dossiers).where(dossiers.c.id == dossier_id,
                                                  dossier_filter(conn, supervisor))
                           .with_for_update()).mappings().first()
        if row is None:
            raise not_found(DOSSIER_NOT_FOUND)
        try:
            target = check_move(row["status"], body.status)
        except IllegalMove as exc:
            raise ApiError(409, "illegal_move", str(exc), from_status=row["status"],
                           to_status=int(body.status)) from exc
        at = now_iso()
        values: dict[str, Any] = {"status": int(target)}
        if target == DossierStatus.SUPPLEMENT_REQUESTED:
            values["supplement_requests"] = row["supplement_requests"] + 1
        if target == DossierStatus.ACCEPTED and row["received_at"] is None:
            values["received_at"] = at
        if target == DossierStatus.RETURNED:
            values["returned_at"] = at
            due = row["original_appointment_at"] or row["appointment_at"]  # scored on the first date
            if due:
                outcome = outcome_of(now_utc(), parse_iso(due), row["supplement_requests"])
                values["on_time"] = outcome != Outcome.LATE
        if body.note:
            values["note"] = body.note
        seq = next_seq(conn)
        conn.execute(update(dossiers).where(dossiers.c.id == dossier_id).values(
            **values, updated_at=at, seq=seq))
        log_status(conn, dossier_id, row["status"], int(target), supervisor.id, body.note, at)
        new = conn.execute(select(dossiers).where(dossiers.c.id == dossier_id)).mappings().one()
        if target == DossierStatus.RESULT_READY:
            on_result_ready(conn, dict(new), seq, now_utc())
        touch_visits_of_dossier(conn, dossier_id, seq)
        return dossier_public(new)
