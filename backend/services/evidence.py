"""Evidence seals: register device keys, check each event's seal on arrival, re-check stored history.

Events are never refused for their seal (no officer's work is lost): a bad or missing seal is
stored as flags next to the event and shown to supervisors. `recheck` recomputes every flag
from the stored rows and the visits they produced, so a row changed in the database later is
found by `doorstep verify` and by the supervisor's dossier view.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from api_client.domain import evidence as ev
from api_client.models import (
    DeliveryPayload,
    DeviceKeyCreate,
    DeviceKeyPublic,
    EvidenceCheck,
    FailedPayload,
    HandoverCreate,
    OfficerPublic,
    PickupPayload,
    SupplementPayload,
)

from ..db.schema import device_keys, dossiers, event_evidence, visits
from ..errors import ApiError
from . import honesty
from .clock import now_iso
from .honesty import Probe
from .views import Row

# The payload model of each event type whose payload the visit keeps (visits.evidence[type]).
PAYLOADS: dict[str, type[BaseModel]] = {
    "visit.pickup_completed": PickupPayload,
    "visit.supplement_requested": SupplementPayload,
    "visit.failed": FailedPayload,
    "visit.delivery_completed": DeliveryPayload,
}


def _key_public(row: Row) -> DeviceKeyPublic:
    return DeviceKeyPublic.model_validate(dict(row))


def register_device_key(engine: Engine, officer: OfficerPublic, body: DeviceKeyCreate) -> DeviceKeyPublic:
    """Register the phone's public key; repeating the same registration is harmless."""
    with engine.begin() as conn:
        row = conn.execute(select(device_keys).where(
            device_keys.c.device_id == body.device_id)).mappings().first()
        if row is None:
            try:
                with conn.begin_nested():
                    conn.execute(insert(device_keys).values(
                        device_id=body.device_id, officer_id=officer.id, public_key=body.public_key,
                        registered_at=now_iso()))
            except IntegrityError:
                pass  # registered concurrently: compare below
            row = conn.execute(select(device_keys).where(device_keys.c.device_id == body.device_id)
                               ).mappings().one()
    if row["officer_id"] != officer.id or row["public_key"] != body.public_key:
        # a key is never replaced: that would let a thief re-sign history under the old id
        raise ApiError(409, "device_key_taken",
                       "Mã thiết bị đã đăng ký với khóa khác; hãy đăng xuất rồi đăng nhập lại")
    return _key_public(row)


def _public_key(conn: Connection, device_id: str, officer_id: int) -> str | None:
    """The device's registered, unrevoked key when it belongs to this officer."""
    row = conn.execute(select(device_keys.c.public_key).where(
        device_keys.c.device_id == device_id, device_keys.c.officer_id == officer_id,
        device_keys.c.revoked_at.is_(None))).first()
    return str(row[0]) if row else None


def _digest_at(conn: Connection, device_id: str, seq: int) -> str | None:
    row = conn.execute(select(event_evidence.c.digest).where(
        event_evidence.c.device_id == device_id, event_evidence.c.seq == seq).limit(1)).first()
    return str(row[0]) if row else None


def _same_seq(conn: Connection, device_id: str, seq: int, event_id: str) -> list[Row]:
    return list(conn.execute(select(event_evidence).where(
        event_evidence.c.device_id == device_id, event_evidence.c.seq == seq,
        event_evidence.c.event_id != event_id)).mappings())


def _set_flags(conn: Connection, event_id: str, flags: list[str]) -> None:
    flags = list(dict.fromkeys(flags))
    conn.execute(update(event_evidence).where(event_evidence.c.event_id == event_id).values(
        flags=flags, status=ev.status_of(flags)))


