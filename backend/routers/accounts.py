"""Supervisors manage accounts of their units: lockouts, disable/enable, devices; the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from api_client.models import AuditEntry, DevicePublic, LockoutPublic, OfficerPublic
from api_client.models.auth import DeviceId

from ..deps import ClientDep, EngineDep, SupervisorOnly
from ..services import audit, sessions
from ..services import auth as service
from .params import DbId, DbIdQuery

router = APIRouter(tags=["accounts"])
NOT_YOURS: dict[int | str, dict[str, Any]] = {404: {"description": "no such officer in your units"}}


@router.get("/officers/{officer_id}/lockout", responses=NOT_YOURS)
def lockout(officer_id: DbId, engine: EngineDep, supervisor: SupervisorOnly) -> LockoutPublic:
    """Whether the officer is locked out after wrong passwords, and until when."""
    return service.lockout(engine, supervisor, officer_id)


@router.post("/officers/{officer_id}/unlock", responses=NOT_YOURS)
def unlock(officer_id: DbId, engine: EngineDep, supervisor: SupervisorOnly,
           client: ClientDep) -> LockoutPublic:
    """Lift the officer's lockout now (a supervisor of their unit)."""
    return service.lift_lockout(engine, supervisor, officer_id, client)


@router.post("/officers/{officer_id}/disable", responses=NOT_YOURS)
def disable(officer_id: DbId, engine: EngineDep, supervisor: SupervisorOnly,
            client: ClientDep) -> OfficerPublic:
    """Disable the account: every session of the officer ends at once."""
    return service.set_active(engine, supervisor, officer_id, False, client)


@router.post("/officers/{officer_id}/enable", responses=NOT_YOURS)
def enable(officer_id: DbId, engine: EngineDep, supervisor: SupervisorOnly,
           client: ClientDep) -> OfficerPublic:
    """Enable a disabled account again (the officer logs in with the password)."""
    return service.set_active(engine, supervisor, officer_id, True, client)


@router.get("/officers/{officer_id}/devices", responses=NOT_YOURS)
def devices(officer_id: DbId, engine: EngineDep, supervisor: SupervisorOnly) -> list[DevicePublic]:
    """The officer's phones: device id, last seen (login or refresh), last address, live sessions."""
    with engine.connect() as conn:
        service.managed_officer(conn, supervisor, officer_id)
        return sessions.devices(conn, officer_id)


@router.post("/officers/{officer_id}/devices/{device_id}/revoke", responses=NOT_YOURS)
def revoke_device(officer_id: DbId, device_id: Annotated[DeviceId, Path()], engine: EngineDep,
                  supervisor: SupervisorOnly, client: ClientDep) -> DevicePublic:
    """Revoke one device: its sessions and refresh tokens die; its next sync is refused."""
    with engine.begin() as conn:
        service.managed_officer(conn, supervisor, officer_id)
        device = sessions.revoke_device(conn, officer_id, device_id, supervisor.id)
        audit.record(conn, "device_revoked", client, officer_id=supervisor.id, target_officer_id=officer_id,
                     device_id=device_id, status=200)
    return device


@router.get("/audit")
def audit_log(
    response: Response,
    engine: EngineDep,
    supervisor: SupervisorOnly,
    officer_id: DbIdQuery = None,
    event: Annotated[str | None, Query(max_length=30)] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditEntry]:
    """Security audit rows about officers of the supervisor's units, newest first (X-Total-Count)."""
    items, total = audit.read(engine, supervisor, officer_id=officer_id, event=event, page=page,
                              page_size=page_size)
    response.headers["X-Total-Count"] = str(total)
    return items
