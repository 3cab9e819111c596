"""The letter handed with a result (congratulation for a marriage, condolence for a death), server side."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, select

from api_client.documents.letters import LetterError, letter_title, render_letter
from api_client.models import OfficerPublic, Procedure, VisitKind

from ..db.schema import catalogues, citizens, dossiers, officers, units, visits
from ..errors import ApiError, not_found
from .access import can_see_dossier
from .clock import today_vn
from .dossiers import DOSSIER_NOT_FOUND
from .notices import commune_title
from .views import catalogue_public


def procedure_of(conn: Connection, dossier: Any) -> Procedure | None:
    """The dossier's procedure in the catalogue version it was registered under."""
    row = conn.execute(select(catalogues).where(catalogues.c.version == dossier["catalogue_version"])
                       ).mappings().first()
    return catalogue_public(row).procedure(dossier["procedure_code"]) if row else None


def _form(conn: Connection, dossier_id: int) -> dict[str, str]:
    """What the officer filled for the citizen at pickup (names of the spouses, of the deceased)."""
    for evidence in conn.execute(select(visits.c.evidence).where(
            visits.c.dossier_id == dossier_id, visits.c.kind == VisitKind.PICKUP.value)).scalars():
        form = (evidence or {}).get("visit.pickup_completed", {}).get("form")
        if form:
            return {str(k): str(v) for k, v in form.items()}
    return {}


def letter_values(conn: Connection, dossier: Any, officer: OfficerPublic) -> dict[str, str]:
    """Placeholder values for the dossier's letter template."""
    citizen = conn.execute(select(citizens).where(citizens.c.id == dossier["citizen_id"])).mappings().one()
    unit_name = str(conn.execute(select(units.c.name).where(units.c.id == dossier["unit_id"])).scalar_one())
    commune = commune_title(unit_name)
    deliverer = conn.execute(select(officers.c.full_name).join(visits, visits.c.assignee_id == officers.c.id)
                             .where(visits.c.dossier_id == dossier["id"],
                                    visits.c.kind == VisitKind.DELIVERY.value)
                             .order_by(visits.c.id.desc()).limit(1)).scalar()
    form = _form(conn, dossier["id"])
    names = (f"{form['ho_ten_nam']} và {form['ho_ten_nu']}"
             if form.get("ho_ten_nam") and form.get("ho_ten_nu") else str(citizen["full_name"]))
    proc = procedure_of(conn, dossier)
    today = today_vn()
    return {"citizen_names": names, "commune": commune, "commune_upper": commune.upper(),
            "commune_name": unit_name.removeprefix("Xã ").removeprefix("xã "),
            "day": f"{today.day:02d}", "month": f"{today.month:02d}", "year": str(today.year),
            "date": f"{today:%d/%m/%Y}", "officer": str(deliverer or officer.full_name),
            "result_document": proc.result_document if proc else "", "dossier_code": str(dossier["code"]),
            "deceased": form.get("ho_ten_nguoi_mat") or "người thân của gia đình"}


def letter_pdf(engine: Engine, officer: OfficerPublic, dossier_id: int) -> tuple[bytes, str]:
    """The dossier's letter as PDF and a file name; 404 when its procedure has no letter."""
    with engine.connect() as conn:
        dossier = conn.execute(select(dossiers).where(dossiers.c.id == dossier_id)).mappings().first()
        if dossier is None or not can_see_dossier(conn, officer, dossier_id):
            raise not_found(DOSSIER_NOT_FOUND)
        proc = procedure_of(conn, dossier)
        if proc is None or not proc.letter:
            raise ApiError(404, "no_letter",
                           f"Thủ tục '{dossier['procedure_code']}' không kèm thư chúc mừng/chia buồn "
                           "(this procedure has no letter)")
        values = letter_values(conn, dossier, officer)
    try:
        return render_letter(proc.letter, values), f"{proc.letter}-{dossier['code']}.pdf"
    except LetterError as exc:
        raise ApiError(404, "no_letter", f"{letter_title(proc.letter)}: {exc}") from exc
