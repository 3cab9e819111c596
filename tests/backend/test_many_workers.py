"""Issue 11, done when: 3 API workers and 2 dispatchers on PostgreSQL, as real processes.

`doorstep serve --workers 3` (its workers dispatch notices too) and two `doorstep dispatch`
processes share one PostgreSQL database and one data dir. Notices are queued in waves while they
all run; a real HTTP receiver on 127.0.0.1 must see every notice exactly once. Meanwhile photos
are uploaded in chunks, each by two uploaders at once (two phones with the same photo), every
request on a new connection so the kernel spreads them over the workers; every photo must come
back byte-identical. Bounded: each wait has a deadline.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import builders
import deliverykit as dk
import httpx
import pytest
from prockit import Doorstep
from sqlalchemy import Engine, func, select
from testkit import TEST_SECRET, free_port
from webhookkit import CountingReceiver

from api_client.models import NoticeKind
from backend.config import Settings
from backend.db.engine import make_engine
from backend.db.migrations import migrate
from backend.db.schema import notices
from backend.services.notices import queue_notice

pytestmark = pytest.mark.postgres

WAVES, PER_WAVE = 12, 25  # 300 notices
PHOTOS, UPLOADERS_PER_PHOTO, CHUNK = 6, 2, 32 * 1024
DEADLINE_S = 90


def _new_database(base_url: str) -> str:
    import psycopg

    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    return f"{base_url}/{name}"


@pytest.fixture
def receiver() -> Iterator[CountingReceiver]:
    """The SMS gateway stand-in, 3 ms per notice."""
    r = CountingReceiver(delay_s=0.003)
    yield r
    r.close()


def _sent(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(notices)
                                .where(notices.c.state == "sent")).scalar_one())


def _upload(api: str, token: str, data: bytes, problems: list[str], conflicts: list[int]) -> None:
    """Upload one photo chunk by chunk, resuming at the server's offset after a 409 (as the phone does)."""
    sha = hashlib.sha256(data).hexdigest()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"}
    # no keep-alive: every request opens a new connection, which any worker may accept
    with httpx.Client(base_url=api, headers=headers, timeout=30,
                      limits=httpx.Limits(max_keepalive_connections=0)) as c:
        offset = 0
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            r = c.put(f"/blobs/{sha}", params={"offset": offset, "total": len(data)},
                      content=data[offset:offset + CHUNK])
            if r.status_code == 409:
                conflicts.append(1)  # the other uploader of this photo got there first
                offset = r.json()["received"]
                continue
            if r.status_code != 200:
                problems.append(f"{sha[:8]} at {offset}: {r.status_code} {r.text[:200]}")
                return
            if r.json()["complete"]:
                return
            offset = r.json()["received"]
        problems.append(f"{sha[:8]}: not complete in {DEADLINE_S} s")


def test_three_workers_and_two_dispatchers_send_each_notice_once_and_keep_every_photo(
    pg_cluster: str, tmp_path: Path, receiver: CountingReceiver
) -> None:
    url = _new_database(pg_cluster)
    data_dir = tmp_path / "data"
    engine = make_engine(Settings(data_dir=data_dir, database_url=url, secret_key=TEST_SECRET))
    migrate(engine)
    world = builders.world(engine)
    did = dk.new_dossier(engine, world)
    port = free_port()
    api_url = f"http://127.0.0.1:{port}"
    db = ["--data-dir", str(data_dir), "--database-url", url]
    env = {"DOORSTEP_NOTICE_WEBHOOK_URL": receiver.url, "DOORSTEP_NOTICE_INTERVAL_S": "0.2",
           "DOORSTEP_SECRET_KEY": ""}
    procs = [Doorstep(["serve", "--workers", "3", "--no-web-ui", "--port", str(port), *db],
                      tmp_path / "serve.log", env=env)]
    procs += [Doorstep(["dispatch", *db, "--webhook-url", receiver.url, "--interval", "0.2", "--batch", "10",
                        "--lease", "30"], tmp_path / f"dispatch{i}.log") for i in range(2)]
    try:
        procs[0].wait_http(f"{api_url}/api/v1/health")
        assert len(procs[0].workers()) == 3
        login = {"username": "can_bo_a", "password": builders.PASSWORD}
        token = httpx.post(f"{api_url}/api/v1/auth/login", json=login).json()["access_token"]
        rng = random.Random(11)
        photos = [rng.randbytes(rng.randrange(200_000, 400_000)) for _ in range(PHOTOS)]
        problems: list[str] = []
        conflicts: list[int] = []
        api = f"{api_url}/api/v1"
        uploaders = [threading.Thread(target=_upload, args=(api, token, p, problems, conflicts))
                     for p in photos for _ in range(UPLOADERS_PER_PHOTO)]
        for t in uploaders:
            t.start()
        ids: list[int] = []
        for _ in range(WAVES):  # notices keep arriving while everyone dispatches
            with engine.begin() as conn:
                queued = [queue_notice(conn, did, NoticeKind.RESULT_READY, f"Thông báo {i}")
                          for i in range(PER_WAVE)]
            ids += [n for n in queued if n is not None]
            time.sleep(0.1)
        for t in uploaders:
            t.join(DEADLINE_S)
        deadline = time.monotonic() + DEADLINE_S
        while _sent(engine) < len(ids) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # anything sent twice would have arrived by now
        for p in procs:
            assert p.proc.poll() is None, p.output()

        assert _sent(engine) == len(ids) == WAVES * PER_WAVE
        counts = receiver.snapshot()
        assert sorted(counts) == sorted(ids)
        assert {i: c for i, c in counts.items() if c != 1} == {}  # each exactly once

        assert problems == []
        assert conflicts  # the uploads really did overlap
        with httpx.Client(base_url=f"{api_url}/api/v1", headers={"Authorization": f"Bearer {token}"},
                          timeout=30) as c:
            for photo in photos:
                sha = hashlib.sha256(photo).hexdigest()
                r = c.get(f"/blobs/{sha}")
                assert r.status_code == 200 and hashlib.sha256(r.content).hexdigest() == sha
        assert not list((data_dir / "blobs").glob("*.part"))
    finally:
        for p in procs:
            p.stop()
        engine.dispose()
