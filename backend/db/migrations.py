"""Schema migrations, registered in one list and applied in order, once each."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert, inspect, select, text, update
from sqlalchemy.exc import DBAPIError

from api_client.domain.clock import now_utc
from api_client.domain.codes import new_lookup_token

from .schema import (
    apologies,
    change_counter,
    citizens,
    dossiers,
    geocode_cache,
    handover_items,
    handovers,
    metadata,
    notices,
    notifications,
    schema_migrations,
    visits,
)
from .search import refresh_search_text

log = logging.getLogger(__name__)


def _initial(conn: Connection) -> None:
    metadata.create_all(conn)
    if conn.execute(select(change_counter.c.id)).first() is None:
        conn.execute(insert(change_counter).values(id=1, value=0))


def _add_missing_columns(conn: Connection, table: Table, names: list[str]) -> None:
    """ALTER TABLE ADD COLUMN for each named column the table lacks (same SQL on SQLite and PostgreSQL).

    A fresh database already has them: step 1 creates the whole current metadata.
    """
    have = {c["name"] for c in inspect(conn).get_columns(table.name)}
    for name in names:
        if name in have:
            continue
        column = table.c[name]
        kind = column.type.compile(dialect=conn.dialect)
        conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN {name} {kind}'))


def _issue4(conn: Connection) -> None:
    metadata.create_all(conn, tables=[notices, apologies, notifications])
    _add_missing_columns(conn, dossiers, ["original_appointment_at"])
    _add_missing_columns(conn, handovers, ["direction", "created_by", "unit_id", "reason"])
    for index in handover_items.indexes:
        index.create(conn, checkfirst=True)


def _issue5(conn: Connection) -> None:
    # imported here so this step stays readable next to the others' import block
    from .schema import ISSUE5_INDEXES, breadcrumbs, duty_changes, track_batches

    metadata.create_all(conn, tables=[breadcrumbs, track_batches, duty_changes])
    for index in ISSUE5_INDEXES:
        index.create(conn, checkfirst=True)


def latest_visit_officer(kind: str) -> Any:
    """The assignee of the dossier's latest completed visit of that kind (correlated scalar subquery).

    This was how indicators found a dossier's officer before migration 4; the backfill reuses it so
    the numbers for past dossiers do not change when the columns take over.
    """
    return (
        select(visits.c.assignee_id)
        .where(visits.c.dossier_id == dossiers.c.id, visits.c.kind == kind, visits.c.status == "completed")
        .order_by(visits.c.completed_at.desc(), visits.c.id.desc())
        .limit(1)
        .correlate(dossiers)
        .scalar_subquery()
    )


def _dossier_officers(conn: Connection) -> None:
    _add_missing_columns(conn, dossiers, ["received_by", "returned_by"])
    # only dossiers actually received / returned get an officer (a supplement request is no receipt)
    conn.execute(
        update(dossiers)
        .where(dossiers.c.received_at.is_not(None), dossiers.c.received_by.is_(None))
        .values(received_by=latest_visit_officer("pickup"))
    )
    conn.execute(
        update(dossiers)
        .where(dossiers.c.returned_at.is_not(None), dossiers.c.returned_by.is_(None))
        .values(returned_by=latest_visit_officer("delivery"))
    )


def _dossier_search(conn: Connection) -> None:
    _add_missing_columns(conn, dossiers, ["search_text"])
    refresh_search_text(conn, dossiers.c.search_text.is_(None))
    if conn.dialect.name == "postgresql":
        _trigram_index(conn)


def _trigram_index(conn: Connection) -> None:
    """A pg_trgm GIN index, so `LIKE '%word%'` need not read every dossier of a province.

    Optional: without the extension (or the right to create it) searches still work, by a scan.
    SQLite has no index for infix LIKE; a commune's dossiers are few enough to scan.
    """
    try:
        with conn.begin_nested():  # a failure must not abort the migration's transaction
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(text("CREATE INDEX IF NOT EXISTS ix_dossiers_search_trgm "
                              "ON dossiers USING gin (search_text gin_trgm_ops)"))
    except DBAPIError as exc:
        log.warning("pg_trgm unavailable, dossier search will scan: %s", exc.orig)


def _notice_leases(conn: Connection) -> None:
    _add_missing_columns(conn, notices, ["lease_owner", "lease_until"])


def _locations(conn: Connection) -> None:
    _add_missing_columns(conn, citizens, ["location_source", "location_precision", "location_note"])
    metadata.create_all(conn, tables=[geocode_cache])
    # coordinates already stored came with the import (or the seed): that is what they are
    conn.execute(update(citizens).where(citizens.c.lat.is_not(None), citizens.c.location_source.is_(None))
                 .values(location_source="imported", location_precision="exact"))


def _lookup_tokens(conn: Connection) -> None:
    """Give every existing dossier its own lookup token, then make tokens unique."""
    _add_missing_columns(conn, dossiers, ["lookup_token"])
    missing = conn.execute(select(dossiers.c.id).where(dossiers.c.lookup_token.is_(None))).scalars().all()
    for dossier_id in missing:
        conn.execute(update(dossiers).where(dossiers.c.id == dossier_id)
                     .values(lookup_token=new_lookup_token()))
    for index in dossiers.indexes:
        if index.name == "ux_dossiers_lookup_token":
            index.create(conn, checkfirst=True)


def _accounts(conn: Connection) -> None:
    from .schema import (
        ISSUE9_INDEXES,
        audit_log,
        auth_devices,
        auth_refresh_tokens,
        auth_sessions,
        auth_throttle,
    )

    metadata.create_all(conn, tables=[auth_devices, auth_sessions, auth_refresh_tokens, auth_throttle,
                                      audit_log])
    for index in ISSUE9_INDEXES:
        index.create(conn, checkfirst=True)


def _evidence(conn: Connection) -> None:
    from .schema import ISSUE9_EVIDENCE_INDEXES, device_keys, event_evidence

    metadata.create_all(conn, tables=[device_keys, event_evidence])
    for index in ISSUE9_EVIDENCE_INDEXES:
        index.create(conn, checkfirst=True)
    # events applied before seals existed are unsigned, not "missing": only a row deleted later is
    from .schema import events

    old = select(events.c.id, events.c.officer_id, events.c.type, events.c.visit_id, events.c.received_at)
    rows = [dict(r) | {"event_id": r["id"], "status": "unsigned", "flags": ["unsigned"]}
            for r in conn.execute(old).mappings()]
    if rows:
        conn.execute(insert(event_evidence), [{k: r[k] for k in (
            "event_id", "officer_id", "type", "visit_id", "received_at", "status", "flags")} for r in rows])


def _honesty(conn: Connection) -> None:
    from .schema import HONESTY_COLUMNS, ISSUE9_HONESTY_INDEXES, device_clock_samples, event_evidence

    metadata.create_all(conn, tables=[device_clock_samples])
    _add_missing_columns(conn, event_evidence, HONESTY_COLUMNS)
    for index in ISSUE9_HONESTY_INDEXES:
        index.create(conn, checkfirst=True)


def _wipe_orders(conn: Connection) -> None:
    from .schema import wipe_orders

    metadata.create_all(conn, tables=[wipe_orders])


# (version, name, step). Append new steps; never edit an applied one.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial schema", _initial),
    (2, "issue 4: custody, notices, apologies", _issue4),
    (3, "issue 5: tracking and supervision", _issue5),
    (4, "dossier officers: received_by, returned_by (backfilled from visits)", _dossier_officers),
    (5, "dossier search: folded search_text (backfilled), trigram index on PostgreSQL", _dossier_search),
    (6, "issue 11: notice leases (lease_owner, lease_until) for concurrent dispatchers", _notice_leases),
    (7, "issue 10: citizen location source/precision, geocode cache", _locations),
    (8, "public lookup: a lookup token per dossier (backfilled), unique", _lookup_tokens),
    # 9, not 6: main took 6-8 meanwhile (notice leases, locations, lookup tokens)
    (9, "issue 9 accounts: sessions, refresh tokens, devices, login throttling, audit log", _accounts),
    # evidence (issue 9) came from another branch as 6-8: renumbered after main's
    (10, "issue 9: device keys and per-event evidence seals", _evidence),
    (11, "issue 9: device clock samples, honesty flags of events", _honesty),
    (12, "issue 9: remote wipe orders", _wipe_orders),
]

# Any fixed number: every process migrating PostgreSQL takes this transaction-scoped lock first.
_PG_MIGRATION_LOCK = 0x646F6F72  # "door"


def serialise_setup(conn: Connection) -> None:
    """Wait for any other process setting up the database (migrating, loading reference data).

    Several workers and dispatchers starting at once must not run the same step twice. On
    PostgreSQL this is an advisory lock held until the transaction ends; SQLite's BEGIN IMMEDIATE
    already serialises writers.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})


def migrate(engine: Engine) -> list[int]:
    """Apply pending migrations; returns the versions applied now."""
    applied_now = []
    with engine.begin() as conn:
        serialise_setup(conn)
        if not inspect(conn).has_table("schema_migrations"):
            schema_migrations.create(conn)
        done = {row.version for row in conn.execute(select(schema_migrations.c.version))}
        for version, name, step in MIGRATIONS:
            if version in done:
                continue
            step(conn)
            conn.execute(insert(schema_migrations).values(
                version=version, name=name, applied_at=now_utc().isoformat()))
            applied_now.append(version)
    return applied_now
