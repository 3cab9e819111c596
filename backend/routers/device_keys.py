"""Phones (issue 9): POST /device-keys registers the key that seals evidence; remote wipe orders."""

from __future__ import annotations

from fastapi import APIRouter

from api_client.models import DeviceKeyCreate, DeviceKeyPublic, WipeApplied, WipeOrderCreate, WipeOrderPublic

from ..deps import CurrentOfficer, EngineDep, SupervisorOnly
from ..services import wipes
from ..services.evidence import register_device_key

router = APIRouter(tags=["evidence"])


@router.post("/device-keys")
def register(body: DeviceKeyCreate, engine: EngineDep, officer: CurrentOfficer) -> DeviceKeyPublic:
    """Register this phone's Ed25519 public key for the signed-in officer (idempotent)."""
    return register_device_key(engine, officer, body)


@router.post("/officers/{officer_id}/wipe")
def order_wipe(officer_id: int, body: WipeOrderCreate, engine: EngineDep,
               supervisor: SupervisorOnly) -> WipeOrderPublic:
    """Order the officer's phone wiped at its next sync (a lost or stolen phone)."""
    return wipes.order_wipe(engine, supervisor, officer_id, body)


@router.post("/wipe-orders/{order_id}/applied")
def wipe_applied(order_id: int, body: WipeApplied, engine: EngineDep,
                 officer: CurrentOfficer) -> WipeOrderPublic:
    """The phone reports that it applied the order (just before destroying its keys)."""
    return wipes.wipe_applied(engine, officer, order_id, body.device_id)
