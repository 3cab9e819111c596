"""Finishing a flow writes (fsync) and renders the PDF off the event loop, in that order."""

from __future__ import annotations

import threading

from uikit import advance_to, click_key, finish_gps, login, make_fix, pickup_row, pushed, start_app

from mobile.services import flow as flow_module
from mobile.services import receipts as receipts_module


async def test_pickup_completion_runs_in_a_worker_thread(tmp_path, seeded_server, monkeypatch):
    calls: list[tuple[str, bool]] = []
    loop_thread = threading.current_thread()
    record, save = flow_module.store.record_action, receipts_module.ReceiptStore.save

    def spy_record(*a, **kw):
        calls.append(("record", threading.current_thread() is loop_thread))
        return record(*a, **kw)

    def spy_save(self, *a, **kw):
        calls.append(("pdf", threading.current_thread() is loop_thread))
        return save(self, *a, **kw)

    monkeypatch.setattr(flow_module.store, "record_action", spy_record)
    monkeypatch.setattr(receipts_module.ReceiptStore, "save", spy_save)
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    row = pickup_row(h)
    h.location.fix = make_fix(row.lat + 0.0002, row.lon)
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "start-pickup")
    await advance_to(h, 7)
    await finish_gps(h)
    await click_key(h, "complete")
    assert f"Đã tiếp nhận hồ sơ. Mã: {row.dossier_code}" in h.texts()
    # written locally first, then rendered; neither on the event loop's thread
    assert calls == [("record", False), ("pdf", False)]
    # the sync the worker thread requested hopped onto the loop and ran: the server has the event
    await pushed(h, row.visit_id)
