"""Offline in a real browser: the app alone (`doorstep app`) against a backend that is stopped.

Log in while online, stop the backend, reload the tab (it opens offline with the saved
session), complete a pickup offline, start the backend again on the same database, sync,
and check through the API that the pickup arrived once: nothing lost, nothing duplicated.
"""

from __future__ import annotations

import sqlite3

from e2ekit import ARTIFACTS, SCREENSHOTS, Proc, on_failure, phone_page, wait_completed, wait_text
from flet_pw import click_button, free_port, open_flet_app
from pickup_steps import Shots, do_pickup, login, make_jpeg, open_visit, pick_target

from api_client import Client


def test_offline_pickup_then_sync(tmp_path, procs):
    backend = Proc("api", tmp_path / "server", free_port()).start("/api/v1/health")
    procs.append(backend)
    app = Proc("app", tmp_path / "phones", free_port(), backend_url=backend.url).start("/")
    procs.append(app)
    api = Client(backend.url)
    api.login("canbo.anphu", "doorstep123")
    target = pick_target(api)
    api.close()
    photo = tmp_path / "giay-to.jpg"
    make_jpeg(photo, color=(180, 200, 220))

    with phone_page(target.citizen.lat, target.citizen.lon + 0.0002, 10, locale=None) as page:
        shot = Shots(page, ARTIFACTS / "offline", SCREENSHOTS)
        with on_failure(page, shot):
            open_flet_app(page, app.url + "/")
            login(page)
            wait_text(page, "Đã đồng bộ hết")

            backend.stop()  # the commune's server (or the 3G link) goes away
            page.reload()
            open_flet_app(page, app.url + "/")
            wait_text(page, "Lộ trình hôm nay")  # no login form: the saved session opens offline
            shot("01-offline-route")
            open_visit(page, target)
            do_pickup(page, target, photo, shot)
            wait_text(page, "Mất mạng", 30_000)
            wait_text(page, r"Chờ gửi: [1-9]")
            shot("12-offline-pending")

            backend.start("/api/v1/health")  # same data dir: same database, seeding is a no-op
            click_button(page, "Đồng bộ ngay")
            wait_text(page, "Đã đồng bộ hết", 30_000)
            shot("13-synced")
            # a second sync must not send anything twice
            click_button(page, "Đồng bộ ngay")
            wait_text(page, "Đã đồng bộ hết", 30_000)

    api = Client(backend.url)
    api.login("canbo.anphu", "doorstep123")
    v = wait_completed(api, target.visit.id, timeout=30)
    ev = v.evidence["visit.pickup_completed"]
    assert ev["photos"] and all(api.get_blob(p["sha256"]) for p in ev["photos"])
    assert int(api.get_dossier(target.dossier.id).status) == 2

    # the phone's own outbox: exactly one pickup event for this visit, sent, nothing stuck
    stores = [p for p in (tmp_path / "phones").glob("*/doorstep.db")]
    assert len(stores) == 1, stores
    con = sqlite3.connect(stores[0])
    rows = con.execute("SELECT type, state FROM outbox WHERE visit_id = ?", [target.visit.id]).fetchall()
    assert rows == [("visit.pickup_completed", "sent")], rows
    assert con.execute("SELECT COUNT(*) FROM outbox WHERE state != 'sent'").fetchone()[0] == 0
    assert con.execute("SELECT COUNT(*) FROM blobs WHERE state != 'uploaded'").fetchone()[0] == 0
    con.close()
    # and the server applied that event once (a retry would have come back as a duplicate)
    assert v.version >= 2 and list(v.evidence).count("visit.pickup_completed") == 1
