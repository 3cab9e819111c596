"""What each event type does to visits and dossiers (inside the caller's transaction)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from api_client.documents.letters import letter_title
from api_client.domain.lifecycle import STATUS_LABELS_VI, DossierStatus, IllegalMove, check_move
from api_client.domain.timeliness import Outcome, appointment_for, outcome_of
from api_client.models import (
    DeliveryCompleted,
    DossierPublic,
    EnRoute,
    NoticeKind,
    OfficerPublic,
    PaymentMethod,
    PickupCompleted,
    Procedure,
    RecipientKind,
    SupplementRequested,
    VisitFailed,
    VisitKind,
    VisitPublic,
    VisitStatus,
)

from ..config import Settings
from ..db.schema import catalogues, citizens, dossiers, visits
from .blobs import missing_blobs
from .clock import VN_TZ, iso, local_date, now_iso, parse_iso
from .custody import return_to_desk
from .delivery import next_working_day
from .dossiers import log_status
from .notices import notice_text, queue_notice, sender_of
from .views import catalogue_public, dossier_public, visit_public
from .visits import touch_visits_of_dossier


class RuleBroken(ValueError):
    """The event breaks a business rule: rejected, with a Vietnamese-first message."""


def missing_blobs_of(conn: Connection, event: Any) -> list[str]:
    """Photos (and authorisation papers) the event references that are not stored complete."""
    payload = event.payload
    shas = {p.sha256 for p in getattr(payload, "photos", [])}
    recipient = getattr(payload, "recipient", None)
    if recipient is not None and recipient.authorisation_photo:
        shas.add(recipient.authorisation_photo)
    return missing_blobs(conn, shas)


def _evidence(visit: dict[str, Any], event: Any) -> dict[str, Any]:
    """The visit's evidence with this event's payload added under its type."""
    evidence = dict(visit["evidence"] or {})
    evidence[event.type] = {"event_id": str(event.id), "occurred_at": iso(event.occurred_at),
                            "received_at": now_iso(), **event.payload.model_dump(mode="json")}
    return evidence


def _update_visit(conn: Connection, visit: dict[str, Any], seq: int, **values: Any) -> VisitPublic:
    conn.execute(update(visits).where(visits.c.id == visit["id"]).values(
        **values, version=visit["version"] + 1, updated_at=now_iso(), seq=seq))
    return visit_public(conn.execute(select(visits).where(visits.c.id == visit["id"])).mappings().one())


def _dossier(conn: Connection, dossier_id: int) -> dict[str, Any]:
    return dict(conn.execute(select(dossiers).where(dossiers.c.id == dossier_id).with_for_update())
                .mappings().one())


def _move(dossier: dict[str, Any], target: DossierStatus) -> None:
    try:
        check_move(dossier["status"], target)
    except IllegalMove as exc:
        raise RuleBroken(str(exc)) from exc


def _update_dossier(conn: Connection, dossier: dict[str, Any], officer: OfficerPublic, seq: int,
                    at: str, note: str | None = None, **values: Any) -> DossierPublic:
    conn.execute(update(dossiers).where(dossiers.c.id == dossier["id"]).values(
        **values, updated_at=now_iso(), seq=seq))
    if "status" in values and values["status"] != dossier["status"]:
        log_status(conn, dossier["id"], dossier["status"], values["status"], officer.id, note, at)
    touch_visits_of_dossier(conn, dossier["id"], seq)
    return dossier_public(conn.execute(select(dossiers).where(dossiers.c.id == dossier["id"]))
                          .mappings().one())


def _procedure(conn: Connection, version: int, dossier: dict[str, Any]) -> Procedure:
    """The dossier's procedure in the catalogue version the phone used (else the dossier's own)."""
    for v in (version, dossier["catalogue_version"]):
        row = conn.execute(select(catalogues).where(catalogues.c.version == v)).mappings().first()
        proc = catalogue_public(row).procedure(dossier["procedure_code"]) if row else None
        if proc is not None:
            return proc
    raise RuleBroken(f"Không có thủ tục '{dossier['procedure_code']}' trong danh mục phiên bản {version} "
                     "(procedure not in that catalogue version)")


LEARN_ACCURACY_M = 25.0  # a fix this good, taken at the door, beats any guessed pin


def _learn_location(conn: Connection, citizen: Any, gps: Any, seq: int) -> None:
    """Place a household whose pin is unknown or approximate at a good fix of a visit done at its home.

    A completed pickup or delivery is the officer confirming they were at the home; an exact pin
    (imported, geocoded to the house, set by a supervisor, learned before) is never moved by it.
    """
    fix = gps.fix if gps is not None else None
    if fix is None or fix.accuracy_m > LEARN_ACCURACY_M:
        return
    if citizen["lat"] is not None and citizen.get("location_precision") != "approximate":
        return
    conn.execute(update(citizens).where(citizens.c.id == citizen["id"]).values(
        lat=fix.lat, lon=fix.lon, location_source="visit", location_precision="exact",
        location_note=f"±{fix.accuracy_m:.0f} m", updated_at=now_iso(), seq=seq))


def _require_kind(visit: dict[str, Any], kind: VisitKind, event: Any) -> None:
    if visit["kind"] != kind.value:
        raise RuleBroken(f"Sự kiện {event.type} không dùng cho lượt đi loại '{visit['kind']}' "
                         f"(event type does not match the visit kind)")


def apply(conn: Connection, settings: Settings, officer: OfficerPublic, event: Any,
          visit: dict[str, Any], seq: int) -> tuple[VisitPublic, DossierPublic | None]:
    """Dispatch one validated event to its effect."""
    if isinstance(event, EnRoute):
        return _en_route(conn, officer, event, visit, seq), None
    if isinstance(event, PickupCompleted):
        return _pickup(conn, officer, event, visit, seq)
    if isinstance(event, SupplementRequested):
        return _supplement(conn, officer, event, visit, seq)
    if isinstance(event, VisitFailed):
        return _failed(conn, settings, officer, event, visit, seq)
    if isinstance(event, DeliveryCompleted):
        return _delivery(conn, officer, event, visit, seq)
    raise RuleBroken(f"Loại sự kiện không hỗ trợ (unsupported event type {event.type})")


def _en_route(conn: Connection, officer: OfficerPublic, event: EnRoute, visit: dict[str, Any],
              seq: int) -> VisitPublic:
    if visit["status"] != VisitStatus.EN_ROUTE.value:  # a second "on my way" must not text again
        dossier = _dossier(conn, visit["dossier_id"])
        text = notice_text(NoticeKind.ON_THE_WAY, sender_of(conn, dossier["unit_id"]), dossier["code"],
                           officer_name=officer.full_name)
        queue_notice(conn, dossier["id"], NoticeKind.ON_THE_WAY, text)
    evidence = dict(visit["evidence"] or {}) | {"en_route_at": iso(event.occurred_at)}
    return _update_visit(conn, visit, seq, status=VisitStatus.EN_ROUTE.value, evidence=evidence)


def _pickup(conn: Connection, officer: OfficerPublic, event: PickupCompleted, visit: dict[str, Any],
            seq: int) -> tuple[VisitPublic, DossierPublic]:
    _require_kind(visit, VisitKind.PICKUP, event)
    p = event.payload
    dossier = _dossier(conn, visit["dossier_id"])
    citizen = conn.execute(select(citizens).where(citizens.c.id == dossier["citizen_id"])).mappings().one()
    if p.citizen.id_number != citizen["id_number"]:
        raise RuleBroken("Số căn cước xác nhận không khớp hồ sơ "
                         "(confirmed citizen ID does not match the dossier)")
    _move(dossier, DossierStatus.ACCEPTED)
    proc = _procedure(conn, p.catalogue_version, dossier)
    # the 15:00 same-day cutoff is commune (Vietnam) time, whatever zone the phone used
    received = event.occurred_at.astimezone(VN_TZ)
    appointment = appointment_for(received, proc.time_limit_days)
    shown_only = {d.code for d in proc.documents if d.shown_only}
    collected = {c.code for c in p.checklist if c.present and c.code not in shown_only}
    photographed = {ph.document_code for ph in p.photos if ph.document_code}
    digitized = bool(collected) and collected <= photographed
    paid = p.payment.amount_vnd if p.payment else 0
    at = iso(event.occurred_at)
    token = _receipt_token(conn, dossier, p.lookup_token)
    new_dossier = _update_dossier(
        conn, dossier, officer, seq, at, note="Tiếp nhận tại nhà (home pickup)",
        status=int(DossierStatus.ACCEPTED), received_at=at, received_by=officer.id,
        appointment_at=iso(appointment),
        fee_vnd=proc.fee.fee_for(p.pages), fee_paid_vnd=dossier["fee_paid_vnd"] + paid,
        paid_online=bool(p.payment and p.payment.method == PaymentMethod.TRANSFER),
        digitization=1 if digitized else dossier["digitization"], lookup_token=token)
    if p.citizen.phone and p.citizen.phone != citizen["phone"]:
        conn.execute(update(citizens).where(citizens.c.id == citizen["id"]).values(
            phone=p.citizen.phone, updated_at=now_iso(), seq=seq))
    _learn_location(conn, citizen, p.gps, seq)
    new_visit = _update_visit(conn, visit, seq, status=VisitStatus.COMPLETED.value, completed_at=at,
                              evidence=_evidence(visit, event))
    return new_visit, new_dossier


def _receipt_token(conn: Connection, dossier: dict[str, Any], token: str | None) -> str | None:
    """The token printed in this pickup's receipt QR becomes the dossier's lookup token."""
    if token is None or token == dossier["lookup_token"]:
        return dossier["lookup_token"]
    taken = conn.execute(select(dossiers.c.id).where(dossiers.c.lookup_token == token)).first()
    if taken is not None:  # 128 random bits: only a replayed or forged token can collide
        raise RuleBroken("Mã tra cứu trên giấy tiếp nhận đã thuộc hồ sơ khác.")
    return token


def _supplement(conn: Connection, officer: OfficerPublic, event: SupplementRequested,
                visit: dict[str, Any], seq: int) -> tuple[VisitPublic, DossierPublic]:
    _require_kind(visit, VisitKind.PICKUP, event)
    p = event.payload
    dossier = _dossier(conn, visit["dossier_id"])
    _move(dossier, DossierStatus.SUPPLEMENT_REQUESTED)
    at = iso(event.occurred_at)
    note = f"Yêu cầu bổ sung: {', '.join(p.missing)}. {p.note}"
    new_dossier = _update_dossier(conn, dossier, officer, seq, at, note=note,
                                  status=int(DossierStatus.SUPPLEMENT_REQUESTED),
                                  supplement_requests=dossier["supplement_requests"] + 1)
    new_visit = _update_visit(conn, visit, seq, status=VisitStatus.COMPLETED.value, completed_at=at,
                              evidence=_evidence(visit, event), proposed_date=p.proposed_date)
    # the citizen is told what to bring (the officer also hands over the printed slip)
    names = _document_names(conn, visit["catalogue_version"], dossier)
    queue_notice(conn, dossier["id"], NoticeKind.SUPPLEMENT_NEEDED,
                 notice_text(NoticeKind.SUPPLEMENT_NEEDED, sender_of(conn, dossier["unit_id"]),
                             dossier["code"],
                             day=date.fromisoformat(p.proposed_date) if p.proposed_date else None,
                             extra=", ".join(names.get(c, c) for c in p.missing)))
    return new_visit, new_dossier


def _document_names(conn: Connection, version: int, dossier: dict[str, Any]) -> dict[str, str]:
    """code -> name of the dossier's required documents (empty when the procedure is unknown)."""
    try:
        return {d.code: d.name for d in _procedure(conn, version, dossier).documents}
    except RuleBroken:
        return {}


