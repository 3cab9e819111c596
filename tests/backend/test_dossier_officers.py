"""dossiers.received_by / returned_by: stamped by pickup and delivery events, backfilled by migration 4."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import builders
import deliverykit as dk
import eventkit
import httpx
from sqlalchemy import select, text, update
from testkit import LiveServer

from backend.db.migrations import migrate
from backend.db.schema import dossiers, schema_migrations, visits

Clients = Callable[[str | None], httpx.Client]


def _officers_of(server: LiveServer, dossier_id: int) -> tuple[Any, Any]:
    with server.engine.connect() as conn:
        row = conn.execute(
            select(dossiers.c.received_by, dossiers.c.returned_by).where(dossiers.c.id == dossier_id)
        ).one()
    return row.received_by, row.returned_by


def test_pickup_and_delivery_events_stamp_the_officer(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    a = client_for("can_bo_a")
    assert _officers_of(server, world.dossiers["pickup_a"]) == (None, None)
    (res,) = dk.push(a, eventkit.pickup(world.visits["pickup_a"], world.citizen_ids["an"]))
    assert res["status"] == "applied", res
    assert _officers_of(server, world.dossiers["pickup_a"]) == (world.officer_a, None)

    did = world.dossiers["delivery_a"]
    code = dk.code_of(server.engine, did)
    (res,) = dk.push(a, eventkit.delivery(world.visits["delivery_a"], code, world.citizen_ids["binh"]))
    assert res["status"] == "applied", res
    assert _officers_of(server, did)[1] == world.officer_a


def test_supplement_request_is_no_receipt(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    (res,) = dk.push(client_for("can_bo_a"), eventkit.supplement(world.visits["pickup_a"]))
    assert res["status"] == "applied", res
    assert _officers_of(server, world.dossiers["pickup_a"]) == (None, None)


def test_migration_4_backfills_from_completed_visits(server: LiveServer, world: builders.World) -> None:
    """Past dossiers get the officer of their latest completed visit; desk dossiers stay NULL."""
    with server.engine.begin() as conn:
        x, hamlet, cit = world.x["commune"], world.x["hamlets"][0], world.citizens["an"]
        received = builders.dossier(
            conn, cit, x, status=2, hamlet_id=hamlet, received_at="2026-01-05T02:00:00+00:00"
        )
        returned = builders.dossier(
            conn, cit, x, status=10, hamlet_id=hamlet, received_at="2026-01-05T02:00:00+00:00",
            returned_at="2026-01-09T02:00:00+00:00",
        )
        desk = builders.dossier(
            conn, cit, x, status=10, hamlet_id=hamlet, returned_at="2026-01-09T02:00:00+00:00"
        )
        not_received = builders.dossier(conn, cit, x, status=5, hamlet_id=hamlet)
        history = [
            (received, world.officer_b, "pickup", "completed", "2026-01-04T02:00:00+00:00"),
            (received, world.officer_a, "pickup", "completed", "2026-01-05T02:00:00+00:00"),  # latest
            (returned, world.officer_a, "pickup", "completed", "2026-01-05T02:00:00+00:00"),
            (returned, world.officer_b, "delivery", "failed", None),
            (returned, world.officer_b, "delivery", "completed", "2026-01-09T02:00:00+00:00"),
            (desk, world.officer_a, "delivery", "failed", None),
            (not_received, world.officer_a, "pickup", "completed", "2026-01-03T02:00:00+00:00"),
        ]
        for dossier_id, officer, kind, status, completed_at in history:
            vid = builders.visit(conn, dossier_id, officer, kind=kind, status=status)
            conn.execute(update(visits).where(visits.c.id == vid).values(completed_at=completed_at))
        # back to a version-3 database: no officer columns (PostgreSQL can drop them; SQLite refuses to
        # drop a column with a foreign key, so there the columns stay and are only emptied)
        if server.engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE dossiers DROP COLUMN received_by, DROP COLUMN returned_by"))
        else:
            conn.execute(update(dossiers).values(received_by=None, returned_by=None))
        conn.execute(schema_migrations.delete().where(schema_migrations.c.version == 4))
    assert migrate(server.engine) == [4]
    assert _officers_of(server, received) == (world.officer_a, None)
    assert _officers_of(server, returned) == (world.officer_a, world.officer_b)
    assert _officers_of(server, desk) == (None, None)
    assert _officers_of(server, not_received) == (None, None)
    assert migrate(server.engine) == []  # once only
