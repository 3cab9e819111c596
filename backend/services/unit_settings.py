"""Per-commune settings a phone needs offline: the fee account (VietQR) and the lookup page."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from api_client.domain.banks import bank_name
from api_client.models import UnitSettingsPublic

from ..db.schema import units


def communes_of(conn: Connection, unit_ids: Iterable[int]) -> list[int]:
    """The communes the given units are or belong to (a hamlet's parent), sorted."""
    ids = sorted(set(unit_ids))
    if not ids:
        return []
    rows = conn.execute(select(units.c.id, units.c.level, units.c.parent_id).where(units.c.id.in_(ids)))
    out = set()
    for row in rows:
        if row.level == "commune":
            out.add(int(row.id))
        elif row.level == "hamlet" and row.parent_id is not None:
            out.add(int(row.parent_id))
    return sorted(out)


def parse_bank_account(value: str | None) -> tuple[str, str, str] | None:
    """The stored 'bin|account_no|name' as a triple; None when absent or malformed."""
    parts = (value or "").split("|")
    if len(parts) != 3 or not parts[0].strip() or not parts[1].strip():
        return None
    bin_, account, name = (p.strip() for p in parts)
    return bin_, account, name


def unit_settings(conn: Connection, unit_ids: Iterable[int], lookup_url: str) -> list[UnitSettingsPublic]:
    """The settings of the communes of these units (an officer's), by commune id."""
    commune_ids = communes_of(conn, unit_ids)
    if not commune_ids:
        return []
    hamlets: dict[int, list[int]] = {c: [] for c in commune_ids}
    children = select(units.c.id, units.c.parent_id).where(units.c.parent_id.in_(commune_ids))
    for child_id, parent_id in conn.execute(children.order_by(units.c.id)):
        hamlets[int(parent_id)].append(int(child_id))
    out = []
    communes = select(units).where(units.c.id.in_(commune_ids)).order_by(units.c.id)
    for unit in conn.execute(communes).mappings():
        bank = parse_bank_account(unit["bank_account"])
        out.append(UnitSettingsPublic(
            unit_id=unit["id"], unit_code=unit["code"], unit_name=unit["name"],
            hamlet_ids=hamlets[unit["id"]],
            bank_bin=bank[0] if bank else None, bank_account_no=bank[1] if bank else None,
            bank_account_name=(bank[2] or None) if bank else None,
            bank_name=bank_name(bank[0]) if bank else None,
            lookup_url=lookup_url))
    return out
