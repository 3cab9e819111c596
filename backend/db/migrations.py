"""Schema migrations, registered in one list and applied in order, once each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, inspect, select

from .schema import change_counter, metadata, schema_migrations


def _initial(conn: Connection) -> None:
    metadata.create_all(conn)
    if conn.execute(select(change_counter.c.id)).first() is None:
        conn.execute(insert(change_counter).values(id=1, value=0))


# (version, name, step). Append new steps; never edit an applied one.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial schema", _initial),
]


def migrate(engine: Engine) -> list[int]:
    """Apply pending migrations; returns the versions applied now."""
    applied_now = []
    with engine.begin() as conn:
        if not inspect(conn).has_table("schema_migrations"):
            schema_migrations.create(conn)
        done = {row.version for row in conn.execute(select(schema_migrations.c.version))}
        for version, name, step in MIGRATIONS:
            if version in done:
                continue
            step(conn)
            conn.execute(insert(schema_migrations).values(
                version=version, name=name, applied_at=datetime.now(UTC).isoformat()))
            applied_now.append(version)
    return applied_now