def _failed(conn: Connection, settings: Settings, officer: OfficerPublic, event: VisitFailed,
            visit: dict[str, Any], seq: int) -> tuple[VisitPublic, None]:
    p = event.payload
    day = local_date(event.occurred_at)
    proposed = date.fromisoformat(p.proposed_date) if p.proposed_date else next_working_day(day)
    if proposed < day:
        raise RuleBroken(f"Ngày hẹn lại {proposed:%d/%m/%Y} đã qua (proposed date is in the past)")
    attempts = visit["attempts"] + 1
    give_up = visit["kind"] == VisitKind.DELIVERY.value and attempts >= settings.failed_delivery_limit
    dossier = _dossier(conn, visit["dossier_id"])
    if give_up:
        notice = (f"Đã trả kết quả không thành công {attempts} lần: chuyển về trả tại bộ phận một cửa "
                  f"(delivery failed {attempts} times: result goes back to the desk)")
        conn.execute(update(dossiers).where(dossiers.c.id == visit["dossier_id"]).values(
            return_method="desk", updated_at=now_iso(), seq=seq))
        # the papers are still in the officer's bag: custody goes back to the desk, which confirms
        return_to_desk(conn, dossier, visit["assignee_id"], iso(event.occurred_at),
                       f"Trả kết quả tại nhà không thành công {attempts} lần, {officer.full_name} mang về")
        citizen_next = "Mời bạn đến bộ phận một cửa để nhận kết quả."
    else:
        new_id = conn.execute(insert(visits).values(
            kind=visit["kind"], dossier_id=visit["dossier_id"], citizen_id=visit["citizen_id"],
            assignee_id=visit["assignee_id"], unit_id=visit["unit_id"], planned_date=proposed.isoformat(),
            window_start=visit["window_start"], window_end=visit["window_end"],
            status=VisitStatus.PLANNED.value, attempts=attempts,
            catalogue_version=visit["catalogue_version"], evidence={}, version=1,
            updated_at=now_iso(), seq=seq).returning(visits.c.id)).scalar_one()
        notice = (f"Đã hẹn lại ngày {proposed:%d/%m/%Y} (lượt đi mới #{new_id}) "
                  f"(rescheduled as visit {new_id})")
        citizen_next = f"Cán bộ sẽ quay lại ngày {proposed:%d/%m/%Y}."
    queue_notice(conn, dossier["id"], NoticeKind.FAILED_ATTEMPT,
                 notice_text(NoticeKind.FAILED_ATTEMPT, sender_of(conn, dossier["unit_id"]), dossier["code"],
                             extra=citizen_next))
    new_visit = _update_visit(
        conn, visit, seq, status=VisitStatus.FAILED.value, failure_reason=p.reason.value,
        failure_note=p.note, proposed_date=proposed.isoformat(), attempts=attempts, notice=notice,
        evidence=_evidence(visit, event))
    return new_visit, None


