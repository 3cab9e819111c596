"""Issue 11: workers starting together on a fresh data dir agree on one signing key."""

from __future__ import annotations

import multiprocessing as mp
import stat
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from backend.config import Settings, _default_secret

RACERS = 8
ROUNDS = 15  # the old check-then-write lost about one round in four: 15 rounds all but surely catch it


def _race(data_dir: str, barrier: Barrier, out: mp.SimpleQueue) -> None:  # type: ignore[type-arg]
    barrier.wait()
    out.put(_default_secret(Path(data_dir)))


def test_processes_racing_on_a_fresh_data_dir_all_get_the_same_key(tmp_path: Path) -> None:
    for round_ in range(ROUNDS):
        _one_race(tmp_path / f"round{round_}")


def _one_race(root: Path) -> None:
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(RACERS)
    out: mp.SimpleQueue = ctx.SimpleQueue()  # type: ignore[type-arg]
    data_dir = root / "data"
    procs = [ctx.Process(target=_race, args=(str(data_dir), barrier, out)) for _ in range(RACERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    keys = {out.get() for _ in range(RACERS)}
    assert len(keys) == 1
    (key,) = keys
    assert len(key) >= 60 and (data_dir / "secret.key").read_text() == key
    assert stat.S_IMODE((data_dir / "secret.key").stat().st_mode) == 0o600
    assert [p.name for p in data_dir.iterdir()] == ["secret.key"]  # no temp files left behind
    assert Settings(data_dir=data_dir, secret_key=None).secret_key == key  # a restart reads it back


def test_an_empty_key_file_is_refused_not_used(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("")
    with pytest.raises(RuntimeError, match="DOORSTEP_SECRET_KEY"):
        _default_secret(tmp_path)
