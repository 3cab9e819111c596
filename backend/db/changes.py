"""The global change counter behind pull cursors."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from .schema import change_counter


def next_seq(conn: Connection) -> int:
    """Bump and return the counter inside the caller's transaction (row lock = commit order)."""
    conn.execute(update(change_counter).where(change_counter.c.id == 1)
                 .values(value=change_counter.c.value + 1))
    return int(conn.execute(select(change_counter.c.value).where(change_counter.c.id == 1)).scalar_one())


def current_seq(conn: Connection) -> int:
    """The highest seq handed out so far."""
    return int(conn.execute(select(change_counter.c.value).where(change_counter.c.id == 1)).scalar_one())
