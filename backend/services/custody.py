"""Chain of custody: handovers between the one-stop desk and field officers.

A handover names both sides; the side that records it is confirmed at once and only the other
side (the counterpart) may confirm it; confirming twice is a no-op. "The desk" is a supervisor
account; a handover the system makes (a result sent back after failed deliveries) names no desk
officer, and any supervisor of the dossier's commune may confirm it as the receiver.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, false, insert, or_, select, update

from api_client.domain.lifecycle import STATUS_LABELS_VI, DossierStatus
from api_client.models import HandoverCreate, HandoverDirection, HandoverPublic, OfficerPublic

from ..db.schema import dossiers, handover_items, handovers, officers
from ..errors import ApiError, not_found
from .access import can_see_dossier, is_supervisor, unit_scope
from .clock import now_iso
from .notifications import notify_supervisors
from .views import officer_public

HANDOVER_NOT_FOUND = "Không tìm thấy biên bản giao nhận (handover not found)"
DESK_NAME = "Bộ phận một cửa"
# Results go out only once they exist; nothing is brought back before it was collected or after
# the citizen has it.
_OUT_STATUSES = frozenset({DossierStatus.RESULT_READY})
_NOT_IN_STATUSES = frozenset({DossierStatus.SUBMITTED, DossierStatus.RETURNED})


def officer_names(conn: Connection, ids: set[int | None]) -> dict[int, str]:
    """Full names of the given officers."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    q = select(officers.c.id, officers.c.full_name).where(officers.c.id.in_(wanted))
    return {int(r.id): str(r.full_name) for r in conn.execute(q)}


def handover_public(conn: Connection, row: Any) -> HandoverPublic:
    """A handovers row with its dossier ids and both sides' names."""
    ids = sorted(int(d) for d in conn.execute(select(handover_items.c.dossier_id).where(
        handover_items.c.handover_id == row["id"])).scalars())
    names = officer_names(conn, {row["from_officer_id"], row["to_officer_id"]})
    direction = row["direction"]

    def name(officer_id: int | None, desk_side: bool) -> str | None:
        if officer_id is not None:
            return names.get(officer_id)
        return DESK_NAME if desk_side else None

    return HandoverPublic(
        id=row["id"], dossier_ids=ids, from_officer_id=row["from_officer_id"],
        to_officer_id=row["to_officer_id"], created_at=row["created_at"],
        giver_confirmed_at=row["giver_confirmed_at"], receiver_confirmed_at=row["receiver_confirmed_at"],
        note=row["note"], direction=direction, created_by=row["created_by"], unit_id=row["unit_id"],
        reason=row["reason"],
        from_name=name(row["from_officer_id"], direction == HandoverDirection.DESK_TO_OFFICER.value),
        to_name=name(row["to_officer_id"], direction == HandoverDirection.OFFICER_TO_DESK.value),
        pending=row["giver_confirmed_at"] is None or row["receiver_confirmed_at"] is None)


def _visible(conn: Connection, officer: OfficerPublic) -> Any:
    """WHERE clause on handovers: a party to it, or a supervisor of its commune."""
    party = or_(handovers.c.from_officer_id == officer.id, handovers.c.to_officer_id == officer.id,
                handovers.c.created_by == officer.id)
    if is_supervisor(officer):
        scope = unit_scope(conn, officer.unit_ids)
        return or_(party, handovers.c.unit_id.in_(scope)) if scope else party
    return party


def _counterpart(conn: Connection, creator: OfficerPublic, counterpart_id: int) -> OfficerPublic:
    row = conn.execute(select(officers).where(officers.c.id == counterpart_id)).mappings().first()
    if row is None or not row["active"] or counterpart_id == creator.id:
        raise ApiError(422, "validation_error",
                       f"Người nhận/giao {counterpart_id} không hợp lệ (unknown, inactive or yourself)")
    other = officer_public(conn, row)
    if is_supervisor(creator) == is_supervisor(other):
        raise ApiError(422, "validation_error",
                       "Giao nhận phải giữa bộ phận một cửa (cán bộ giám sát) và cán bộ đi hiện trường "
                       "(a handover is between a desk account and a field officer)")
    return other


