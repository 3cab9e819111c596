"""One pickup per dossier: the server refuses a second pickup (open or completed), the at-risk lists
say a dossier was picked up instead of "no visit", and the supervisor's assign path plans the visit
the dossier's state calls for (issue 12's bug: a same-day dossier picked up at 09:00 came back in
"Đến hạn hôm nay" as having no visit, and assigning it planned a second pickup).

The day is pinned: Wednesday 2026-03-04, the pickup at 09:00 in Vietnam (02:00 UTC).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import builders
import eventkit
import httpx
import pytest
from sqlalchemy import func, select
from testkit import LiveServer

from api_client.models import AtRiskDossier, TokenPublic
from backend.db.schema import visits
from mobile import store
from mobile.services.receipts import ReceiptStore
from mobile.services.supervision import SupervisionService

Clients = Callable[[str | None], httpx.Client]
# the phone's supervision service calls a real server
pytestmark = pytest.mark.real_http

DAY = date(2026, 3, 4)
PICKED_UP_AT = datetime(2026, 3, 4, 2, 0, tzinfo=UTC).isoformat()  # 09:00 in Vietnam, before 15:00


def _visit_count(server: LiveServer, dossier_id: int) -> int:
    with server.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(visits)
                                .where(visits.c.dossier_id == dossier_id)).scalar_one())


def _pick_up_same_day_dossier(world: builders.World, client_for: Clients) -> int:
    """Officer a receives the certified-copy dossier (same-day procedure) at 09:00: due that day."""
    ev = eventkit.pickup(world.visits["pickup_a2"], world.citizen_ids["an"], occurred_at=PICKED_UP_AT,
                         checklist=[{"code": "ban_chinh", "present": True},
                                    {"code": "ban_sao", "present": True}])
    r = client_for("can_bo_a").post("/sync/push", json={"events": [ev]})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied", r.text
    return world.dossiers["pickup_a2"]


def _due_today(client: httpx.Client) -> dict[int, dict[str, Any]]:
    r = client.get("/dossiers/at-risk", params={"kind": "due_today", "date": DAY.isoformat()})
    assert r.status_code == 200, r.text
    return {d["id"]: d for d in r.json()}


def test_due_today_shows_the_completed_pickup_and_the_server_refuses_a_second_one(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    dossier_id = _pick_up_same_day_dossier(world, client_for)
    sx = client_for("giam_sat_x")
    row = _due_today(sx)[dossier_id]
    assert row["open_visit_id"] is None
    # the row says what happened instead of looking like a dossier nobody visited
    assert (row["last_visit_kind"], row["last_visit_status"]) == ("pickup", "completed")
    assert row["last_visit_at"] == PICKED_UP_AT
    assert row["next_visit_kind"] is None  # the papers are at the commune: nobody needs to go
    before = _visit_count(server, dossier_id)
    r = sx.post("/visits", json={"kind": "pickup", "dossier_id": dossier_id,
                                 "assignee_id": world.officer_a, "planned_date": "2099-01-05"})
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "pickup_done"
    assert "đã được tiếp nhận tại nhà" in r.json()["detail"]
    assert _visit_count(server, dossier_id) == before


def test_a_dossier_with_an_open_pickup_gets_no_second_one(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    sx = client_for("giam_sat_x")
    dossier_id = world.dossiers["pickup_b"]
    r = sx.post("/visits", json={"kind": "pickup", "dossier_id": dossier_id, "planned_date": "2030-01-02"})
    assert r.status_code == 409 and r.json()["code"] == "pickup_open", r.text
    assert f"#{world.visits['pickup_b']}" in r.json()["detail"]
    assert _visit_count(server, dossier_id) == 1
    # a delivery for a dossier still waiting to be picked up is refused too, with its own code
    r = sx.post("/visits", json={"kind": "delivery", "dossier_id": dossier_id, "planned_date": "2030-01-02"})
    assert r.status_code == 409 and r.json()["code"] == "result_not_ready", r.text


def test_a_supplement_request_calls_for_a_new_pickup_exactly_once(
        server: LiveServer, world: builders.World, client_for: Clients) -> None:
    a = client_for("can_bo_a")
    r = a.post("/sync/push", json={"events": [eventkit.supplement(world.visits["pickup_a"])]})
    assert r.json()["results"][0]["status"] == "applied", r.text
    sx = client_for("giam_sat_x")
    body = {"kind": "pickup", "dossier_id": world.dossiers["pickup_a"], "assignee_id": world.officer_a,
            "planned_date": "2030-01-02"}
    first = sx.post("/visits", json=body)
    assert first.status_code == 201, first.text  # the supplement visit did not receive the papers
    again = sx.post("/visits", json=body)
    assert again.status_code == 409 and again.json()["code"] == "pickup_open"


@pytest.fixture
def supervision(server: LiveServer, world: builders.World, tmp_path: Path) -> SupervisionService:
    """The phone's supervision service, signed in as supervisor X, against the live server."""
    db = store.open_store(tmp_path / "phone")
    with httpx.Client(base_url=server.api) as c:
        r = c.post("/auth/login", json={"username": "giam_sat_x", "password": builders.PASSWORD})
    store.save_session(db, TokenPublic.model_validate(r.json()), server.url)
    return SupervisionService(db, server.url, ReceiptStore(tmp_path / "receipts"))


async def test_assigning_a_picked_up_dossier_plans_nothing(
        server: LiveServer, world: builders.World, client_for: Clients,
        supervision: SupervisionService) -> None:
    dossier_id = _pick_up_same_day_dossier(world, client_for)
    row = AtRiskDossier.model_validate(_due_today(client_for("giam_sat_x"))[dossier_id])
    before = _visit_count(server, dossier_id)
    out = await supervision.assign([row], world.officer_b, planned_date="2099-01-05")
    assert (out.assigned, out.created) == (0, 0)
    assert out.skipped == [row.code]
    assert _visit_count(server, dossier_id) == before
