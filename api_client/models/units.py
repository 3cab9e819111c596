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


class UnitSettingsPublic(PublicModel):
    """What a phone needs to know about a commune it works for (sent with every pull).

    `bank_*` is the commune's account for fee transfers (VietQR); all None when the commune has
    none, and then the phone takes cash only: it never invents an account. `lookup_url` is the
    public page where a citizen looks a dossier up (the receipt's QR appends `?ma=<code>`).
    `hamlet_ids` lets the phone find a dossier's commune from its hamlet without the unit tree.
    """

    unit_id: int
    unit_code: str
    unit_name: str
    hamlet_ids: list[int] = []
    bank_bin: str | None = None
    bank_account_no: str | None = None
    bank_account_name: str | None = None
    bank_name: str | None = None
    lookup_url: str
