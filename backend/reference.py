"""Reference data shipped as files (unit tree, catalogue versions) and dossier-code allocation.

Units and procedures are data, never code: this module copies them from `backend/data/` into
the database, once, without touching rows that already exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert, select

from api_client.domain.clock import now_utc
from api_client.domain.codes import make_dossier_code, parse_dossier_code
from api_client.models import CataloguePublic

from .db.changes import next_seq
from .db.schema import catalogues, dossiers, units

DATA_DIR = Path(__file__).resolve().parent / "data"
UNITS_FILE = DATA_DIR / "units_an_giang.json"
CATALOGUE_DIR = DATA_DIR / "catalogue"


def utc_iso(moment: datetime) -> str:
    """An aware datetime as the ISO-8601 UTC string every table stores."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def now_iso() -> str:
    """Now, as stored."""
    return utc_iso(now_utc())


def insert_id(conn: Connection, table: Table, values: dict[str, Any]) -> int:
    """Insert one row and return its new integer id (RETURNING works on SQLite and PostgreSQL)."""
    return int(conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())


@dataclass(frozen=True)
class UnitSpec:
    """One unit read from the units file, with its parent's code."""

    code: str
    name: str
    level: str
    parent_code: str | None
    lat: float | None
    lon: float | None
    bank_account: str | None


def _walk(node: dict[str, Any], parent_code: str | None) -> Iterator[UnitSpec]:
    bank = None
    if node.get("bank_bin") and node.get("account_no"):
        bank = f"{node['bank_bin']}|{node['account_no']}|{node.get('account_name', '')}"
    yield UnitSpec(code=node["code"], name=node["name"], level=node["level"], parent_code=parent_code,
                   lat=node.get("lat"), lon=node.get("lon"), bank_account=bank)
    for child in node.get("children", []):
        yield from _walk(child, node["code"])


def read_units_file(path: Path = UNITS_FILE) -> list[UnitSpec]:
    """Every unit of the tree file, parents before children."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [spec for root in doc["units"] for spec in _walk(root, None)]


def ensure_units(conn: Connection, path: Path = UNITS_FILE) -> int:
    """Insert the units of the file that are missing (matched by code); returns how many were added."""
    ids = {row.code: row.id for row in conn.execute(select(units.c.code, units.c.id))}
    added = 0
    for spec in read_units_file(path):
        if spec.code in ids:
            continue
        parent_id = ids.get(spec.parent_code) if spec.parent_code else None
        ids[spec.code] = insert_id(conn, units, {
            "code": spec.code, "name": spec.name, "level": spec.level, "parent_id": parent_id,
            "lat": spec.lat, "lon": spec.lon, "bank_account": spec.bank_account})
        added += 1
    return added


def read_catalogue_files(directory: Path = CATALOGUE_DIR) -> list[tuple[CataloguePublic, dict[str, Any]]]:
    """Every catalogue version file, validated against the contract, with its raw JSON."""
    out = []
    for path in sorted(directory.glob("v*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        out.append((CataloguePublic.model_validate(raw), raw))
    return sorted(out, key=lambda pair: pair[0].version)


def ensure_catalogues(conn: Connection, directory: Path = CATALOGUE_DIR) -> int:
    """Publish catalogue versions that are not in the database yet; a stored version is never rewritten."""
    have = {int(v) for v in conn.execute(select(catalogues.c.version)).scalars()}
    added = 0
    for model, raw in read_catalogue_files(directory):
        if model.version in have:
            continue
        # The raw file is stored (not the model dump) so maintainers' notes in it survive.
        conn.execute(insert(catalogues).values(
            version=model.version, published_at=model.published_at or now_iso(), body=raw,
            seq=next_seq(conn)))
        added += 1
    return added


def ensure_reference_data(engine: Engine) -> tuple[int, int]:
    """Load units and catalogues if missing; returns (units added, catalogue versions added)."""
    with engine.begin() as conn:
        return ensure_units(conn), ensure_catalogues(conn)


def latest_catalogue(conn: Connection) -> CataloguePublic | None:
    """The highest published catalogue version, or None when none is loaded."""
    body = conn.execute(select(catalogues.c.body).order_by(catalogues.c.version.desc()).limit(1)).scalar()
    if body is None:
        return None
    return CataloguePublic.model_validate(json.loads(body) if isinstance(body, str) else body)


def allocate_dossier_code(conn: Connection, unit_code: str, day: date) -> str:
    """The next free code `<unit>-<YYMMDD>-<NNNN>` for that unit and day.

    Call `next_seq(conn)` earlier in the same transaction: the counter row lock serialises
    writers on PostgreSQL (SQLite takes the write lock at BEGIN), so two allocations never race.
    """
    prefix = make_dossier_code(unit_code, day, 1)[:-4]
    taken = conn.execute(select(dossiers.c.code).where(dossiers.c.code.like(prefix + "%"))).scalars()
    highest = max((_sequence_of(code) for code in taken), default=0)
    return make_dossier_code(unit_code, day, highest + 1)


def _sequence_of(code: str) -> int:
    try:
        return parse_dossier_code(code)[2]
    except ValueError:  # a malformed code imported from elsewhere must not block new ones
        return 0
