"""The supervisor's dossier panel says whether each recorded event's evidence is verified, or why not."""

from __future__ import annotations

import uuid

from phone_events import en_route, failed
from supkit import by_key, keys, start_supervisor
from test_supervisor_dossiers import open_desk, open_dossier
from uikit import wait_until

from api_client import Client
from api_client.domain import evidence as ev
from backend.seed import DEMO_PASSWORD
from mobile.ui.theme import DANGER


def sealed(event: dict, key, device_id: str, seq: int, prev: str) -> dict:
    """The event with the evidence block a phone would add (domain.evidence.seal)."""
    from datetime import UTC, datetime

    return {**event, "evidence": ev.seal(event, key, device_id, seq, prev, datetime.now(UTC), 1000 * seq)}


async def test_dossier_panel_shows_verified_and_broken_evidence(tmp_path, seeded_server):
    officer = Client(seeded_server.url)
    officer.login("canbo.anphu", DEMO_PASSWORD)
    visit = next(v for v in officer.list_visits(kind="pickup", page_size=200) if v.status.value == "planned")
    key, device = ev.new_private_key(), uuid.uuid4().hex
    officer.register_device_key(device, ev.public_b64(key))
    first = sealed(en_route(visit.id), key, device, 1, ev.GENESIS)
    second = sealed(failed(visit.id), key, device, 2, first["evidence"]["digest"])
    second["payload"]["note"] = "Sửa sau khi ký"  # changed after signing
    results = officer.push([first, second]).results
    assert [r.status.value for r in results] == ["applied", "applied"]

    h = await start_supervisor(seeded_server.url, tmp_path / "sup", width=1280)
    view = await open_desk(h)
    await open_dossier(h, view, visit.dossier_id)
    await wait_until(h, lambda: len(keys(h, "desk-evidence-")) == 2, what="evidence lines")
    ok, bad = by_key(h, "desk-evidence-0"), by_key(h, "desk-evidence-1")
    assert ok.value == "Đang đến: Bằng chứng đã xác minh" and ok.color is None
    assert bad.value == "Không thành công: Nội dung bằng chứng đã bị thay đổi sau khi ký"
    assert bad.color == DANGER
