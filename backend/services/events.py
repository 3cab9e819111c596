"""Apply pushed client events: idempotent by id + body hash, one transaction per event.

An event's row in `events` is written in the same transaction as its effects, so a crash
between apply and acknowledgement shows up as `duplicate` on the retry. Only applied events
are stored: conflicts (e.g. missing blobs) must be retried later and rejections are
re-derived from the same body, so neither may be remembered.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from api_client.models import ClientEvent, DeviceClock, EventResult, EventStatus, OfficerPublic, VisitStatus
from api_client.models.visits import OPEN_VISIT_STATUSES

from ..config import Settings
from ..db.changes import next_seq
from ..db.schema import events, tombstones, visits
from ..errors import summarize, validation_errors
from . import effects
from .clock import iso, now_iso, now_utc
from .evidence import record_arrival
from .honesty import Probe, record_sample
from .views import visit_public

log = logging.getLogger("doorstep.events")
EVENT_ADAPTER: TypeAdapter[Any] = TypeAdapter(ClientEvent)


class Outcome(Exception):
    """Stops applying an event: the transaction rolls back and this result is returned."""

    def __init__(self, result: EventResult) -> None:
        super().__init__(result.message)
        self.result = result


def rejected(event_id: str, code: int, message: str) -> Outcome:
    """The event can never apply (invalid, not yours, illegal move)."""
    return Outcome(EventResult(id=event_id, status=EventStatus.REJECTED, code=code, message=message))


def conflict(event_id: str, message: str, visit: dict[str, Any] | None = None) -> Outcome:
    """Server state disagrees; the visit's current state is attached when the officer may see it."""
    return Outcome(EventResult(id=event_id, status=EventStatus.CONFLICT, code=409, message=message,
                               visit=visit_public(visit) if visit else None))


def body_hash(raw: Any) -> str:
    """SHA-256 of the canonical JSON of the raw event (sorted keys, no spaces)."""
    text = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _event_key(raw: Any) -> str | None:
    """The event's UUID in canonical form, or None if it has none."""
    try:
        return str(uuid.UUID(str(raw.get("id")))) if isinstance(raw, dict) else None
    except ValueError:
        return None


def _replay(row: Any, digest: str, officer: OfficerPublic, key: str) -> EventResult:
    """What a retry of a stored event gets: duplicate, or a conflict if the id was reused."""
    if row["body_hash"] != digest or row["officer_id"] != officer.id:
        return EventResult(id=key, status=EventStatus.CONFLICT, code=409,
                           message="Mã sự kiện đã dùng cho nội dung khác "
                                   "(event id reused with a different body)")
    first = EventResult.model_validate(row["result"])
    return first.model_copy(update={"status": EventStatus.DUPLICATE, "code": 200})


def _stored(conn: Connection, key: str) -> Any:
    return conn.execute(select(events).where(events.c.id == key)).mappings().first()


def push_events(engine: Engine, settings: Settings, officer: OfficerPublic,
                raw_events: list[dict[str, Any]], device: DeviceClock | None = None) -> list[EventResult]:
    """One result per event, in order; one bad event never blocks the others.

    `device` is the phone's clock reading sent with the batch: stored as this sync's clock sample
    and used to give each event a time by the server's clock.
    """
    probe = Probe(device, now_utc()) if device is not None else None
    if probe is not None:
        with engine.begin() as conn:
            record_sample(conn, officer.id, probe)
    return [apply_event(engine, settings, officer, raw, probe) for raw in raw_events]


def apply_event(engine: Engine, settings: Settings, officer: OfficerPublic, raw: Any,
                probe: Probe | None = None) -> EventResult:
    """Validate and apply one raw event in its own transaction."""
    key = _event_key(raw)
    shown_id = key or str(raw.get("id", "") if isinstance(raw, dict) else "")
    digest = body_hash(raw)
    if key is not None:
        with engine.connect() as conn:
            row = _stored(conn, key)
        if row is not None:
            return _replay(row, digest, officer, key)
    try:
        event = EVENT_ADAPTER.validate_python(raw)
    except ValidationError as exc:
        return EventResult(id=shown_id, status=EventStatus.REJECTED, code=422,
                           message=summarize(validation_errors(exc.errors())))
    key = str(event.id)
    # the seal is judged and kept whatever becomes of the event, so the device's chain has no
    # holes where an event was refused or must be retried (the seal never blocks the event)
    record_arrival(engine, officer, raw, event, probe)
    try:
        with engine.begin() as conn:
            seq = next_seq(conn)  # takes the counter lock first: serialises writers
            row = _stored(conn, key)
            if row is not None:
                raise Outcome(_replay(row, digest, officer, key))
            result = _apply(conn, settings, officer, event, seq)
            conn.execute(insert(events).values(
                id=key, officer_id=officer.id, type=event.type, visit_id=event.visit_id,
                body_hash=digest, occurred_at=iso(event.occurred_at), received_at=now_iso(),
                status=EventStatus.APPLIED.value, result=result.model_dump(mode="json")))
            return result
    except Outcome as stop:
        return stop.result
    except IntegrityError:
        # the same id committed concurrently by another request: answer as a retry would
        with engine.connect() as conn:
            row = _stored(conn, key)
        if row is not None:
            return _replay(row, digest, officer, key)
        log.exception("integrity error applying event %s", key)
        return EventResult(id=key, status=EventStatus.CONFLICT, code=409,
                           message="Lỗi dữ liệu tạm thời, sẽ gửi lại (temporary server error, retry)")


def _apply(conn: Connection, settings: Settings, officer: OfficerPublic, event: Any,
           seq: int) -> EventResult:
    key = str(event.id)
    visit = conn.execute(select(visits).where(visits.c.id == event.visit_id).with_for_update()
                         ).mappings().first()
    if visit is None or visit["assignee_id"] != officer.id:
        lost = visit is not None and conn.execute(select(tombstones.c.reason).where(
            tombstones.c.officer_id == officer.id, tombstones.c.entity == "visit",
            tombstones.c.entity_id == event.visit_id)).first()
        if lost:
            raise conflict(key, "Lượt đi đã được giao cho cán bộ khác hoặc đã hủy "
                                "(visit reassigned to another officer or cancelled)")
        raise rejected(key, 404, "Không tìm thấy lượt đi của bạn (visit not found)")
    status = VisitStatus(visit["status"])
    if status not in OPEN_VISIT_STATUSES:
        what = {VisitStatus.CANCELLED: "đã bị hủy (cancelled)",
                VisitStatus.COMPLETED: "đã hoàn thành (completed)",
                VisitStatus.FAILED: "đã ghi nhận không thành công (failed)"}[status]
        raise conflict(key, f"Lượt đi {what}", dict(visit))
    missing = effects.missing_blobs_of(conn, event)
    if missing:
        raise conflict(key, "missing_blobs", dict(visit))
    try:
        new_visit, new_dossier = effects.apply(conn, settings, officer, event, dict(visit), seq)
    except effects.RuleBroken as exc:
        raise rejected(key, 422, str(exc)) from exc
    return EventResult(id=key, status=EventStatus.APPLIED, code=200, visit=new_visit, dossier=new_dossier,
                       message=effects.delivery_warning(new_visit))
