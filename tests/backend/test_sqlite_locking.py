"""Issue 11: on SQLite, reads (engine.connect()) take no write lock; writes (engine.begin()) still do."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import builders
import pytest
from sqlalchemy import Engine, func, select
from testkit import make_settings

from backend.db.engine import make_engine
from backend.db.migrations import migrate
from backend.db.schema import officers

WAIT_S = 5.0  # far below the 30 s busy timeout a blocked transaction would sit through


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database."""
    eng = make_engine(make_settings(tmp_path, None))
    migrate(eng)
    yield eng
    eng.dispose()


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(officers)).scalar_one())


def _in_thread(work: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def _write(engine: Engine, username: str) -> Callable[[], None]:
    def work() -> None:
        with engine.begin() as conn:
            builders.officer(conn, username)
    return work


def test_a_long_read_does_not_block_a_writer(engine: Engine) -> None:
    reader = engine.connect()
    try:
        before = reader.execute(select(func.count()).select_from(officers)).scalar_one()  # read txn open
        thread, errors = _in_thread(_write(engine, "viet_trong_luc_doc"))
        thread.join(WAIT_S)
        assert not thread.is_alive(), "the writer waited for a reader"
        assert errors == []
        # the reader keeps its snapshot while the writer commits
        assert reader.execute(select(func.count()).select_from(officers)).scalar_one() == before
    finally:
        reader.close()
        thread.join(40)
    assert _count(engine) == before + 1


def test_two_readers_run_side_by_side(engine: Engine) -> None:
    first = engine.connect()
    try:
        first.execute(select(func.count()).select_from(officers)).scalar_one()
        seen: list[int] = []
        thread, errors = _in_thread(lambda: seen.append(_count(engine)))
        thread.join(WAIT_S)
        assert not thread.is_alive(), "the second reader waited for the first"
        assert errors == [] and seen == [0]
    finally:
        first.close()
        thread.join(40)


def test_writers_still_take_the_lock_at_begin_and_queue_up(engine: Engine) -> None:
    first = engine.begin()
    conn = first.__enter__()
    try:
        builders.officer(conn, "nguoi_viet_1")
        thread, errors = _in_thread(_write(engine, "nguoi_viet_2"))
        thread.join(0.5)
        assert thread.is_alive()  # BEGIN IMMEDIATE: the second writer waits for the first to commit
    finally:
        first.__exit__(None, None, None)
    thread.join(40)
    assert errors == [] and _count(engine) == 2
