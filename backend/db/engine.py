"""Engine creation: SQLite in WAL mode with foreign keys, or PostgreSQL via psycopg 3."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from ..config import Settings

# Set on the connections engine.begin() hands out: their transaction will write.
_WRITE_OPTION = "doorstep_write"


class SQLiteEngine(Engine):
    """An Engine whose `begin()` takes SQLite's write lock at BEGIN, while `connect()` reads do not.

    Writes (always `engine.begin()` here) BEGIN IMMEDIATE: two writers never deadlock upgrading read
    locks, and the change counter stays in commit order. Reads (`engine.connect()`) BEGIN DEFERRED:
    in WAL mode they read a snapshot without blocking writers or each other.
    """

    @contextlib.contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed at the end of the block (rolled back on error)."""
        with self.connect() as conn:
            conn.execution_options(**{_WRITE_OPTION: True})
            with conn.begin():
                yield conn


def make_engine(settings: Settings) -> Engine:
    """An Engine for the configured database, tuned for each dialect."""
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        engine.__class__ = SQLiteEngine  # create_engine has no engine-class option; same state, new begin()

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            write = conn.get_execution_options().get(_WRITE_OPTION, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def dialect_name(engine: Engine) -> str:
    """'sqlite' or 'postgresql'."""
    return engine.dialect.name
