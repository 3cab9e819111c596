"""Snapshot of server state for "nothing changed" assertions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from backend.db.changes import current_seq
from backend.db.schema import blobs, dossier_status_log, dossiers, events, tombstones, visits


def snapshot(engine: Engine) -> dict[str, Any]:
    """Row counts, the change counter and every visit/dossier status."""
    with engine.connect() as conn:
        out: dict[str, Any] = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                               for t in (visits, dossiers, events, tombstones, blobs, dossier_status_log)}
        out["seq"] = current_seq(conn)
        out["visit_states"] = sorted(tuple(r) for r in conn.execute(
            select(visits.c.id, visits.c.status, visits.c.version, visits.c.assignee_id)))
        out["dossier_states"] = sorted(tuple(r) for r in conn.execute(
            select(dossiers.c.id, dossiers.c.status, dossiers.c.received_at, dossiers.c.supplement_requests)))
    return out
