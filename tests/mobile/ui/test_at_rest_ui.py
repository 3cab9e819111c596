"""A phone that did a full pickup through the real screens keeps no citizen's data in the clear."""

from __future__ import annotations

from pathlib import Path

from test_pickup_flow import _open_pickup
from uikit import advance_to, click_key, finish_gps, pushed, shell

from api_client.domain.text import fold
from mobile import store


def raw(folder: Path) -> bytes:
    """The store file, its WAL and every blob file, as a thief copies them."""
    files = [*folder.glob("doorstep.db*"), *(folder / "blobs").glob("*")]
    return b"".join(p.read_bytes() for p in files if p.is_file())


async def test_full_pickup_through_the_screens_leaves_nothing_readable(tmp_path, seeded_server):
    h, row = await _open_pickup(tmp_path, seeded_server)
    await advance_to(h, 7)
    await finish_gps(h)
    await click_key(h, "complete")
    await pushed(h, row.visit_id)
    db = shell(h).services.db
    event = store.outbox.items(db, visit_id=row.visit_id)[-1].body
    assert event["payload"]["photos"] and event["evidence"]["seq"] >= 1  # a real, sealed pickup
    data = raw(tmp_path / "app")
    assert len(data) > 10_000
    for secret in (row.id_number, row.citizen_name, fold(row.citizen_name), "Nguyễn Văn Bé", "089301000123"):
        assert secret.encode() not in data, secret
    assert b"\xff\xd8\xff" not in data  # no JPEG header: the photo files are sealed too
    assert store.crypto.has_keys(db) and not store.crypto.is_locked(db)
