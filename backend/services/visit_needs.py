"""Which field visit a dossier still needs, and the refusal of one it does not need.

A pickup fetches the papers: a dossier gets one only while it waits for them (status 1, or 5 after
a supplement request) and no pickup is open or has already received them. A delivery hands the
result over: only for a ready result (9), with no delivery open or done. The at-risk lists and the
supervisor's assign path read the same answer, so a dossier picked up this morning is never shown
as "no visit" nor given a second pickup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from api_client.domain.lifecycle import STATUS_LABELS_VI, DossierStatus
from api_client.models import VisitKind, VisitStatus
from api_client.models.dossiers import ReturnMethod
from api_client.models.visits import OPEN_VISIT_STATUSES

from ..db.schema import visits
from ..errors import ApiError
from .clock import VN_TZ, parse_iso

OPEN = {s.value for s in OPEN_VISIT_STATUSES}
WAITING_FOR_PAPERS = (DossierStatus.SUBMITTED, DossierStatus.SUPPLEMENT_REQUESTED)
# the event that proves a visit did its job (a pickup ending in a supplement request received nothing)
DONE_EVENT = {VisitKind.PICKUP.value: "visit.pickup_completed",
              VisitKind.DELIVERY.value: "visit.delivery_completed"}


@dataclass
class VisitHistory:
    """What a dossier's visits already did: open ones by kind, jobs done, the last visit that ended."""

    open_ids: dict[str, int] = field(default_factory=dict)
    done_at: dict[str, str] = field(default_factory=dict)  # kind -> when its job was done
    last_kind: str | None = None
    last_status: str | None = None
    last_at: str | None = None


def _ended_at(row: Any) -> str | None:
    if row["completed_at"]:
        return str(row["completed_at"])
    failed = (row["evidence"] or {}).get("visit.failed")
    return str(failed["occurred_at"]) if isinstance(failed, dict) and failed.get("occurred_at") else None


def histories(conn: Connection, dossier_ids: Iterable[int]) -> dict[int, VisitHistory]:
    """The visit history of each dossier (an empty one when it has no visit)."""
    ids = list(dict.fromkeys(dossier_ids))
    out = {i: VisitHistory() for i in ids}
    if not ids:
        return out
    rows = conn.execute(
        select(visits.c.id, visits.c.dossier_id, visits.c.kind, visits.c.status, visits.c.completed_at,
               visits.c.evidence)
        .where(visits.c.dossier_id.in_(ids), visits.c.status != VisitStatus.CANCELLED.value)
        .order_by(visits.c.id)
    ).mappings()
    for r in rows:
        h = out[r["dossier_id"]]
        if r["status"] in OPEN:
            h.open_ids.setdefault(r["kind"], r["id"])
            continue
        ended = _ended_at(r)
        if r["status"] == VisitStatus.COMPLETED.value and DONE_EVENT[r["kind"]] in (r["evidence"] or {}):
            h.done_at[r["kind"]] = ended or ""
        if ended is not None and (h.last_at is None or ended >= h.last_at):
            h.last_kind, h.last_status, h.last_at = r["kind"], r["status"], ended
    return out


def needed_kind(dossier: Any, history: VisitHistory) -> VisitKind | None:
    """The visit the dossier's state calls for that nobody has planned or done (None: none)."""
    status = dossier["status"]
    if status in WAITING_FOR_PAPERS:
        kind = VisitKind.PICKUP
    elif status == DossierStatus.RESULT_READY and dossier["return_method"] != ReturnMethod.DESK.value:
        kind = VisitKind.DELIVERY
    else:
        return None
    return kind if refusal(dossier, kind, history) is None else None


def _when(at: str) -> str:
    return parse_iso(at).astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y") if at else ""


def refusal(dossier: Any, kind: VisitKind, history: VisitHistory) -> ApiError | None:
    """Why this dossier must not get a new visit of that kind (409 with a code), or None."""
    code, status = dossier["code"], DossierStatus(dossier["status"])
    label = f"{status.value} ({STATUS_LABELS_VI[status]})"
    open_id = history.open_ids.get(kind.value)
    if kind == VisitKind.PICKUP:
        if open_id is not None:
            return ApiError(409, "pickup_open", f"Hồ sơ {code} đã có lượt nhận hồ sơ tại nhà đang mở "
                            f"(#{open_id}): không tạo thêm.", visit_id=open_id)
        if "pickup" in history.done_at and status != DossierStatus.SUPPLEMENT_REQUESTED:
            return ApiError(409, "pickup_done", f"Hồ sơ {code} đã được tiếp nhận tại nhà lúc "
                            f"{_when(history.done_at['pickup'])}: không cần đi nhận lại.")
        if status not in WAITING_FOR_PAPERS:
            return ApiError(409, "pickup_not_needed", f"Hồ sơ {code} đang ở trạng thái {label}: "
                            "không cần đi nhận hồ sơ.")
        return None
    if open_id is not None:
        return ApiError(409, "delivery_open", f"Hồ sơ {code} đã có lượt trả kết quả tại nhà đang mở "
                        f"(#{open_id}): không tạo thêm.", visit_id=open_id)
    if "delivery" in history.done_at or status == DossierStatus.RETURNED:
        return ApiError(409, "delivery_done", f"Hồ sơ {code} đã trả kết quả: không cần đi trả lại.")
    if status != DossierStatus.RESULT_READY:
        return ApiError(409, "result_not_ready", f"Hồ sơ {code} đang ở trạng thái {label}: "
                        "chưa có kết quả để trả.")
    return None
