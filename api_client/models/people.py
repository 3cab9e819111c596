"""Officers (with roles and units) and citizens (households)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, Field

from ..domain.identity import check_citizen_id, check_phone
from .base import Latitude, Longitude, PublicModel, RequestModel


class Role(str, Enum):
    """What an officer may do."""

    HAMLET_OFFICER = "hamlet_officer"
    POSTAL_WORKER = "postal_worker"
    SUPERVISOR = "supervisor"


CitizenId = Annotated[str, AfterValidator(lambda v: check_citizen_id(v))]
Phone = Annotated[str, AfterValidator(check_phone)]


class OfficerPublic(PublicModel):
    """An officer as others see them (never the password hash)."""

    id: int
    username: str
    full_name: str
    role: Role
    unit_ids: list[int] = []
    phone: str | None = None


class OfficerCreate(RequestModel):
    """Create an officer account."""

    username: Annotated[str, Field(min_length=3, max_length=64, pattern=r"^[a-z0-9_.]+$")]
    password: Annotated[str, Field(min_length=8, max_length=200)]
    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    role: Role
    unit_ids: list[int] = []
    phone: Phone | None = None


class CitizenPublic(PublicModel):
    """A citizen / household the officer visits."""

    id: int
    full_name: str
    id_number: str
    phone: str | None = None
    address: str
    hamlet_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    birth_date: str | None = None
    updated_at: str | None = None


class CitizenCreate(RequestModel):
    """A citizen as an import or the desk registers them."""

    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    id_number: CitizenId
    phone: Phone | None = None
    address: Annotated[str, Field(min_length=1, max_length=500)]
    hamlet_id: int | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
