"""Issue 11: notices are claimed with a lease, so any number of dispatchers send each one exactly once.

Real parts: a live server's database (SQLite and PostgreSQL), separate engines standing in for
separate dispatcher processes, and a real HTTP receiver on 127.0.0.1 counting what arrives.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import builders
import deliverykit as dk
import pytest
from sqlalchemy import select, update
from testkit import LiveServer
from webhookkit import CountingReceiver

from api_client.models import NoticeKind
from backend.db.engine import make_engine
from backend.db.schema import notices
from backend.notify.dispatcher import claim_notices, dispatch_pending, new_owner, send_claimed
from backend.notify.webhook import WebhookGateway
from backend.notify.worker import drain_once
from backend.services.notices import queue_notice


@pytest.fixture
def receiver() -> Iterator[CountingReceiver]:
    """A counting receiver that takes 2 ms per notice, so concurrent sends overlap."""
    r = CountingReceiver(delay_s=0.002)
    yield r
    r.close()


def _queue(server: LiveServer, world: builders.World, n: int) -> list[int]:
    did = dk.new_dossier(server.engine, world)
    with server.engine.begin() as conn:
        ids = [queue_notice(conn, did, NoticeKind.RESULT_READY, f"Thông báo số {i}") for i in range(n)]
    return [i for i in ids if i is not None]


def _states(server: LiveServer) -> dict[int, str]:
    with server.engine.connect() as conn:
        return {r.id: r.state for r in conn.execute(select(notices.c.id, notices.c.state))}


def _gateway(url: str) -> WebhookGateway:
    return WebhookGateway(url, timeout=5.0, tries=1)


def test_four_dispatchers_at_once_send_every_notice_exactly_once(
    server: LiveServer, world: builders.World, receiver: CountingReceiver
) -> None:
    ids = _queue(server, world, 80)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def dispatcher() -> None:
        engine = make_engine(server.settings)  # its own pool, as a separate process would have
        try:
            start.wait()
            drain_once(engine, _gateway(receiver.url), new_owner(), lease_s=60, batch=5)
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=dispatcher) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    counts = receiver.snapshot()
    assert sorted(counts) == ids
    assert set(counts.values()) == {1}, {i: c for i, c in counts.items() if c != 1}
    assert set(_states(server).values()) == {"sent"}
    with server.engine.connect() as conn:  # leases are released once a notice is settled
        assert conn.execute(select(notices.c.id).where(notices.c.lease_owner.is_not(None))).all() == []


def test_a_crashed_dispatchers_notices_wait_for_its_lease_then_go_out_once(
    server: LiveServer, world: builders.World, receiver: CountingReceiver
) -> None:
    ids = _queue(server, world, 5)
    # a dispatcher claims everything and dies before sending anything
    assert claim_notices(server.engine, "crashed-host:1:dead", limit=50, lease_s=0.5) == ids
    other = _gateway(receiver.url)
    assert dispatch_pending(server.engine, other) == {"sent": 0, "retry": 0, "failed": 0, "at_desk": 0}
    assert receiver.total() == 0
    time.sleep(0.6)  # its lease runs out
    assert dispatch_pending(server.engine, other)["sent"] == 5
    assert dispatch_pending(server.engine, other)["sent"] == 0  # sent notices are never claimed again
    assert sorted(receiver.snapshot()) == ids and set(receiver.snapshot().values()) == {1}


def test_a_dispatcher_that_lost_its_lease_sends_nothing(
    server: LiveServer, world: builders.World, receiver: CountingReceiver
) -> None:
    ids = _queue(server, world, 4)
    slow = new_owner()
    assert claim_notices(server.engine, slow, limit=50, lease_s=0.3) == ids
    time.sleep(0.4)  # the slow dispatcher stalls past its lease; another one takes over
    assert dispatch_pending(server.engine, _gateway(receiver.url))["sent"] == 4
    # the slow one comes back: every notice is someone else's (and already sent)
    assert send_claimed(server.engine, _gateway(receiver.url), ids, slow, lease_s=0.3)["sent"] == 0
    assert set(receiver.snapshot().values()) == {1} and receiver.total() == 4


def test_a_held_lease_is_not_taken_and_a_failed_send_releases_it(
    server: LiveServer, world: builders.World, receiver: CountingReceiver
) -> None:
    (first, second) = _queue(server, world, 2)
    holder = new_owner()
    assert claim_notices(server.engine, holder, limit=1, lease_s=60) == [first]
    assert claim_notices(server.engine, new_owner(), limit=50, lease_s=60) == [second]  # skips the held one
    with server.engine.begin() as conn:
        conn.execute(update(notices).values(lease_owner=None, lease_until=None))
    nowhere = WebhookGateway("http://127.0.0.1:9/sms", timeout=1.0, tries=1)  # connection refused
    assert dispatch_pending(server.engine, nowhere)["retry"] == 2
    with server.engine.connect() as conn:
        rows = conn.execute(select(notices.c.state, notices.c.lease_owner, notices.c.attempts)).all()
    assert [(r.state, r.lease_owner, r.attempts) for r in rows] == [("queued", None, 1)] * 2
    assert dispatch_pending(server.engine, _gateway(receiver.url))["sent"] == 2  # retried at once


def test_migration_6_adds_the_lease_columns_to_an_older_database(server: LiveServer) -> None:
    from sqlalchemy import inspect, text

    from backend.db.migrations import migrate
    from backend.db.schema import schema_migrations

    with server.engine.begin() as conn:  # back to the shape before issue 11
        conn.execute(text("ALTER TABLE notices DROP COLUMN lease_owner"))
        conn.execute(text("ALTER TABLE notices DROP COLUMN lease_until"))
        conn.execute(schema_migrations.delete().where(schema_migrations.c.version == 6))
    assert migrate(server.engine) == [6]
    with server.engine.connect() as conn:
        assert {"lease_owner", "lease_until"} <= {c["name"] for c in inspect(conn).get_columns("notices")}
    assert migrate(server.engine) == []
