"""Drafts: the resumable state of a pickup/delivery flow, so a killed app or a rotated screen
never loses half a form (or a signature)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from .db import now_iso


@dataclass(frozen=True)
class Draft:
    """Where the officer is in a visit's flow, and what they entered so far."""

    visit_id: int
    step: str
    data: dict[str, Any]
    updated_at: str


def save_draft(db: sqlite_utils.Database, visit_id: int, step: str, data: dict[str, Any]) -> Draft:
    """Store (replace) the draft of a visit; `data` must be JSON-serialisable."""
    draft = Draft(visit_id, step, dict(data), now_iso())
    db.execute("INSERT OR REPLACE INTO drafts (visit_id, step, data, updated_at) VALUES (?,?,enc(?),?)",
               [visit_id, step, json.dumps(data, ensure_ascii=False), draft.updated_at])
    return draft


def load_draft(db: sqlite_utils.Database, visit_id: int) -> Draft | None:
    """The draft of a visit, or None."""
    rows = list(db.query("SELECT visit_id, step, dec(data) AS data, updated_at FROM drafts"
                         " WHERE visit_id = ?", [visit_id]))
    if not rows:
        return None
    r = rows[0]
    return Draft(r["visit_id"], r["step"], json.loads(r["data"]), r["updated_at"])


def delete_draft(db: sqlite_utils.Database, visit_id: int) -> bool:
    """Drop the draft of a visit; True when there was one."""
    return db.execute("DELETE FROM drafts WHERE visit_id = ?", [visit_id]).rowcount > 0


def list_drafts(db: sqlite_utils.Database) -> list[Draft]:
    """Every draft, most recently touched first."""
    return [Draft(r["visit_id"], r["step"], json.loads(r["data"]), r["updated_at"])
            for r in db.query("SELECT visit_id, step, dec(data) AS data, updated_at FROM drafts"
                              " ORDER BY updated_at DESC, visit_id")]