def _dossier_rows(conn: Connection, creator: OfficerPublic, ids: list[int]) -> list[dict[str, Any]]:
    unique = list(dict.fromkeys(ids))
    hidden = [i for i in unique if not can_see_dossier(conn, creator, i)]
    if hidden:
        raise not_found(f"Không tìm thấy hồ sơ: {', '.join(map(str, hidden))} (dossier not found)")
    rows = conn.execute(select(dossiers).where(dossiers.c.id.in_(unique)).order_by(dossiers.c.id))
    return [dict(r) for r in rows.mappings()]


def _check_statuses(direction: HandoverDirection, rows: list[dict[str, Any]]) -> None:
    for d in rows:
        status = DossierStatus(d["status"])
        bad = (status not in _OUT_STATUSES if direction == HandoverDirection.DESK_TO_OFFICER
               else status in _NOT_IN_STATUSES)
        if bad:
            what = ("chỉ giao hồ sơ đã có kết quả (9) cho cán bộ đi trả"
                    if direction == HandoverDirection.DESK_TO_OFFICER
                    else "không nhận về hồ sơ chưa tiếp nhận (1) hoặc đã trả kết quả (10)")
            raise ApiError(409, "conflict",
                           f"Hồ sơ {d['code']} đang ở trạng thái {status.value} "
                           f"({STATUS_LABELS_VI[status]}): "
                           f"{what} (dossier status does not allow this handover)",
                           dossier_id=d["id"])


def _check_desk_covers(conn: Connection, desk: OfficerPublic, rows: list[dict[str, Any]]) -> None:
    scope = unit_scope(conn, desk.unit_ids)
    outside = [d["code"] for d in rows if d["unit_id"] not in scope]
    if outside:
        raise ApiError(422, "validation_error",
                       f"{desk.full_name} không phụ trách hồ sơ {', '.join(outside)} "
                       "(the desk account does not cover these dossiers)")


def insert_handover(conn: Connection, *, direction: HandoverDirection, dossier_ids: list[int],
                    from_id: int | None, to_id: int | None, created_by: int | None, unit_id: int,
                    note: str | None, giver_at: str | None, receiver_at: str | None,
                    reason: str | None = None) -> int:
    """Write a handover and its items (inside the caller's transaction)."""
    handover_id = int(conn.execute(insert(handovers).values(
        from_officer_id=from_id, to_officer_id=to_id, created_at=now_iso(), giver_confirmed_at=giver_at,
        receiver_confirmed_at=receiver_at, note=note, direction=direction.value, created_by=created_by,
        unit_id=unit_id, reason=reason).returning(handovers.c.id)).scalar_one())
    for dossier_id in dossier_ids:
        conn.execute(insert(handover_items).values(handover_id=handover_id, dossier_id=dossier_id))
    return handover_id


def create_handover(engine: Engine, creator: OfficerPublic, body: HandoverCreate) -> HandoverPublic:
    """Record a handover; the creator's side is confirmed now, the counterpart's is pending."""
    with engine.begin() as conn:
        other = _counterpart(conn, creator, body.counterpart_id)
        rows = _dossier_rows(conn, creator, body.dossier_ids)
        _check_statuses(body.direction, rows)
        desk, field = (creator, other) if is_supervisor(creator) else (other, creator)
        _check_desk_covers(conn, desk, rows)
        if body.direction == HandoverDirection.DESK_TO_OFFICER:
            from_id, to_id = desk.id, field.id
        else:
            from_id, to_id = field.id, desk.id
        at = now_iso()
        creator_gives = creator.id == from_id
        handover_id = insert_handover(
            conn, direction=body.direction, dossier_ids=[d["id"] for d in rows], from_id=from_id,
            to_id=to_id, created_by=creator.id, unit_id=rows[0]["unit_id"], note=body.note,
            giver_at=at if creator_gives else None, receiver_at=None if creator_gives else at)
        row = conn.execute(select(handovers).where(handovers.c.id == handover_id)).mappings().one()
        return handover_public(conn, row)


