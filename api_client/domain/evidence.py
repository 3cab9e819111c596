"""Tamper-evident evidence: the canonical bytes, digest, hash chain and Ed25519 signature of an event.

The phone seals every event it records; the server checks the seal on arrival and `doorstep
verify` re-checks stored history. Both import this one module, so they cannot disagree on
what was signed.

What is signed: the *material* of an event — its id, type, visit, time, the SHA-256 of every
photo, the signature strokes, the GPS fix, the device's wall and monotonic times, and the
SHA-256 of the whole payload — plus the device id, the device's event counter (`seq`) and the
previous event's digest from the same device (`prev`). The digest of all of that is the chain
link, so each digest commits to the device's whole history; the Ed25519 signature covers it.

Canonical encoding: JSON with sorted keys, no spaces, UTF-8; numbers that could round-trip
differently (coordinates, accuracy) are fixed-point integers and times are normalised to UTC
with microseconds, so a pydantic re-validation on either side never changes the bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VERSION = 1
GENESIS = "0" * 64  # `prev` of a device's first event
SIGN_CONTEXT = b"doorstep-evidence-v1:"  # domain separation: these bytes are never signed elsewhere

# Per-event integrity flags (stored by the server, shown to supervisors). Vietnamese for the UI.
VERIFIED = "verified"
REASONS: dict[str, str] = {
    VERIFIED: "Bằng chứng đã xác minh",
    "unsigned": "Không có chữ ký số (ứng dụng cũ)",
    "unknown_device": "Thiết bị chưa đăng ký khóa với máy chủ",
    "digest_mismatch": "Nội dung bằng chứng đã bị thay đổi sau khi ký",
    "bad_signature": "Chữ ký số không hợp lệ",
    "gap": "Thiếu sự kiện trước đó trong chuỗi của thiết bị",
    "fork": "Chuỗi bằng chứng bị rẽ nhánh (hai sự kiện cùng vị trí)",
    "chain_mismatch": "Không khớp với sự kiện trước đó của thiết bị",
    "record_mismatch": "Dữ liệu lưu trên máy chủ khác với bằng chứng đã ký",
    "missing_record": "Không tìm thấy bản ghi bằng chứng trên máy chủ",
}


def canonical_bytes(value: Any) -> bytes:
    """The one byte encoding both sides sign and hash: sorted-key, space-free UTF-8 JSON."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


def canonical_time(value: Any) -> str | None:
    """An ISO time (str or datetime) as UTC with microseconds and a Z; None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _fixed(value: Any, scale: int) -> int | None:
    """A float as a fixed-point integer (floats never enter the signed bytes)."""
    return None if value is None else round(float(value) * scale)


def canonical_fix(fix: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A GPS fix to 1e-7 degree (~1 cm) and 1 cm of accuracy, its device time, its mock flag."""
    if not fix:
        return None
    return {"lat_e7": _fixed(fix.get("lat"), 10_000_000), "lon_e7": _fixed(fix.get("lon"), 10_000_000),
            "acc_cm": _fixed(fix.get("accuracy_m"), 100), "time": canonical_time(fix.get("device_time")),
            "mocked": bool(fix.get("mocked") or False)}