def _on_time(done_at: datetime, dossier: dict[str, Any]) -> bool | None:
    # national scoring: against the first appointment, even after an apology moved it
    due = dossier.get("original_appointment_at") or dossier["appointment_at"]
    if not due:
        return None
    outcome = outcome_of(done_at, parse_iso(due), dossier["supplement_requests"])
    return outcome != Outcome.LATE


def _check_deliverable(dossier: dict[str, Any]) -> None:
    """A clear reason when the dossier's result cannot be handed over (instead of a bare illegal move)."""
    status = DossierStatus(dossier["status"])
    if status == DossierStatus.RETURNED:
        raise RuleBroken(f"Hồ sơ {dossier['code']} đã trả kết quả lúc {dossier['returned_at']}, "
                         "không trả lại lần nữa (result already returned)")
    if status in (DossierStatus.WITHDRAWN, DossierStatus.REFUSED, DossierStatus.STOPPED):
        raise RuleBroken(f"Hồ sơ {dossier['code']} ở trạng thái {status.value} ({STATUS_LABELS_VI[status]}): "
                         "không có kết quả để trả (dossier is closed without a result)")
    if status != DossierStatus.RESULT_READY:
        raise RuleBroken(f"Hồ sơ {dossier['code']} chưa có kết quả (trạng thái {status.value} "
                         f"{STATUS_LABELS_VI[status]}): không thể trả (result not ready)")


