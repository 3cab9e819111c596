"""Notices to citizens: webhook gateway against a real local receiver, the desk outbox, the background
worker, the CLI, apologies (new appointment, notice, visit notice after pull), and migration 2."""

from __future__ import annotations

import io
import json
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import builders
import deliverykit as dk
import eventkit
import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import inspect, select, text
from testkit import LiveServer, free_port, make_settings

from api_client.domain.timeliness import add_working_days
from backend.cli import main as cli_main
from backend.db.migrations import migrate
from backend.db.schema import dossiers, schema_migrations
from backend.notify.dispatcher import dispatch_pending
from backend.notify.outbox import OutboxGateway
from backend.notify.webhook import WebhookGateway
from backend.services.clock import VN_TZ, now_utc

Clients = Callable[[str | None], httpx.Client]


class Receiver:
    """A real HTTP server on 127.0.0.1 answering with scripted statuses and recording what arrived."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.received: list[tuple[dict[str, Any], dict[str, str]]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.received.append((body, dict(self.headers)))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                payload = json.dumps({"ok": status < 400, "id": f"sms-{len(receiver.received)}"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver_factory() -> Iterator[Callable[[list[int]], Receiver]]:
    """receiver_factory([500, 200]) -> a running Receiver; all are closed after the test."""
    made: list[Receiver] = []

    def make(statuses: list[int]) -> Receiver:
        r = Receiver(statuses)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def _ready_notice(server: LiveServer, world: builders.World, sx: httpx.Client) -> tuple[int, dict[str, Any]]:
    did = dk.new_dossier(server.engine, world)
    dk.make_ready(sx, did)
    (notice,) = dk.notices_of(server.engine, did)
    return did, notice


def _gateway(url: str) -> WebhookGateway:
    return WebhookGateway(url, timeout=2.0, tries=3, backoff_s=0.01)


def test_webhook_retries_a_500_then_records_the_success(
    server: LiveServer,
    world: builders.World,
    client_for: Clients,
    receiver_factory: Callable[[list[int]], Receiver],
) -> None:
    receiver = receiver_factory([500, 200])
    did, notice = _ready_notice(server, world, client_for("giam_sat_x"))
    counts = dispatch_pending(server.engine, _gateway(receiver.url))
    assert counts == {"sent": 1, "retry": 0, "failed": 0, "at_desk": 0}
    assert len(receiver.received) == 2
    body, headers = receiver.received[1]
    assert body == {
        "to": "0987654321",
        "text": notice["text"],
        "dossier_code": dk.code_of(server.engine, did),
        "kind": "result_ready",
        "notice_id": notice["id"],
    }
    assert receiver.received[0][0] == body  # the retry repeats the same request
    assert headers["Idempotency-Key"] == f"notice-{notice['id']}"
    (row,) = dk.notices_of(server.engine, did)
    assert row["state"] == "sent" and row["attempts"] == 2 and row["sent_at"]
    assert row["gateway_response"].startswith("200") and "sms-2" in row["gateway_response"]
    assert dispatch_pending(server.engine, _gateway(receiver.url))["sent"] == 0  # nothing left


def test_webhook_failures_are_recorded(
    server: LiveServer,
    world: builders.World,
    client_for: Clients,
    receiver_factory: Callable[[list[int]], Receiver],
) -> None:
    sx = client_for("giam_sat_x")
    down = receiver_factory([500] * 6)
    did, _ = _ready_notice(server, world, sx)
    assert dispatch_pending(server.engine, _gateway(down.url))["retry"] == 1
    (row,) = dk.notices_of(server.engine, did)
    assert (row["state"], row["attempts"]) == ("queued", 3) and row["last_error"].startswith("HTTP 500")
    assert dispatch_pending(server.engine, _gateway(down.url), max_attempts=6)["retry"] == 1
    (row,) = dk.notices_of(server.engine, did)
    assert (row["state"], row["attempts"]) == ("failed", 6)  # gave up: the desk sees it as failed
    # a 4xx is permanent: no retry
    refused = receiver_factory([400])
    did2, _ = _ready_notice(server, world, sx)
    assert dispatch_pending(server.engine, _gateway(refused.url))["failed"] == 1
    (row,) = dk.notices_of(server.engine, did2)
    assert (row["state"], row["attempts"]) == ("failed", 1) and row["last_error"].startswith("HTTP 400")
    # nobody listening: a connection error, retried later
    did3, _ = _ready_notice(server, world, sx)
    nowhere = f"http://127.0.0.1:{free_port()}/sms"
    assert dispatch_pending(server.engine, _gateway(nowhere))["retry"] == 1
    (row,) = dk.notices_of(server.engine, did3)
    assert row["state"] == "queued" and row["attempts"] == 3 and "ConnectError" in row["last_error"]


def test_outbox_lists_queued_notices_for_the_desk_to_send_by_hand(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx, sy, a = client_for("giam_sat_x"), client_for("giam_sat_y"), client_for("can_bo_a")
    did, notice = _ready_notice(server, world, sx)
    assert dispatch_pending(server.engine, OutboxGateway())["at_desk"] == 1
    r = sx.get("/notices", params={"state": "queued"})
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "1"
    (listed,) = r.json()
    assert listed["id"] == notice["id"] and listed["dossier_code"] == dk.code_of(server.engine, did)
    assert listed["gateway_response"] == "Chờ bộ phận một cửa gửi thủ công (available at the desk)"
    assert sy.get("/notices", params={"state": "queued"}).json() == []  # another commune
    assert a.get("/notices").status_code == 403
    assert sy.post(f"/notices/{notice['id']}/sent").status_code == 404
    sent = sx.post(f"/notices/{notice['id']}/sent", json={"note": "Đã nhắn Zalo"}).json()
    assert sent["state"] == "sent" and sent["gateway_response"] == "Đã nhắn Zalo" and sent["sent_at"]
    again = sx.post(f"/notices/{notice['id']}/sent").json()
    assert again["sent_at"] == sent["sent_at"]
    assert sx.get("/notices", params={"state": "queued"}).json() == []
    assert [n["id"] for n in sx.get("/notices", params={"state": "sent"}).json()] == [notice["id"]]
    assert sx.get("/notices", params={"state": "lost"}).status_code == 422


def test_background_worker_sends_when_a_webhook_is_configured(
    live_server: Callable[..., LiveServer],
    tmp_path: Path,
    db_url: str | None,
    receiver_factory: Callable[[list[int]], Receiver],
) -> None:
    receiver = receiver_factory([])
    srv = live_server(make_settings(tmp_path, db_url, notice_webhook_url=receiver.url, notice_interval_s=0.1))
    world = builders.world(srv.engine)
    with httpx.Client(base_url=srv.api, timeout=10) as sx:
        token = sx.post("/auth/login", json={"username": "giam_sat_x", "password": builders.PASSWORD}).json()
        sx.headers["Authorization"] = f"Bearer {token['access_token']}"
        did = dk.new_dossier(srv.engine, world)
        dk.make_ready(sx, did)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and dk.notices_of(srv.engine, did)[0]["state"] != "sent":
        time.sleep(0.05)
    assert dk.notices_of(srv.engine, did)[0]["state"] == "sent"
    assert receiver.received[0][0]["kind"] == "result_ready"


def test_cli_notices_send_once(
    sqlite_server: LiveServer,
    receiver_factory: Callable[[list[int]], Receiver],
    capsys: pytest.CaptureFixture[str],
) -> None:
    world = builders.world(sqlite_server.engine)
    with httpx.Client(base_url=sqlite_server.api, timeout=10) as sx:
        token = sx.post("/auth/login", json={"username": "giam_sat_x", "password": builders.PASSWORD}).json()
        sx.headers["Authorization"] = f"Bearer {token['access_token']}"
        did = dk.new_dossier(sqlite_server.engine, world)
        dk.make_ready(sx, did)
    receiver = receiver_factory([])
    data_dir = str(sqlite_server.settings.data_dir)
    assert cli_main(["notices", "send", "--data-dir", data_dir]) == 0  # no URL: left at the desk
    assert "chờ bộ phận một cửa gửi thủ công 1" in capsys.readouterr().out
    assert cli_main(["notices", "send", "--data-dir", data_dir, "--webhook-url", receiver.url]) == 0
    assert "Đã gửi 1" in capsys.readouterr().out
    assert dk.notices_of(sqlite_server.engine, did)[0]["state"] == "sent"


def _next_working_day() -> str:
    today = now_utc().astimezone(VN_TZ).date()
    return add_working_days(today + timedelta(days=1), 0).isoformat()


def test_apology_moves_the_appointment_queues_a_notice_and_reaches_the_officer(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    sx, a = client_for("giam_sat_x"), client_for("can_bo_a")
    first_due = "2025-03-10T10:00:00+00:00"
    did = dk.new_dossier(server.engine, world, status=4, appointment_at=first_due, received_at=first_due)
    with server.engine.begin() as conn:
        vid = builders.visit(conn, did, world.officer_a, kind="pickup")
    cursor = a.get("/sync/pull").json()["next_cursor"]
    new_date = _next_working_day()
    r = sx.post(f"/dossiers/{did}/apology", json={"reason": "Chờ xác minh của xã khác", "new_date": new_date})
    assert r.status_code == 201, r.text
    apology = r.json()
    new_due = datetime.fromisoformat(f"{new_date}T17:00:00+07:00")
    assert datetime.fromisoformat(apology["new_appointment_at"]) == new_due
    assert apology["previous_appointment_at"] == first_due and apology["original_appointment_at"] == first_due
    d = sx.get(f"/dossiers/{did}").json()
    assert (
        datetime.fromisoformat(d["appointment_at"]) == new_due and d["original_appointment_at"] == first_due
    )
    (notice,) = dk.notices_of(server.engine, did)
    day = datetime.fromisoformat(new_date)
    assert notice["kind"] == "apology" and notice["id"] == apology["notice_id"]
    assert notice["text"] == (
        f"UBND xã An Phú xin lỗi: hồ sơ {d['code']} chưa có kết quả đúng hẹn "
        f"(lý do: Chờ xác minh của xã khác). Hẹn trả kết quả ngày {day:%d/%m/%Y}."
    )
    page = a.get("/sync/pull", params={"cursor": cursor}).json()
    (visit,) = [v for v in page["visits"] if v["id"] == vid]
    assert visit["notice"] == notice["text"]
    assert page["dossiers"][0]["original_appointment_at"] == first_due
    # a second apology keeps the very first appointment for scoring
    later = (datetime.fromisoformat(new_date) + timedelta(days=7)).date().isoformat()
    second = sx.post(f"/dossiers/{did}/apology", json={"reason": "Còn chờ", "new_date": later}).json()
    assert second["original_appointment_at"] == first_due
    assert datetime.fromisoformat(second["previous_appointment_at"]) == new_due
    # the form prints
    pdf = a.get(f"/dossiers/{did}/apology.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text_ = " ".join(
        unicodedata.normalize(
            "NFC", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        ).split()
    )
    for expected in (
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        d["code"],
        "Lý do: Còn chờ",
        "Trần Thị Bình",
        "ỦY BAN NHÂN DÂN XÃ AN PHÚ",
        "10/03/2025",
    ):
        assert expected in text_, expected
    # delivered on the new date: still late against the original appointment
    dk.make_ready(sx, did)
    (delivery,) = dk.delivery_visits(server.engine, did)
    (res,) = dk.push(a, eventkit.delivery(delivery["id"], d["code"], world.citizen_ids["binh"]))
    assert res["status"] == "applied" and res["dossier"]["on_time"] is False


def test_apology_refusals(server: LiveServer, world: builders.World, client_for: Clients) -> None:
    sx, sy, a = client_for("giam_sat_x"), client_for("giam_sat_y"), client_for("can_bo_a")
    due = "2025-03-10T10:00:00+00:00"
    did = dk.new_dossier(server.engine, world, status=4, appointment_at=due)
    body = {"reason": "Chậm do mất điện", "new_date": _next_working_day()}
    assert a.post(f"/dossiers/{did}/apology", json=body).status_code == 403
    assert sy.post(f"/dossiers/{did}/apology", json=body).status_code == 404
    r = sx.post(f"/dossiers/{did}/apology", json={**body, "new_date": "2025-03-09"})
    assert r.status_code == 422 and "phải sau ngày hẹn hiện tại" in r.json()["detail"]
    assert sx.post(f"/dossiers/{did}/apology", json={**body, "new_date": "2026-02-30"}).status_code == 422
    assert sx.post(f"/dossiers/{did}/apology", json={**body, "extra": 1}).status_code == 422
    returned = dk.new_dossier(server.engine, world, status=10, appointment_at=due)
    r = sx.post(f"/dossiers/{returned}/apology", json=body)
    assert r.status_code == 409 and "Đã trả kết quả" in r.json()["detail"]
    no_date = dk.new_dossier(server.engine, world, status=2)
    r = sx.post(f"/dossiers/{no_date}/apology", json=body)
    assert r.status_code == 409 and "chưa có ngày hẹn" in r.json()["detail"]
    assert sx.get(f"/dossiers/{did}/apology.pdf").status_code == 404
    assert dk.notices_of(server.engine, did) == []


def test_migration_2_adds_columns_to_an_issue_2_database(server: LiveServer) -> None:
    """A database migrated before issue 4 gets the new tables and columns (SQLite and PostgreSQL)."""
    with server.engine.begin() as conn:
        # back to the issue-2 shape: no new tables, handovers without the new columns
        for table in ("notifications", "apologies", "notices", "handover_items", "handovers"):
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("ALTER TABLE dossiers DROP COLUMN original_appointment_at"))
        conn.execute(
            text(
                "CREATE TABLE handovers (id INTEGER PRIMARY KEY, from_officer_id INTEGER, "
                "to_officer_id INTEGER, created_at VARCHAR(40) NOT NULL, giver_confirmed_at VARCHAR(40), "
                "receiver_confirmed_at VARCHAR(40), note TEXT)"
            )
        )
        conn.execute(
            text(
                "CREATE TABLE handover_items (handover_id INTEGER NOT NULL, dossier_id INTEGER NOT NULL, "
                "outcome VARCHAR(10), PRIMARY KEY (handover_id, dossier_id))"
            )
        )
        conn.execute(schema_migrations.delete().where(schema_migrations.c.version == 2))
    assert 2 in migrate(server.engine)
    with server.engine.connect() as conn:
        insp = inspect(conn)
        assert "original_appointment_at" in {c["name"] for c in insp.get_columns("dossiers")}
        assert {"direction", "created_by", "unit_id", "reason"} <= {
            c["name"] for c in insp.get_columns("handovers")
        }
        assert {"notices", "apologies", "notifications"} <= set(insp.get_table_names())
        assert "ix_handover_items_dossier" in {i["name"] for i in insp.get_indexes("handover_items")}
        assert conn.execute(select(dossiers.c.original_appointment_at)).all() == []
    assert migrate(server.engine) == []  # once only