def _without_none(value: Any) -> Any:
    """Drop keys whose value is None, at every depth: an absent optional field and a null are the same
    fact, and a newer model that adds one must not change the hash of an older phone's payload."""
    if isinstance(value, Mapping):
        return {str(k): _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def photo_shas(payload: Mapping[str, Any]) -> list[str]:
    """Every blob SHA-256 the payload points at (photos and an authorisation paper), sorted."""
    shas = {str(p.get("sha256", "")).lower() for p in payload.get("photos") or [] if isinstance(p, Mapping)}
    recipient = payload.get("recipient") or {}
    if isinstance(recipient, Mapping) and recipient.get("authorisation_photo"):
        shas.add(str(recipient["authorisation_photo"]).lower())
    return sorted(s for s in shas if s)


def material(event_id: str, event_type: str, visit_id: int | None, occurred_at: Any,
             payload: Mapping[str, Any], device_time: Any, monotonic_ms: int,
             boot: str | None = None) -> dict[str, Any]:
    """What one event's evidence is, in canonical form (see the module docstring)."""
    signature = payload.get("signature") if isinstance(payload.get("signature"), Mapping) else None
    gps = payload.get("gps") if isinstance(payload.get("gps"), Mapping) else None
    return {
        "event_id": str(event_id).lower(),
        "type": event_type,
        "visit_id": visit_id,
        "occurred_at": canonical_time(occurred_at),
        "photos": photo_shas(payload),
        "signature": None if signature is None else {
            "strokes": signature.get("strokes"), "width": signature.get("width"),
            "height": signature.get("height")},
        "gps": canonical_fix(gps.get("fix") if gps else None),
        "device_time": canonical_time(device_time),
        "monotonic_ms": int(monotonic_ms),
        "boot": boot or None,  # which run of the monotonic clock (it restarts at every reboot)
        "payload_sha256": sha256_hex(canonical_bytes(_without_none(payload))),
    }


def material_of_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """The material of a wire event (the dict pushed), using its evidence block's times."""
    block = event.get("evidence") or {}
    return material(str(event.get("id")), str(event.get("type")), event.get("visit_id"),
                    event.get("occurred_at"), event.get("payload") or {}, block.get("device_time"),
                    int(block.get("monotonic_ms") or 0), block.get("boot"))


HANDOVER = "handover.created"  # a handover recorded online: sealed into the same chain
HANDOVER_FIELDS = ("direction", "dossier_ids", "counterpart_id", "note")


def handover_event(body: Mapping[str, Any], device_time: Any = None) -> dict[str, Any]:
    """A handover request (`HandoverCreate` as JSON) as the event its seal covers.

    Its id is the request's `seal_id`, its time the seal's device time.
    """
    block = body.get("evidence") or {}
    return {"id": str(body.get("seal_id")), "type": HANDOVER, "visit_id": None,
            "occurred_at": device_time if device_time is not None else block.get("device_time"),
            "payload": {k: body.get(k) for k in HANDOVER_FIELDS}, "evidence": body.get("evidence")}


def chain_digest(device_id: str, seq: int, prev: str, mat: Mapping[str, Any]) -> str:
    """The chain link: SHA-256 over version, device, counter, previous digest and material."""
    return sha256_hex(canonical_bytes({"v": VERSION, "device_id": device_id, "seq": int(seq),
                                       "prev": prev, "material": dict(mat)}))


def new_private_key() -> Ed25519PrivateKey:
    """A fresh device key pair (the phone makes one at first login)."""
    return Ed25519PrivateKey.generate()


def private_bytes(key: Ed25519PrivateKey) -> bytes:
    """The 32 raw bytes of a private key (what the phone's store keeps, encrypted)."""
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def load_private(raw: bytes) -> Ed25519PrivateKey:
    """A private key from its 32 raw bytes."""
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_b64(key: Ed25519PrivateKey) -> str:
    """The public half as standard base64 of its 32 raw bytes (what the server registers)."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def sign_digest(key: Ed25519PrivateKey, digest: str) -> str:
    """Base64 Ed25519 signature of a chain digest."""
    return base64.b64encode(key.sign(SIGN_CONTEXT + digest.encode())).decode()


def signature_valid(public_key_b64: str, digest: str, signature_b64: str) -> bool:
    """True when the signature is the registered key's over this digest (never raises)."""
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        public.verify(base64.b64decode(signature_b64, validate=True), SIGN_CONTEXT + digest.encode())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def seal(event: Mapping[str, Any], key: Ed25519PrivateKey, device_id: str, seq: int, prev: str,
         device_time: datetime, monotonic_ms: int, boot: str | None = None) -> dict[str, Any]:
    """The event's `evidence` block: the device's signed chain link over the event's material."""
    block: dict[str, Any] = {"v": VERSION, "device_id": device_id, "seq": int(seq), "prev": prev,
                             "device_time": canonical_time(device_time), "monotonic_ms": int(monotonic_ms)}
    if boot:
        block["boot"] = boot
    digest = chain_digest(device_id, seq, prev, material_of_event({**event, "evidence": block}))
    return {**block, "digest": digest, "sig": sign_digest(key, digest)}


def seal_problems(event: Mapping[str, Any], public_key_b64: str | None) -> list[str]:
    """Flags about an event's own seal: 'unsigned', 'unknown_device', 'digest_mismatch', 'bad_signature'.

    The chain (gap, fork, mismatch with the predecessor) needs the stored history and is
    checked by the caller with `chain_problems`.
    """
    block = event.get("evidence")
    if not isinstance(block, Mapping):
        return ["unsigned"]
    problems = []
    digest = chain_digest(str(block.get("device_id")), int(block.get("seq") or 0), str(block.get("prev")),
                          material_of_event(event))
    if digest != block.get("digest"):
        problems.append("digest_mismatch")
    if public_key_b64 is None:
        problems.append("unknown_device")
    elif not signature_valid(public_key_b64, str(block.get("digest")), str(block.get("sig"))):
        problems.append("bad_signature")
    return problems


def chain_problems(seq: int, prev: str, predecessor_digest: str | None,
                   same_seq_digests: list[str], digest: str) -> list[str]:
    """Flags about a link's place in its device's chain.

    `predecessor_digest` is the stored digest of the device's event seq-1 (None when not
    received); `same_seq_digests` are digests of *other* stored events claiming the same seq.
    """
    problems = []
    if any(d != digest for d in same_seq_digests):
        problems.append("fork")
    if seq == 1:
        if prev != GENESIS:
            problems.append("chain_mismatch")
    elif predecessor_digest is None:
        problems.append("gap")
    elif predecessor_digest != prev:
        problems.append("chain_mismatch")
    return problems


def status_of(flags: list[str]) -> str:
    """'verified' when there is no flag, else the first flag (the most telling reason)."""
    return flags[0] if flags else VERIFIED


def reason_text(flags: list[str]) -> str:
    """The Vietnamese line a supervisor reads for these flags."""
    if not flags:
        return REASONS[VERIFIED]
    return "; ".join(REASONS.get(f, f) for f in flags)
