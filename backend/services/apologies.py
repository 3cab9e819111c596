"""Late results: the apology and new appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả).

Allowed for any dossier that has an appointment and is not closed (returned, refused, withdrawn,
stopped): the desk knows best when a result will be late, so we do not second-guess "at risk".
The first appointment is kept in original_appointment_at; on-time scoring uses it.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from api_client.domain.lifecycle import STATUS_LABELS_VI, DossierStatus
from api_client.models import ApologyCreate, ApologyPublic, NoticeKind, OfficerPublic
from api_client.models.visits import OPEN_VISIT_STATUSES

from ..db.changes import next_seq
from ..db.schema import apologies, citizens, dossiers, officers, visits
from ..errors import ApiError, not_found
from .access import dossier_filter
from .clock import VN_TZ, iso, now_iso, parse_iso, today_vn
from .dossiers import DOSSIER_NOT_FOUND
from .notices import notice_text, queue_notice, sender_of
from .visits import touch_visits_of_dossier

CLOSED = frozenset({DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED,
                    DossierStatus.RETURNED})
DUE_TIME = time(17, 0)  # appointments are due at the end of the working day, as appointment_for sets


def apology_public(row: Any, original: str | None = None) -> ApologyPublic:
    """An apologies row as the desk sees it."""
    return ApologyPublic.model_validate({**dict(row), "original_appointment_at": original})


def _new_day(value: str, current_due: datetime) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise ApiError(422, "validation_error", f"Ngày hẹn mới không hợp lệ: {value} (invalid date)") from exc
    today = today_vn()
    if day <= current_due.astimezone(VN_TZ).date() or day < today:
        raise ApiError(422, "validation_error",
                       f"Ngày hẹn mới {day:%d/%m/%Y} phải sau ngày hẹn hiện tại "
                       f"{current_due.astimezone(VN_TZ):%d/%m/%Y} và không ở quá khứ "
                       "(new date must be after the current appointment)")
    return day


def _set_visit_notices(conn: Connection, dossier_id: int, text: str, seq: int) -> None:
    """Show the apology on the dossier's open visits, so the officer reads it after the next pull."""
    conn.execute(update(visits).where(
        visits.c.dossier_id == dossier_id, visits.c.status.in_([s.value for s in OPEN_VISIT_STATUSES])
    ).values(notice=text, version=visits.c.version + 1, updated_at=now_iso(), seq=seq))


def create_apology(engine: Engine, supervisor: OfficerPublic, dossier_id: int,
                   body: ApologyCreate) -> ApologyPublic:
    """Record the apology, move the appointment, queue the citizen's notice, tell the officer."""
    with engine.begin() as conn:
        dossier = conn.execute(select(dossiers).where(dossiers.c.id == dossier_id,
                                                      dossier_filter(conn, supervisor))
                               .with_for_update()).mappings().first()
        if dossier is None:
            raise not_found(DOSSIER_NOT_FOUND)
        status = DossierStatus(dossier["status"])
        if status in CLOSED:
            raise ApiError(409, "conflict",
                           f"Hồ sơ ở trạng thái {status.value} ({STATUS_LABELS_VI[status]}): "
                           "không cần xin lỗi, hẹn lại (dossier is closed)")
        if not dossier["appointment_at"]:
            raise ApiError(409, "conflict", "Hồ sơ chưa có ngày hẹn trả kết quả (no appointment yet)")
        day = _new_day(body.new_date, parse_iso(dossier["appointment_at"]))
        new_due = iso(datetime.combine(day, DUE_TIME, tzinfo=VN_TZ))
        original = dossier["original_appointment_at"] or dossier["appointment_at"]
        seq = next_seq(conn)
        conn.execute(update(dossiers).where(dossiers.c.id == dossier_id).values(
            appointment_at=new_due, original_appointment_at=original, updated_at=now_iso(), seq=seq))
        text = notice_text(NoticeKind.APOLOGY, sender_of(conn, dossier["unit_id"]), dossier["code"], day=day,
                           extra=body.reason)
        notice_id = queue_notice(conn, dossier_id, NoticeKind.APOLOGY, text)
        touch_visits_of_dossier(conn, dossier_id, seq)
        _set_visit_notices(conn, dossier_id, text, seq)
        apology_id = conn.execute(insert(apologies).values(
            dossier_id=dossier_id, reason=body.reason, previous_appointment_at=dossier["appointment_at"],
            new_appointment_at=new_due, created_by=supervisor.id, created_at=now_iso(), notice_id=notice_id,
        ).returning(apologies.c.id)).scalar_one()
        row = conn.execute(select(apologies).where(apologies.c.id == apology_id)).mappings().one()
        return apology_public(row, original)


def latest_apology(conn: Connection, dossier_id: int) -> Any:
    """The dossier's most recent apologies row, or None."""
    return conn.execute(select(apologies).where(apologies.c.dossier_id == dossier_id)
                        .order_by(apologies.c.id.desc()).limit(1)).mappings().first()


def apology_pdf(engine: Engine, officer: OfficerPublic, dossier_id: int) -> bytes:
    """The latest apology form of a visible dossier as PDF (404 when there is none)."""
    from ..documents.apology import ApologyForm, render_apology  # fpdf2 only for this endpoint
    from .letters import procedure_of

    with engine.connect() as conn:
        dossier = conn.execute(select(dossiers).where(dossiers.c.id == dossier_id,
                                                      dossier_filter(conn, officer))
                               ).mappings().first()
        if dossier is None:
            raise not_found(DOSSIER_NOT_FOUND)
        row = latest_apology(conn, dossier_id)
        if row is None:
            raise not_found("Hồ sơ chưa có phiếu xin lỗi (no apology for this dossier)")
        citizen = conn.execute(select(citizens.c.full_name).where(citizens.c.id == dossier["citizen_id"])
                               ).scalar_one()
        signer = conn.execute(select(officers.c.full_name).where(officers.c.id == row["created_by"])
                              ).scalar_one()
        proc = procedure_of(conn, dossier)
        sender = sender_of(conn, dossier["unit_id"])
    form = ApologyForm(commune=sender.removeprefix("UBND "), citizen_name=str(citizen),
                       dossier_code=dossier["code"],
                       procedure_name=proc.name if proc else dossier["procedure_code"],
                       received_at=dossier["received_at"],
                       previous_appointment_at=row["previous_appointment_at"],
                       new_appointment_at=row["new_appointment_at"], reason=row["reason"], signer=str(signer),
                       created_at=row["created_at"])
    return render_apology(form)
