"""Issue 11: blob assembly is safe across worker processes sharing a data dir.

Several real processes (forked, each with its own engine, as uvicorn workers have) upload the
same photos chunk by chunk at once, resuming at the server's offset after a 409 like the phone
does; every photo must end complete and byte-identical, with no upload discarded on the way.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import random
from multiprocessing.synchronize import Barrier
from pathlib import Path

import builders
from sqlalchemy import select
from testkit import make_settings

from backend.config import Settings
from backend.db.engine import make_engine
from backend.db.migrations import migrate
from backend.db.schema import officers
from backend.errors import ApiError
from backend.services.blobs import blob_status, put_chunk, read_blob
from backend.services.views import officer_public

UPLOADERS = 4
CHUNK = 8 * 1024


def _photos() -> list[bytes]:
    rng = random.Random(11)
    return [rng.randbytes(rng.randrange(96 * 1024, 160 * 1024)) for _ in range(5)]


def _upload_all(settings: Settings, officer_id: int, barrier: Barrier, out: mp.SimpleQueue) -> None:  # type: ignore[type-arg]
    engine = make_engine(settings)
    discarded = 0
    barrier.wait()
    for data in _photos():
        sha = hashlib.sha256(data).hexdigest()
        while True:
            status = blob_status(engine, settings, sha)
            if status.complete:
                break
            at = status.received
            try:
                put_chunk(engine, settings, sha, at, len(data), data[at:at + CHUNK], "image/jpeg", officer_id)
            except ApiError as exc:
                if exc.status != 409:  # 409: someone else moved the offset; anything else is damage
                    discarded += 1
    engine.dispose()
    out.put(discarded)


def test_processes_uploading_the_same_photos_at_once_keep_every_photo_intact(
    tmp_path: Path, db_url: str | None
) -> None:
    settings = make_settings(tmp_path, db_url)
    engine = make_engine(settings)
    migrate(engine)
    with engine.begin() as conn:
        officer_id = builders.officer(conn, "can_bo_upload")
    engine.dispose()  # no pooled connection may cross the fork
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(UPLOADERS)
    out: mp.SimpleQueue = ctx.SimpleQueue()  # type: ignore[type-arg]
    procs = [ctx.Process(target=_upload_all, args=(settings, officer_id, barrier, out))
             for _ in range(UPLOADERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    assert [out.get() for _ in range(UPLOADERS)] == [0] * UPLOADERS  # no hash mismatch, no other error
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:  # the uploader may read its own photos back
            uploader = officer_public(conn, conn.execute(select(officers).where(officers.c.id == officer_id))
                                      .mappings().one())
        for data in _photos():
            stored, _ = read_blob(engine, uploader, hashlib.sha256(data).hexdigest())
            assert hashlib.sha256(stored).digest() == hashlib.sha256(data).digest()
    finally:
        engine.dispose()
    assert not list(settings.blob_dir.glob("*.part"))  # every part was assembled and removed
