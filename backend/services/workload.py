"""An officer's load, one definition for every screen and every ranking.

The load on day D is the number of the officer's open visits (planned or en route) planned for D or
earlier: a visit left open yesterday is still in the bag today. The board, the assign dialog and the
suggested assignees all show this number, computed here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, func, select

from api_client.models.visits import OPEN_VISIT_STATUSES

from ..db.schema import visits

OPEN = [s.value for s in OPEN_VISIT_STATUSES]


def loads(conn: Connection, officer_ids: Iterable[int], day: date) -> dict[int, int]:
    """Officer id -> open visits planned for `day` or earlier (0 for an officer with none)."""
    ids = list(dict.fromkeys(officer_ids))
    if not ids:
        return {}
    rows = conn.execute(
        select(visits.c.assignee_id, func.count())
        .where(visits.c.assignee_id.in_(ids), visits.c.status.in_(OPEN),
               visits.c.planned_date <= day.isoformat())
        .group_by(visits.c.assignee_id)
    ).all()
    found = {int(officer): int(n) for officer, n in rows}
    return {i: found.get(i, 0) for i in ids}
