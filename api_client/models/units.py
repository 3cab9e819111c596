"""Administrative units as a tree: province -> commune -> hamlet (data, never code)."""

from __future__ import annotations

from enum import Enum

from .base import PublicModel


class UnitLevel(str, Enum):
    """Level of an administrative unit."""

    PROVINCE = "province"
    COMMUNE = "commune"
    HAMLET = "hamlet"


class UnitPublic(PublicModel):
    """One unit; `code` is the unit identifier printed in dossier codes (communes)."""

    id: int
    code: str
    name: str
    level: UnitLevel
    parent_id: int | None = None
    lat: float | None = None
    lon: float | None = None
