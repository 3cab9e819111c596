"""Builders of raw client events (dicts as the phone pushes them) for the API tests."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from api_client.domain.clock import now_utc
from api_client.domain.signature import encode_strokes


def now() -> str:
    """Now as ISO UTC."""
    return now_utc().isoformat()


def signature() -> dict[str, Any]:
    """A plausible 2-stroke signature."""
    s1 = [(10 + i * 3, 40 + (i % 7) * 2) for i in range(40)]
    s2 = [(30 + i * 2, 80 - i) for i in range(30)]
    return {"width": 400, "height": 200, "strokes": encode_strokes([s1, s2]), "signer_name": "Nguyễn Văn An"}


def gps() -> dict[str, Any]:
    """A good fix near the household."""
    return {"fix": {"lat": 10.871, "lon": 105.087, "accuracy_m": 8.0, "device_time": now()}}


def photo(data: bytes, document_code: str | None) -> dict[str, Any]:
    """A PhotoRef for these bytes."""
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "mime": "image/jpeg",
            "document_code": document_code}


def event(type_: str, visit_id: int, payload: dict[str, Any], occurred_at: str | None = None,
          event_id: str | None = None) -> dict[str, Any]:
    """A raw event with a fresh UUID."""
    return {"id": event_id or str(uuid.uuid4()), "type": type_, "visit_id": visit_id,
            "occurred_at": occurred_at or now(), "payload": payload}


def pickup(visit_id: int, id_number: str, full_name: str = "Nguyễn Văn An",
           photos: list[dict[str, Any]] | None = None, occurred_at: str | None = None,
           checklist: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """visit.pickup_completed for a khai_sinh dossier."""
    payload = {
        "citizen": {"id_number": id_number, "full_name": full_name, "phone": "0987654321"},
        "checklist": checklist if checklist is not None else [
            {"code": "to_khai", "present": True}, {"code": "giay_chung_sinh", "present": True},
            {"code": "cccd_cha_me", "present": True}],
        "photos": photos or [],
        "signature": signature(), "gps": gps(), "catalogue_version": 1, **extra,
    }
    return event("visit.pickup_completed", visit_id, payload, occurred_at)


def en_route(visit_id: int) -> dict[str, Any]:
    """visit.en_route."""
    return event("visit.en_route", visit_id, {})


def failed(visit_id: int, proposed_date: str | None = None) -> dict[str, Any]:
    """visit.failed: nobody home."""
    payload: dict[str, Any] = {"reason": "nobody_home", "note": "Nhà đóng cửa"}
    if proposed_date:
        payload["proposed_date"] = proposed_date
    return event("visit.failed", visit_id, payload)


def supplement(visit_id: int) -> dict[str, Any]:
    """visit.supplement_requested: birth certificate missing."""
    return event("visit.supplement_requested", visit_id,
                 {"missing": ["giay_chung_sinh"], "note": "Thiếu giấy chứng sinh"})


def delivery(visit_id: int, receipt_code: str, id_number: str, full_name: str = "Trần Thị Bình",
             **extra: Any) -> dict[str, Any]:
    """visit.delivery_completed to the applicant."""
    payload = {"recipient": {"kind": "applicant", "full_name": full_name, "id_number": id_number},
               "receipt_code": receipt_code, "signature": signature(), "gps": gps(), **extra}
    return event("visit.delivery_completed", visit_id, payload)
