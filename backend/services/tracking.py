"""The dossier tracking log (phiếu kiểm soát quá trình giải quyết hồ sơ): custody rows in time order.

Rows: every handover of the dossier, the pickup at the door (citizen -> officer), failed delivery
attempts, and the delivery (officer -> citizen). Outcomes are computed against the ORIGINAL
appointment (an apology moves appointment_at, but the national scoring keeps the first date).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, or_, select

from api_client.domain.timeliness import Outcome, outcome_of
from api_client.models import (
    HandoverDirection,
    OfficerPublic,
    TrackingLog,
    TrackingLogRow,
    TrackingRowKind,
    VisitKind,
    VisitStatus,
)

from ..db.schema import citizens, dossiers, handover_items, handovers, visits
from ..errors import not_found
from .access import can_see_dossier
from .clock import parse_iso
from .custody import DESK_NAME, officer_names
from .dossiers import DOSSIER_NOT_FOUND
from .letters import procedure_of

_FAILURE_LABELS = {"nobody_home": "không có ai ở nhà", "missing_documents": "thiếu giấy tờ",
                   "refused": "công dân từ chối", "wrong_address": "sai địa chỉ", "other": "lý do khác"}


def _outcome(at: str, due: str | None, supplements: int) -> Outcome | None:
    if not due:
        return None
    # compare calendar days in commune time, as the appointment slip does
    return outcome_of(parse_iso(at), parse_iso(due), supplements)


def _handover_rows(conn: Connection, dossier_id: int, due: str | None,
                   supplements: int) -> list[TrackingLogRow]:
    q = (select(handovers).join(handover_items, handover_items.c.handover_id == handovers.c.id)
         .where(handover_items.c.dossier_id == dossier_id))
    rows = list(conn.execute(q).mappings())
    names = officer_names(conn, {r["from_officer_id"] for r in rows} | {r["to_officer_id"] for r in rows})
    out = []
    for r in rows:
        to_desk = r["direction"] == HandoverDirection.OFFICER_TO_DESK.value
        giver = names.get(r["from_officer_id"]) if r["from_officer_id"] else DESK_NAME
        receiver = names.get(r["to_officer_id"]) if r["to_officer_id"] else DESK_NAME
        if to_desk and r["to_officer_id"]:
            receiver = f"{DESK_NAME} ({receiver})"
        if not to_desk and r["from_officer_id"]:
            giver = f"{DESK_NAME} ({giver})"
        note = r["note"] or ("Mang kết quả đi trả" if not to_desk else "Mang hồ sơ về bộ phận một cửa")
        if r["receiver_confirmed_at"] is None or r["giver_confirmed_at"] is None:
            note += " - chờ xác nhận"
        out.append(TrackingLogRow(
            kind=TrackingRowKind.HANDOVER, at=r["created_at"], from_name=giver or "?",
            to_name=receiver or "?",
            from_officer_id=r["from_officer_id"], to_officer_id=r["to_officer_id"],
            giver_confirmed_at=r["giver_confirmed_at"], receiver_confirmed_at=r["receiver_confirmed_at"],
            outcome=_outcome(r["created_at"], due, supplements), note=note, handover_id=r["id"]))
    return out


def _visit_rows(conn: Connection, dossier: Any, citizen_name: str, due: str | None) -> list[TrackingLogRow]:
    q = select(visits).where(visits.c.dossier_id == dossier["id"], or_(
        visits.c.status == VisitStatus.COMPLETED.value, visits.c.status == VisitStatus.FAILED.value))
    rows = list(conn.execute(q).mappings())
    names = officer_names(conn, {r["assignee_id"] for r in rows})
    out = []
    supplements = dossier["supplement_requests"]
    for r in rows:
        officer = names.get(r["assignee_id"], "?") if r["assignee_id"] else "?"
        evidence = r["evidence"] or {}
        if r["kind"] == VisitKind.PICKUP.value and "visit.pickup_completed" in evidence:
            at = r["completed_at"]
            out.append(TrackingLogRow(kind=TrackingRowKind.PICKUP, at=at, from_name=citizen_name,
                                      to_name=officer,
                                      to_officer_id=r["assignee_id"], giver_confirmed_at=at,
                                      receiver_confirmed_at=at, outcome=_outcome(at, due, supplements),
                                      note="Tiếp nhận hồ sơ tại nhà", visit_id=r["id"]))
        elif r["kind"] == VisitKind.DELIVERY.value and r["status"] == VisitStatus.COMPLETED.value:
            at = r["completed_at"]
            d = evidence.get("visit.delivery_completed", {})
            recipient = d.get("recipient", {})
            to_name = recipient.get("full_name") or citizen_name
            note = "Trả kết quả tại nhà"
            if recipient.get("kind") == "authorised":
                note += f", người được ủy quyền ({recipient.get('relationship')})"
            if d.get("letter_missing"):
                note += ", chưa trao thư"
            out.append(TrackingLogRow(kind=TrackingRowKind.DELIVERY, at=at, from_name=officer,
                                      to_name=to_name,
                                      from_officer_id=r["assignee_id"], giver_confirmed_at=at,
                                      receiver_confirmed_at=at, outcome=_outcome(at, due, supplements),
                                      note=note, visit_id=r["id"]))
        elif r["kind"] == VisitKind.DELIVERY.value and r["status"] == VisitStatus.FAILED.value:
            at = (evidence.get("visit.failed") or {}).get("occurred_at") or r["updated_at"]
            reason = _FAILURE_LABELS.get(r["failure_reason"] or "", r["failure_reason"] or "")
            out.append(TrackingLogRow(kind=TrackingRowKind.DELIVERY_FAILED, at=at, from_name=officer,
                                      to_name=citizen_name, from_officer_id=r["assignee_id"],
                                      note=f"Trả kết quả không thành công: {reason}", visit_id=r["id"]))
    return out


_ORDER = {TrackingRowKind.PICKUP: 0, TrackingRowKind.HANDOVER: 1, TrackingRowKind.DELIVERY_FAILED: 2,
          TrackingRowKind.DELIVERY: 3}


def _sort_key(row: TrackingLogRow) -> tuple[datetime, int]:
    return parse_iso(row.at), _ORDER[row.kind]


def tracking_log(engine: Engine, officer: OfficerPublic, dossier_id: int) -> TrackingLog:
    """The dossier's custody rows in time order (404 when the officer may not see the dossier)."""
    with engine.connect() as conn:
        dossier = conn.execute(select(dossiers).where(dossiers.c.id == dossier_id)).mappings().first()
        party = conn.execute(select(handovers.c.id).join(
            handover_items, handover_items.c.handover_id == handovers.c.id).where(
            handover_items.c.dossier_id == dossier_id,
            or_(handovers.c.from_officer_id == officer.id, handovers.c.to_officer_id == officer.id)).limit(1)
        ).first()
        if dossier is None or not (party or can_see_dossier(conn, officer, dossier_id)):
            raise not_found(DOSSIER_NOT_FOUND)
        citizen_name = str(conn.execute(select(citizens.c.full_name).where(
            citizens.c.id == dossier["citizen_id"])).scalar_one())
        due = dossier["original_appointment_at"] or dossier["appointment_at"]
        rows = (_handover_rows(conn, dossier_id, due, dossier["supplement_requests"])
                + _visit_rows(conn, dossier, citizen_name, due))
        proc = procedure_of(conn, dossier)
    return TrackingLog(dossier_id=dossier_id, dossier_code=dossier["code"],
                       procedure_code=dossier["procedure_code"],
                       procedure_name=proc.name if proc else dossier["procedure_code"],
                       citizen_name=citizen_name,
                       appointment_at=dossier["appointment_at"],
                       original_appointment_at=dossier["original_appointment_at"],
                       rows=sorted(rows, key=_sort_key))


def tracking_log_pdf(engine: Engine, officer: OfficerPublic, dossier_id: int) -> tuple[bytes, str]:
    """The tracking log as PDF, with a file name."""
    from ..documents.tracking_log import render_tracking_log  # fpdf2 only for this endpoint

    log = tracking_log(engine, officer, dossier_id)
    return render_tracking_log(log), f"phieu-kiem-soat-{log.dossier_code}.pdf"