def record_arrival(engine: Engine, officer: OfficerPublic, raw: Mapping[str, Any], event: Any,
                   probe: Probe | None = None) -> None:
    """Check a validated event's seal, chain, clock and location, and store them once (first arrival wins)."""
    key = str(event.id)
    block = event.evidence
    try:
        with engine.begin() as conn:
            seen = select(event_evidence.c.event_id).where(event_evidence.c.event_id == key)
            if conn.execute(seen).first():
                return
            values: dict[str, Any] = {"event_id": key, "officer_id": officer.id, "type": event.type,
                                      "visit_id": event.visit_id, "received_at": now_iso()}
            if block is None:
                flags = ["unsigned"]
            else:
                flags = ev.seal_problems(raw, _public_key(conn, block.device_id, officer.id))
                twins = _same_seq(conn, block.device_id, block.seq, key)
                before = _digest_at(conn, block.device_id, block.seq - 1)
                flags += ev.chain_problems(block.seq, block.prev, before, [t["digest"] for t in twins],
                                           block.digest)
                material = ev.material_of_event(raw)
                values |= {"device_id": block.device_id, "seq": block.seq, "prev": block.prev,
                           "digest": block.digest, "sig": block.sig,
                           "material": ev.canonical_bytes(material).decode(),
                           "device_time": material["device_time"], "monotonic_ms": block.monotonic_ms}
                for twin in twins:  # both sides of a fork are suspect
                    if twin["digest"] != block.digest:
                        _set_flags(conn, twin["event_id"], [*twin["flags"], "fork"])
                _relink_successor(conn, block.device_id, block.seq + 1, block.digest)
            flags = list(dict.fromkeys(flags))
            anchored_at, how = honesty.anchor(block, probe)
            values |= {"anchored_at": anchored_at, "anchor": how, **honesty.location_values(dict(raw))}
            values["honesty"] = honesty.flags_for(conn, officer.id, key, values, block)
            conn.execute(insert(event_evidence).values(**values, flags=flags, status=ev.status_of(flags)))
    except IntegrityError:
        return  # the same event stored concurrently by a retry: its row stands


def record_handover(engine: Engine, officer: OfficerPublic, body: HandoverCreate) -> None:
    """Keep a phone's seal over a handover it recorded (desk handovers carry none: nothing to keep)."""
    if body.evidence is None or body.seal_id is None:
        return
    raw = ev.handover_event(body.model_dump(mode="json"))
    record_arrival(engine, officer, raw,
                   SimpleNamespace(id=body.seal_id, type=ev.HANDOVER, visit_id=None, evidence=body.evidence))


def _relink_successor(conn: Connection, device_id: str, seq: int, digest: str) -> None:
    """A late predecessor fills a gap: its successor is re-judged against it."""
    for row in conn.execute(select(event_evidence).where(
            event_evidence.c.device_id == device_id, event_evidence.c.seq == seq)).mappings():
        flags = [f for f in row["flags"] if f != "gap"]
        if row["prev"] != digest:
            flags.append("chain_mismatch")
        _set_flags(conn, row["event_id"], flags)


def _record_problems(conn: Connection, row: Row, material: Mapping[str, Any]) -> list[str]:
    """Does the visit still hold what was signed? ('record_mismatch' when not)."""
    model = PAYLOADS.get(row["type"])
    if model is None or row["visit_id"] is None:
        return []
    stored = conn.execute(select(visits.c.evidence).where(visits.c.id == row["visit_id"])).first()
    entry = ((stored[0] if stored else None) or {}).get(row["type"])
    if not isinstance(entry, dict) or entry.get("event_id") != row["event_id"]:
        return []  # this event did not produce the visit's record (not applied, or superseded)
    payload = {k: entry[k] for k in model.model_fields if k in entry}
    expected = ev.material(row["event_id"], row["type"], row["visit_id"], entry.get("occurred_at"), payload,
                           material.get("device_time"), int(material.get("monotonic_ms") or 0),
                           material.get("boot"))
    return [] if ev.canonical_bytes(expected) == ev.canonical_bytes(dict(material)) else ["record_mismatch"]


