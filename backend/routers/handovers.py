"""Chain of custody: handovers between desk and field officers, and the dossier tracking log."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api_client.models import HandoverCreate, HandoverPublic, TrackingLog

from ..deps import CurrentOfficer, EngineDep
from ..services import custody, tracking
from ..services.evidence import record_handover

router = APIRouter(tags=["custody"])


@router.post("/handovers", status_code=201)
def create_handover(body: HandoverCreate, engine: EngineDep, officer: CurrentOfficer) -> HandoverPublic:
    """Record a handover; the creator's side is confirmed now, the counterpart confirms later.

    A phone's seal over it (issue 9) is checked and kept like an event's, once the handover exists.
    """
    created = custody.create_handover(engine, officer, body)
    record_handover(engine, officer, body)
    return created


@router.post("/handovers/{handover_id}/confirm")
def confirm_handover(handover_id: int, engine: EngineDep, officer: CurrentOfficer) -> HandoverPublic:
    """The named counterpart confirms (again: no change); anyone else 403/404."""
    return custody.confirm_handover(engine, officer, handover_id)


@router.get("/handovers")
def list_handovers(engine: EngineDep, officer: CurrentOfficer, pending: bool | None = None,
                   dossier_id: int | None = None) -> list[HandoverPublic]:
    """Visible handovers, newest first; pending=true: those awaiting this officer's confirmation."""
    return custody.list_handovers(engine, officer, pending, dossier_id)


@router.get("/dossiers/{dossier_id}/tracking-log")
def tracking_log(dossier_id: int, engine: EngineDep, officer: CurrentOfficer) -> TrackingLog:
    """The phiếu kiểm soát: custody rows in time order with early / on time / late."""
    return tracking.tracking_log(engine, officer, dossier_id)


@router.get("/dossiers/{dossier_id}/tracking-log.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def tracking_log_pdf(dossier_id: int, engine: EngineDep, officer: CurrentOfficer) -> Response:
    """The tracking log as a printable PDF."""
    data, name = tracking.tracking_log_pdf(engine, officer, dossier_id)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})
