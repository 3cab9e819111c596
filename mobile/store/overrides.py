"""Optimistic local state: what a visit (and its dossier) look like after an unconfirmed action.

One row per visit, laid over the cached server copy by the cache readers until the server
answers for the action (applied, conflict or rejected): then the cache holds the truth and
the row goes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from .db import now_iso

_VISIT_STATUS_AFTER = {
    "visit.en_route": "en_route",
    "visit.pickup_completed": "completed",
    "visit.supplement_requested": "completed",
    "visit.failed": "failed",
    "visit.delivery_completed": "completed",
}
_DOSSIER_STATUS_AFTER = {
    "visit.pickup_completed": 2,
    "visit.supplement_requested": 5,
    "visit.delivery_completed": 10,
}


def default_patches(event: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The visit and dossier fields an event is expected to change (the server's rules, in short)."""
    kind = event["type"]
    at = event.get("occurred_at")
    visit: dict[str, Any] = {"status": _VISIT_STATUS_AFTER[kind]}
    if visit["status"] == "completed":
        visit["completed_at"] = at
    if kind == "visit.failed":
        payload = event.get("payload", {})
        visit.update(failure_reason=payload.get("reason"), failure_note=payload.get("note"),
                     proposed_date=payload.get("proposed_date"))
    dossier: dict[str, Any] | None = None
    if kind in _DOSSIER_STATUS_AFTER:
        dossier = {"status": _DOSSIER_STATUS_AFTER[kind]}
        if kind == "visit.pickup_completed":
            dossier["received_at"] = at
        elif kind == "visit.delivery_completed":
            dossier["returned_at"] = at
    return visit, dossier


def set_override(db: sqlite_utils.Database, visit_id: int, event_id: str, visit_patch: dict[str, Any],
                 dossier_id: int | None = None, dossier_patch: dict[str, Any] | None = None) -> None:
    """Lay `visit_patch` (and `dossier_patch`) over the cached visit, merged onto earlier ones."""
    rows = list(db.query("SELECT dossier_id, dec(visit_patch) AS visit_patch,"
                         " dec(dossier_patch) AS dossier_patch FROM visit_overrides WHERE visit_id = ?",
                         [visit_id]))
    if rows:
        old = rows[0]
        visit_patch = {**json.loads(old["visit_patch"]), **visit_patch}
        if old["dossier_patch"]:
            dossier_patch = {**json.loads(old["dossier_patch"]), **(dossier_patch or {})}
        dossier_id = dossier_id if dossier_id is not None else old["dossier_id"]
    db.execute(
        "INSERT OR REPLACE INTO visit_overrides (visit_id, event_id, dossier_id, visit_patch,"
        " dossier_patch, created_at) VALUES (?,?,?,enc(?),enc(?),?)",
        [visit_id, event_id, dossier_id, json.dumps(visit_patch, ensure_ascii=False),
         json.dumps(dossier_patch, ensure_ascii=False) if dossier_patch else None, now_iso()])


def clear_override(db: sqlite_utils.Database, event_id: str) -> None:
    """Drop the override whose latest action is this event (the server has answered for it)."""
    db.execute("DELETE FROM visit_overrides WHERE event_id = ?", [event_id])


def clear_visit_override(db: sqlite_utils.Database, visit_id: int) -> None:
    """Drop any override of a visit (e.g. the visit was taken away)."""
    db.execute("DELETE FROM visit_overrides WHERE visit_id = ?", [visit_id])


def _marks(n: int) -> str:
    return ",".join("?" * n) or "NULL"


def visit_patches(db: sqlite_utils.Database, visit_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Overrides of these visits, by visit id."""
    ids = list(visit_ids)
    rows = db.query("SELECT visit_id, dec(visit_patch) AS visit_patch FROM visit_overrides"
                    f" WHERE visit_id IN ({_marks(len(ids))})", ids)
    return {r["visit_id"]: json.loads(r["visit_patch"]) for r in rows}


def dossier_patches(db: sqlite_utils.Database, dossier_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Overrides of these dossiers, by dossier id (later actions win)."""
    ids = list(dossier_ids)
    rows = db.query(
        "SELECT dossier_id, dec(dossier_patch) AS dossier_patch FROM visit_overrides"
        " WHERE dossier_patch IS NOT NULL"
        f" AND dossier_id IN ({_marks(len(ids))}) ORDER BY created_at", ids)
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        out[r["dossier_id"]] = {**out.get(r["dossier_id"], {}), **json.loads(r["dossier_patch"])}
    return out
