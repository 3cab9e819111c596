"""Notices to citizens: the short Vietnamese texts, queueing them, and the desk's outbox.

Notices are queued inside the transaction of whatever caused them (a result ready, an officer
on the way, a failed attempt, an apology), so a rolled-back change never tells the citizen
anything. Sending is the dispatcher's job (backend/notify); the phone never sends SMS.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from api_client.models import NoticeKind, NoticePublic, NoticeState, OfficerPublic

from ..db.schema import citizens, dossiers, notices, units
from ..errors import not_found
from .access import dossier_filter
from .clock import now_iso

NOTICE_NOT_FOUND = "Không tìm thấy thông báo (notice not found)"
_UNIT_PREFIXES = ("xã ", "phường ", "thị trấn ", "đặc khu ")


def commune_title(name: str) -> str:
    """'An Phú' or 'Xã An Phú' -> 'xã An Phú' (how 'UBND xã ...' reads)."""
    lowered = name.lower()
    for prefix in _UNIT_PREFIXES:
        if lowered.startswith(prefix):
            return prefix + name[len(prefix):]
    return f"xã {name}"


def sender_of(conn: Connection, unit_id: int) -> str:
    """'UBND xã An Phú': who the citizen hears from."""
    name = conn.execute(select(units.c.name).where(units.c.id == unit_id)).scalar_one()
    return f"UBND {commune_title(str(name))}"


def notice_text(kind: NoticeKind, sender: str, code: str, *, day: date | None = None,
                officer_name: str | None = None, extra: str | None = None) -> str:
    """The short text for one notice kind (kept under ~300 characters: it may go out as SMS)."""
    when = f"{day:%d/%m/%Y}" if day else ""
    if kind == NoticeKind.RESULT_READY:
        tail = (f" Cán bộ sẽ mang đến nhà bạn ngày {when}." if day
                else " Mời bạn đến bộ phận một cửa để nhận kết quả.")
        return f"{sender}: Hồ sơ {code} đã có kết quả.{tail}"
    if kind == NoticeKind.ON_THE_WAY:
        who = f"Cán bộ {officer_name}" if officer_name else "Cán bộ"
        return f"{sender}: {who} đang trên đường đến nhà bạn về hồ sơ {code}."
    if kind == NoticeKind.FAILED_ATTEMPT:
        base = f"{sender}: Cán bộ đã đến nhà bạn về hồ sơ {code} nhưng không gặp được."
        return f"{base} {extra}" if extra else base
    if kind == NoticeKind.SUPPLEMENT_NEEDED:
        back = f" Cán bộ sẽ quay lại ngày {when}." if day else ""
        return f"{sender}: Hồ sơ {code} cần bổ sung: {extra or 'giấy tờ còn thiếu'}.{back}"
    reason = f" (lý do: {extra})" if extra else ""
    return (f"{sender} xin lỗi: hồ sơ {code} chưa có kết quả đúng hẹn{reason}. "
            f"Hẹn trả kết quả ngày {when}.")


def queue_notice(conn: Connection, dossier_id: int, kind: NoticeKind, text: str) -> int | None:
    """Queue a notice to the dossier's citizen; None (nothing queued) when they have no phone."""
    phone = conn.execute(select(citizens.c.phone).join(dossiers, dossiers.c.citizen_id == citizens.c.id)
                         .where(dossiers.c.id == dossier_id)).scalar()
    if not phone:
        return None  # nobody to text: the officer tells them at the door instead
    return int(conn.execute(insert(notices).values(
        dossier_id=dossier_id, phone=phone, kind=kind.value, text=text, state=NoticeState.QUEUED.value,
        attempts=0, created_at=now_iso()).returning(notices.c.id)).scalar_one())


def notice_public(row: Any) -> NoticePublic:
    """A notices row (joined with the dossier code when present) as the desk sees it."""
    data = {k: row[k] for k in NoticePublic.model_fields if k in row}
    return NoticePublic.model_validate(data)


def _query(conn: Connection, officer: OfficerPublic) -> Any:
    return (select(notices, dossiers.c.code.label("dossier_code"))
            .join(dossiers, dossiers.c.id == notices.c.dossier_id)
            .where(dossier_filter(conn, officer)))


def list_notices(engine: Engine, officer: OfficerPublic, state: NoticeState | None, dossier_id: int | None,
                 page: int, page_size: int) -> tuple[list[NoticePublic], int]:
    """The desk's view of notices in its units (oldest first), and the total."""
    with engine.connect() as conn:
        q = _query(conn, officer)
        if state is not None:
            q = q.where(notices.c.state == state.value)
        if dossier_id is not None:
            q = q.where(notices.c.dossier_id == dossier_id)
        total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        rows = conn.execute(q.order_by(notices.c.id).offset((page - 1) * page_size).limit(page_size))
        return [notice_public(r) for r in rows.mappings()], int(total)


def mark_sent(engine: Engine, officer: OfficerPublic, notice_id: int, note: str | None) -> NoticePublic:
    """The desk sent this notice by hand (phone / SMS app); sending twice is a no-op."""
    with engine.begin() as conn:
        row = conn.execute(_query(conn, officer).where(notices.c.id == notice_id)).mappings().first()
        if row is None:
            raise not_found(NOTICE_NOT_FOUND)
        if row["state"] != NoticeState.SENT.value:
            conn.execute(update(notices).where(notices.c.id == notice_id).values(
                state=NoticeState.SENT.value, sent_at=now_iso(), sent_by=officer.id,
                gateway_response=note or "Bộ phận một cửa đã gửi thủ công (sent by hand at the desk)"))
        new = conn.execute(_query(conn, officer).where(notices.c.id == notice_id)).mappings().one()
    return notice_public(new)

