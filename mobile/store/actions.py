"""Record an officer's action: local change + outbox event + blob queue rows, all or nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

import sqlite_utils
from pydantic import BaseModel, TypeAdapter

from api_client.domain.clock import now_utc
from api_client.models import ClientEvent

from .blobs import StagedBlob, queue_staged, stage_blob
from .db import transaction
from .device_key import seal_event
from .drafts import delete_draft
from .outbox import enqueue, referenced_blobs
from .overrides import default_patches, set_override

AUTO: Literal["auto"] = "auto"
BlobInput = bytes | tuple[bytes, str] | StagedBlob
_EVENT = TypeAdapter(ClientEvent)


class MissingBlobError(ValueError):
    """The event points at a photo the store does not hold: it could never be applied."""


def normalise_event(event: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """Validate an event (model or dict; a dict without `id` gets a new UUID) and return its wire form."""
    if isinstance(event, BaseModel):
        raw: Any = event.model_dump(mode="json")
    else:
        raw = dict(event)
        raw.setdefault("id", str(uuid.uuid4()))
    # Validating here keeps invalid actions out of the outbox, where they could only die.
    model = _EVENT.validate_python(raw)
    body: dict[str, Any] = model.model_dump(mode="json")
    # fields added in issue 9 are left out when unset, so a server older than them accepts the event
    if body.get("evidence") is None:
        body.pop("evidence", None)
    fix = ((body.get("payload") or {}).get("gps") or {}).get("fix")
    if isinstance(fix, dict) and fix.get("mocked") is None:
        fix.pop("mocked", None)
    return body


def record_action(
    db: sqlite_utils.Database,
    event: BaseModel | Mapping[str, Any],
    *,
    local_visit_update: Mapping[str, Any] | None | Literal["auto"] = AUTO,
    local_dossier_update: Mapping[str, Any] | None | Literal["auto"] = AUTO,
    blobs: Iterable[BlobInput] = (),
    clear_draft: bool = True,
    clock: Callable[[], datetime] = now_utc,
) -> str:
    """Record one action atomically and return its event id.

    In one transaction: the visit's optimistic local state (`local_visit_update`, by default
    what the event type implies, None for no change), the dossier's (likewise), the blob
    queue rows, the outbox row and (with `clear_draft`) the removal of the visit's draft.
    Blob bytes (`bytes`, `(bytes, mime)` or already staged) are written and fsynced to
    files before the transaction starts, so a committed row never points at lost bytes.
    The event is sealed with the device's evidence key (`clock` gives the device time).
    """
    body = normalise_event(event)
    staged = [b if isinstance(b, StagedBlob)
              else stage_blob(db, *(b if isinstance(b, tuple) else (b,))) for b in blobs]
    visit_id = int(body["visit_id"])
    auto_visit, auto_dossier = default_patches(body)
    visit_patch = auto_visit if local_visit_update == AUTO else local_visit_update
    dossier_patch = auto_dossier if local_dossier_update == AUTO else local_dossier_update
    with transaction(db):
        given = {s.sha256 for s in staged}
        known = {r["sha256"] for r in db.query("SELECT sha256 FROM blobs")}
        missing = [sha for sha in referenced_blobs(body) if sha not in given | known]
        if missing:
            raise MissingBlobError(f"Ảnh chưa được lưu trên máy: {', '.join(s[:12] for s in missing)}")
        if visit_patch is not None or dossier_patch is not None:
            rows = list(db.query("SELECT dossier_id FROM visits WHERE id = ?", [visit_id]))
            dossier_id = rows[0]["dossier_id"] if rows else None
            set_override(db, visit_id, body["id"], dict(visit_patch or {}), dossier_id,
                         dict(dossier_patch) if dossier_patch else None)
        for blob in staged:
            queue_staged(db, blob)
        body = seal_event(db, body, clock())  # the chain advances only if the row commits
        event_id = enqueue(db, body)
        if clear_draft:
            delete_draft(db, visit_id)
    return event_id