def delivery_warning(visit: VisitPublic) -> str | None:
    """The warning recorded with an applied delivery (e.g. the letter was not handed), if any."""
    warnings = (visit.evidence.get("visit.delivery_completed") or {}).get("warnings")
    return "; ".join(warnings) if warnings else None


def _delivery(conn: Connection, officer: OfficerPublic, event: DeliveryCompleted, visit: dict[str, Any],
              seq: int) -> tuple[VisitPublic, DossierPublic]:
    _require_kind(visit, VisitKind.DELIVERY, event)
    p = event.payload
    dossier = _dossier(conn, visit["dossier_id"])
    if p.receipt_code.strip().upper() != dossier["code"].upper():
        raise RuleBroken(f"Mã phiếu hẹn '{p.receipt_code}' không khớp hồ sơ {dossier['code']} "
                         "(receipt code does not match the dossier)")
    _check_deliverable(dossier)
    _move(dossier, DossierStatus.RETURNED)
    citizen = conn.execute(select(citizens).where(citizens.c.id == dossier["citizen_id"])).mappings().one()
    if p.recipient.kind == RecipientKind.APPLICANT and p.recipient.id_number != citizen["id_number"]:
        raise RuleBroken("Số căn cước người nhận không khớp người nộp hồ sơ; nếu nhận thay, chọn "
                         "'người được ủy quyền' và chụp giấy ủy quyền "
                         "(recipient ID does not match the applicant)")
    at = iso(event.occurred_at)
    paid = p.payment.amount_vnd if p.payment else 0
    owed = max(dossier["fee_vnd"] - dossier["fee_paid_vnd"], 0)
    if paid < owed:
        raise RuleBroken(f"Hồ sơ còn nợ phí {owed:,} đồng, mới thu {paid:,} đồng: thu đủ phí trước khi trao "
                         f"kết quả (fee owed: {owed} VND)".replace(",", "."))
    evidence = _evidence(visit, event)
    letter = _procedure(conn, visit["catalogue_version"], dossier).letter
    if letter and not p.letter_handed:
        # the result still counts as returned; the missing letter is recorded and warned about
        evidence[event.type] |= {"letter_missing": letter, "warnings": [
            f"Chưa trao {letter_title(letter).lower()} kèm kết quả (letter not handed over)"]}
    new_dossier = _update_dossier(
        conn, dossier, officer, seq, at, note="Trả kết quả tại nhà (returned at home)",
        status=int(DossierStatus.RETURNED), returned_at=at, returned_by=officer.id,
        on_time=_on_time(event.occurred_at.astimezone(VN_TZ), dossier),
        fee_paid_vnd=dossier["fee_paid_vnd"] + paid,
        paid_online=bool(dossier["paid_online"]
                         or (p.payment and p.payment.method == PaymentMethod.TRANSFER)))
    _learn_location(conn, citizen, p.gps, seq)
    new_visit = _update_visit(conn, visit, seq, status=VisitStatus.COMPLETED.value, completed_at=at,
                              evidence=evidence)
    return new_visit, new_dossier
