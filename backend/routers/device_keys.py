"""POST /device-keys: a phone registers the public key that seals its evidence (issue 9)."""

from __future__ import annotations

from fastapi import APIRouter

from api_client.models import DeviceKeyCreate, DeviceKeyPublic

from ..deps import CurrentOfficer, EngineDep
from ..services.evidence import register_device_key

router = APIRouter(tags=["evidence"])


@router.post("/device-keys")
def register(body: DeviceKeyCreate, engine: EngineDep, officer: CurrentOfficer) -> DeviceKeyPublic:
    """Register this phone's Ed25519 public key for the signed-in officer (idempotent)."""
    return register_device_key(engine, officer, body)
