"""Returning results: the letter handed with a result, and apologies for late results."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api_client.models import ApologyCreate, ApologyPublic

from ..deps import CurrentOfficer, EngineDep, SupervisorOnly
from ..services import apologies, letters

router = APIRouter(tags=["returns"])
_PDF: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}}}


@router.get("/dossiers/{dossier_id}/letter.pdf", response_class=Response, responses=_PDF)
def letter_pdf(dossier_id: int, engine: EngineDep, officer: CurrentOfficer) -> Response:
    """Congratulation / condolence letter; 404 (code no_letter) when the procedure has none."""
    data, name = letters.letter_pdf(engine, officer, dossier_id)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.post("/dossiers/{dossier_id}/apology", status_code=201)
def create_apology(dossier_id: int, body: ApologyCreate, engine: EngineDep,
                   supervisor: SupervisorOnly) -> ApologyPublic:
    """Apologise for a late result and set a new appointment (the first one is kept for scoring)."""
    return apologies.create_apology(engine, supervisor, dossier_id, body)


@router.get("/dossiers/{dossier_id}/apology.pdf", response_class=Response, responses=_PDF)
def apology_pdf(dossier_id: int, engine: EngineDep, officer: CurrentOfficer) -> Response:
    """The latest apology form of the dossier as PDF."""
    data = apologies.apology_pdf(engine, officer, dossier_id)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="xin-loi-{dossier_id}.pdf"'})