def _recheck_row(conn: Connection, row: Row) -> list[str]:
    """Every flag of one stored event, recomputed from the database alone."""
    if row["device_id"] is None:
        return ["unsigned"]
    flags: list[str] = []
    try:
        material = json.loads(row["material"] or "")
    except ValueError:
        material = None
    if not isinstance(material, dict):
        return ["digest_mismatch"]
    if ev.chain_digest(row["device_id"], int(row["seq"] or 0), str(row["prev"]), material) != row["digest"]:
        flags.append("digest_mismatch")
    key = conn.execute(select(device_keys.c.public_key).where(
        device_keys.c.device_id == row["device_id"], device_keys.c.officer_id == row["officer_id"])).first()
    if key is None:
        flags.append("unknown_device")
    elif not ev.signature_valid(str(key[0]), str(row["digest"]), str(row["sig"])):
        flags.append("bad_signature")
    seq = int(row["seq"] or 0)
    twins = _same_seq(conn, row["device_id"], seq, row["event_id"])
    flags += ev.chain_problems(seq, str(row["prev"]), _digest_at(conn, row["device_id"], seq - 1),
                               [t["digest"] for t in twins], str(row["digest"]))
    if material.get("event_id") != row["event_id"] or material.get("type") != row["type"] \
            or material.get("visit_id") != row["visit_id"]:
        flags.append("record_mismatch")
    flags += _record_problems(conn, row, material)
    return list(dict.fromkeys(flags))


def _check(row: Row, flags: list[str]) -> EvidenceCheck:
    return EvidenceCheck(event_id=row["event_id"], type=row["type"], visit_id=row["visit_id"],
                         status=ev.status_of(flags), flags=flags, reason=ev.reason_text(flags),
                         device_id=row["device_id"], seq=row["seq"], received_at=row["received_at"])


def recheck(conn: Connection, rows: Iterable[Row]) -> list[EvidenceCheck]:
    """Re-verify stored events (seal, signature, chain, and the visit records they produced)."""
    return [_check(r, _recheck_row(conn, r)) for r in rows]


def _missing_records(conn: Connection, visit_ids: list[int], known: set[str]) -> list[EvidenceCheck]:
    """Visit records of events whose evidence row is gone (deleted from the database)."""
    out = []
    query = select(visits.c.id, visits.c.evidence).where(visits.c.id.in_(visit_ids))
    for visit_id, stored in conn.execute(query):
        for event_type, entry in sorted((stored or {}).items()):
            if event_type in PAYLOADS and isinstance(entry, dict) and entry.get("event_id") \
                    and entry["event_id"] not in known:
                flags = ["missing_record"]
                out.append(EvidenceCheck(
                    event_id=entry["event_id"], type=event_type, visit_id=visit_id,
                    status=ev.status_of(flags), flags=flags, reason=ev.reason_text(flags)))
    return out


def dossier_checks(conn: Connection, dossier_id: int) -> list[EvidenceCheck]:
    """Integrity of every event recorded on the dossier's visits, recomputed now, oldest first."""
    query = select(visits.c.id).where(visits.c.dossier_id == dossier_id)
    visit_ids = [int(v) for v in conn.execute(query).scalars()]
    if not visit_ids:
        return []
    rows = list(conn.execute(select(event_evidence).where(event_evidence.c.visit_id.in_(visit_ids))
                             .order_by(event_evidence.c.received_at, event_evidence.c.event_id)).mappings())
    return recheck(conn, rows) + _missing_records(conn, visit_ids, {r["event_id"] for r in rows})


def dossier_id_by_code(conn: Connection, code: str) -> int | None:
    """A dossier's id from its code, or None."""
    row = conn.execute(select(dossiers.c.id).where(dossiers.c.code == code)).first()
    return int(row[0]) if row else None


def device_checks(conn: Connection, device_id: str) -> list[EvidenceCheck]:
    """Integrity of a device's whole chain, in chain order; a missing seq is reported as a gap."""
    rows = list(conn.execute(select(event_evidence).where(event_evidence.c.device_id == device_id)
                             .order_by(event_evidence.c.seq, event_evidence.c.received_at)).mappings())
    return recheck(conn, rows)