def confirm_handover(engine: Engine, officer: OfficerPublic, handover_id: int) -> HandoverPublic:
    """The counterpart confirms; repeating it (or the creator confirming) changes nothing."""
    with engine.begin() as conn:
        row = conn.execute(select(handovers).where(handovers.c.id == handover_id, _visible(conn, officer))
                           .with_for_update()).mappings().first()
        if row is None:
            raise not_found(HANDOVER_NOT_FOUND)
        values: dict[str, Any] = {}
        desk_receives = (row["to_officer_id"] is None and is_supervisor(officer)
                         and row["direction"] == HandoverDirection.OFFICER_TO_DESK.value)
        if officer.id == row["to_officer_id"] or desk_receives:
            if row["receiver_confirmed_at"] is None:
                values = {"receiver_confirmed_at": now_iso(), "to_officer_id": officer.id}
        elif officer.id == row["from_officer_id"]:
            if row["giver_confirmed_at"] is None:
                values = {"giver_confirmed_at": now_iso()}
        else:
            raise ApiError(403, "forbidden", "Chỉ người giao hoặc người nhận ghi trong biên bản mới được "
                                             "xác nhận (only the named counterpart may confirm)")
        if values:
            conn.execute(update(handovers).where(handovers.c.id == handover_id).values(**values))
        new = conn.execute(select(handovers).where(handovers.c.id == handover_id)).mappings().one()
        return handover_public(conn, new)


def list_handovers(engine: Engine, officer: OfficerPublic, pending: bool | None,
                   dossier_id: int | None) -> list[HandoverPublic]:
    """Visible handovers, newest first; pending=true: only those awaiting this officer's confirmation."""
    with engine.connect() as conn:
        q = select(handovers).where(_visible(conn, officer))
        if pending:
            mine_to_receive = and_(handovers.c.to_officer_id == officer.id,
                                   handovers.c.receiver_confirmed_at.is_(None))
            mine_to_give = and_(handovers.c.from_officer_id == officer.id,
                                handovers.c.giver_confirmed_at.is_(None))
            desk: ColumnElement[bool] = false()
            if is_supervisor(officer):
                scope = unit_scope(conn, officer.unit_ids)
                desk = and_(handovers.c.to_officer_id.is_(None), handovers.c.receiver_confirmed_at.is_(None),
                            handovers.c.unit_id.in_(scope))
            q = q.where(or_(mine_to_receive, mine_to_give, desk))
        if dossier_id is not None:
            q = q.where(handovers.c.id.in_(select(handover_items.c.handover_id)
                                           .where(handover_items.c.dossier_id == dossier_id)))
        rows = list(conn.execute(q.order_by(handovers.c.id.desc())).mappings())
        return [handover_public(conn, r) for r in rows]


def return_to_desk(conn: Connection, dossier: dict[str, Any], officer_id: int | None, at: str,
                   note: str) -> int:
    """After too many failed deliveries: the officer brings the result back, pending the desk's check."""
    handover_id = insert_handover(
        conn, direction=HandoverDirection.OFFICER_TO_DESK, dossier_ids=[dossier["id"]], from_id=officer_id,
        to_id=None, created_by=None, unit_id=dossier["unit_id"], note=note, giver_at=at, receiver_at=None,
        reason="failed_delivery")
    notify_supervisors(conn, dossier["unit_id"], "returned_to_desk",
                       f"Hồ sơ {dossier['code']}: {note}. Xác nhận nhận lại kết quả tại bộ phận một cửa.",
                       dossier_id=dossier["id"], handover_id=handover_id)
    return handover_id
