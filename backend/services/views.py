"""Database rows -> contract models (api_client.models *Public)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, select

from api_client.models import (
    CataloguePublic,
    CitizenPublic,
    DossierPublic,
    OfficerPublic,
    UnitPublic,
    VisitPublic,
)

from ..db.schema import officer_units

Row = RowMapping | dict[str, Any]


def visit_public(row: Row) -> VisitPublic:
    """A visits row as the phone sees it."""
    return VisitPublic.model_validate({k: row[k] for k in VisitPublic.model_fields if k in row}
                                      | {"evidence": row["evidence"] or {}})


def dossier_public(row: Row) -> DossierPublic:
    """A dossiers row as the phone sees it."""
    return DossierPublic.model_validate({k: row[k] for k in DossierPublic.model_fields if k in row})


def citizen_public(row: Row) -> CitizenPublic:
    """A citizens row as the phone sees it."""
    return CitizenPublic.model_validate({k: row[k] for k in CitizenPublic.model_fields if k in row})


def unit_public(row: Row) -> UnitPublic:
    """A units row (without the bank account)."""
    return UnitPublic.model_validate({k: row[k] for k in UnitPublic.model_fields if k in row})


def catalogue_public(row: Row) -> CataloguePublic:
    """A catalogues row: the JSON body, with version and publication time from the columns."""
    body = dict(row["body"] or {})
    body.update(version=row["version"], published_at=row["published_at"])
    return CataloguePublic.model_validate(body)


def officer_unit_ids(conn: Connection, officer_id: int) -> list[int]:
    """The units an officer belongs to."""
    q = select(officer_units.c.unit_id).where(officer_units.c.officer_id == officer_id)
    return sorted(int(u) for u in conn.execute(q).scalars())


def officer_public(conn: Connection, row: Row) -> OfficerPublic:
    """An officers row with its unit ids (never the password hash)."""
    return OfficerPublic(id=row["id"], username=row["username"], full_name=row["full_name"],
                         role=row["role"], phone=row["phone"],
                         unit_ids=officer_unit_ids(conn, row["id"]))
