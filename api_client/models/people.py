"""Officers (with roles and units) and citizens (households)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

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


class LocationSource(str, Enum):
    """Where a household's coordinates came from."""

    IMPORTED = "imported"  # the one-stop system's export carried them
    GEOCODED = "geocoded"  # the deployment's geocoder resolved the address
    HAMLET_CENTRE = "hamlet_centre"  # nothing better: the hamlet's (or commune's) centre
    VISIT = "visit"  # learned from a verified fix at the home
    SUPERVISOR = "supervisor"  # a supervisor moved the pin


class LocationPrecision(str, Enum):
    """How far the pin may be from the door."""

    EXACT = "exact"
    APPROXIMATE = "approximate"


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
    location_source: LocationSource | None = None
    location_precision: LocationPrecision | None = None
    location_note: str | None = None  # why approximate: no_geocoder, not_found, timeout, error, ...
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


class CitizenUpdate(RequestModel):
    """A supervisor's correction of a household: a new address is geocoded again."""

    address: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    hamlet_id: int | None = None
    phone: Phone | None = None


class CitizenLocationUpdate(RequestModel):
    """A supervisor moves a household's pin on the map."""

    lat: Latitude
    lon: Longitude
    source: Literal[LocationSource.SUPERVISOR] = LocationSource.SUPERVISOR
