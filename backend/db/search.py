"""The folded dossier search key (dossiers.search_text): computing, rewriting and querying it.

SQL has no Vietnamese diacritic folding, so the key is folded in Python with the same
`api_client.domain.text.search_key` the in-memory search used; a query word then matches
exactly when it occurs in the key, which `LIKE '%word%'` tests on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, bindparam, select, update

from api_client.domain.text import fold, search_key

from .schema import citizens, dossiers

BATCH = 2000  # rows read and rewritten at a time: bounded memory for a province's 600,000 dossiers


def dossier_search_text(code: str, full_name: str | None, id_number: str | None) -> str:
    """The value of dossiers.search_text for a dossier code and its citizen's name and ID number."""
    return search_key(code, full_name, id_number)


def refresh_search_text(conn: Connection, *where: ColumnElement[bool]) -> int:
    """Recompute search_text of the dossiers matching `where` (all when empty), in id batches; the count."""
    rewrite = (update(dossiers).where(dossiers.c.id == bindparam("dossier_id"))
               .values(search_text=bindparam("key")))
    done, last = 0, 0
    while True:
        rows = conn.execute(
            select(dossiers.c.id, dossiers.c.code, citizens.c.full_name, citizens.c.id_number)
            .join(citizens, citizens.c.id == dossiers.c.citizen_id)
            .where(dossiers.c.id > last, *where).order_by(dossiers.c.id).limit(BATCH)).all()
        if not rows:
            return done
        keys = [{"dossier_id": r.id, "key": dossier_search_text(r.code, r.full_name, r.id_number)}
                for r in rows]
        conn.execute(rewrite, keys)
        done += len(rows)
        last = rows[-1].id


def search_conditions(q: str | None) -> list[ColumnElement[bool]]:
    """One `search_text LIKE '%word%'` per folded query word (% and _ in the word match themselves)."""
    return [dossiers.c.search_text.contains(word, autoescape=True) for word in fold(q or "").split()]
