"""Pull: the officer's changes since a cursor (the highest seq the phone has), in pages."""

from __future__ import annotations

from sqlalchemy import Engine, select

from api_client.models import OfficerPublic, PullResponse, Tombstone, VisitStatus

from ..db.changes import current_seq
from ..db.schema import catalogues, citizens, dossiers, tombstones, visits
from ..errors import ApiError
from .clock import now_iso
from .unit_settings import unit_settings
from .views import catalogue_public, citizen_public, dossier_public, visit_public


def parse_cursor(cursor: str | None) -> int:
    """An opaque cursor is the decimal seq; empty means a full first sync."""
    if not cursor:
        return 0
    if not cursor.isdigit() or len(cursor) > 18:
        raise ApiError(422, "validation_error", f"Con trỏ đồng bộ không hợp lệ (bad cursor '{cursor[:40]}')")
    return int(cursor)


def pull(engine: Engine, officer: OfficerPublic, cursor: str | None, limit: int,
         lookup_url: str) -> PullResponse:
    """A page of the officer's visits after the cursor, with dossiers, citizens, catalogues, tombstones,
    and the current settings of the officer's communes (their receipts point at `lookup_url`)."""
    since = parse_cursor(cursor)
    with engine.connect() as conn:
        # Rows up to the counter's committed value are all committed (seq order is commit order),
        # so bounding every query by it gives one consistent cut even under READ COMMITTED.
        ceiling = current_seq(conn)
        # cancelled visits travel as tombstones only: the phone just drops them
        q = (select(visits).where(visits.c.assignee_id == officer.id, visits.c.seq > since,
                                  visits.c.seq <= ceiling, visits.c.status != VisitStatus.CANCELLED.value)
             .order_by(visits.c.seq, visits.c.id))
        rows = list(conn.execute(q.limit(limit + 1)).mappings())
        has_more = len(rows) > limit
        if has_more:
            rows = rows[:limit]
            # one transaction stamps all its rows with one seq: never split a seq across pages
            last = rows[-1]["seq"]
            seen = {r["id"] for r in rows}
            rows += [r for r in conn.execute(q.where(visits.c.seq == last)).mappings() if r["id"] not in seen]
        upper = rows[-1]["seq"] if has_more else ceiling
        dossier_ids = {r["dossier_id"] for r in rows}
        dossier_rows = list(conn.execute(select(dossiers).where(dossiers.c.id.in_(dossier_ids))
                                         .order_by(dossiers.c.id)).mappings()) if dossier_ids else []
        citizen_ids = {r["citizen_id"] for r in rows} | {d["citizen_id"] for d in dossier_rows}
        citizen_rows = list(conn.execute(select(citizens).where(citizens.c.id.in_(citizen_ids))
                                         .order_by(citizens.c.id)).mappings()) if citizen_ids else []
        cq = select(catalogues).where(catalogues.c.seq > since).order_by(catalogues.c.version)
        tq = (select(tombstones).where(tombstones.c.officer_id == officer.id, tombstones.c.seq > since)
              .order_by(tombstones.c.seq, tombstones.c.id))
        # later rows belong to later pages, or the cursor would jump past unsent visits
        cq, tq = cq.where(catalogues.c.seq <= upper), tq.where(tombstones.c.seq <= upper)
        catalogue_rows = list(conn.execute(cq).mappings())
        # a visit given back to this officer is current again: its old tombstone must not delete it
        held = set(conn.execute(select(visits.c.id).where(
            visits.c.assignee_id == officer.id, visits.c.status != VisitStatus.CANCELLED.value)).scalars())
        tomb_rows = [t for t in conn.execute(tq).mappings() if t["entity_id"] not in held]
        settings = unit_settings(conn, officer.unit_ids, lookup_url)
    return PullResponse(
        next_cursor=str(max(upper, since)),
        has_more=has_more,
        server_time=now_iso(),
        visits=[visit_public(r) for r in rows],
        dossiers=[dossier_public(d) for d in dossier_rows],
        citizens=[citizen_public(c) for c in citizen_rows],
        catalogues=[catalogue_public(c) for c in catalogue_rows],
        tombstones=[Tombstone(entity=t["entity"], id=t["entity_id"], reason=t["reason"], at=t["at"])
                    for t in tomb_rows],
        unit_settings=settings,
    )
