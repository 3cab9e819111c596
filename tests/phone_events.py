"""Valid client events for tests (phone side): what the UI will build from an officer's input."""

from __future__ import annotations

import uuid
from typing import Any

from api_client.domain.clock import now_utc
from api_client.domain.signature import encode_strokes

SIGNATURE = {"width": 300, "height": 120, "signer_name": "Nguyễn Văn An",
             "strokes": encode_strokes([[(10 + 12 * i, 40 + (i % 3) * 9) for i in range(12)]])}


def _now() -> str:
    return now_utc().isoformat()


def _gps() -> dict[str, Any]:
    return {"fix": {"lat": 10.871, "lon": 105.087, "accuracy_m": 8.0, "device_time": _now()}}


def en_route(visit_id: int) -> dict[str, Any]:
    """The officer set off."""
    return {"id": str(uuid.uuid4()), "type": "visit.en_route", "visit_id": visit_id, "occurred_at": _now()}


def pickup(visit_id: int, citizen_id_number: str, photos: list[dict[str, Any]] | None = None,
           full_name: str = "Nguyễn Văn An") -> dict[str, Any]:
    """A complete birth-registration pickup (catalogue v1 documents)."""
    return {
        "id": str(uuid.uuid4()), "type": "visit.pickup_completed", "visit_id": visit_id,
        "occurred_at": _now(),
        "payload": {
            "citizen": {"id_number": citizen_id_number, "full_name": full_name},
            "checklist": [{"code": "to_khai", "present": True}, {"code": "giay_chung_sinh", "present": True}],
            "photos": photos or [],
            "signature": SIGNATURE,
            "gps": _gps(),
            "catalogue_version": 1,
        },
    }


def failed(visit_id: int, reason: str = "nobody_home") -> dict[str, Any]:
    """Nobody home: come back another day."""
    return {"id": str(uuid.uuid4()), "type": "visit.failed", "visit_id": visit_id, "occurred_at": _now(),
            "payload": {"reason": reason, "note": "Gọi không nghe máy"}}


def photo_ref(sha: str, size: int, document_code: str) -> dict[str, Any]:
    """A PhotoRef for a stored blob."""
    return {"sha256": sha, "size": size, "mime": "image/jpeg", "document_code": document_code}
