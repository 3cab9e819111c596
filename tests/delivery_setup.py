"""Test data for delivery tests, made THROUGH THE API as the desk would: a result becomes ready.

`ready_delivery(base_url, procedure)` moves an accepted (2) home-return dossier of `procedure` to
9 as a supervisor; the server then plans a delivery visit for the hamlet officer, which is moved
to today (the server plans it for the next working day after 15:00). Returns who must log in.
"""

from __future__ import annotations

from dataclasses import dataclass

from api_client import Client
from api_client.domain.clock import today_vn
from api_client.models import DossierPublic, VisitPublic
from backend.seed import DEMO_OFFICERS, DEMO_PASSWORD


@dataclass
class ReadyDelivery:
    """A delivery visit planned for today, its dossier and the officer it is assigned to."""

    visit: VisitPublic
    dossier: DossierPublic
    username: str
    password: str = DEMO_PASSWORD


def _login(base_url: str, username: str) -> Client:
    api = Client(base_url)
    api.login(username, DEMO_PASSWORD)
    return api


def ready_delivery(base_url: str, procedure: str, prefer_officer: str | None = None) -> ReadyDelivery:
    """Make a result of `procedure` ready and return its delivery visit (assigned, planned today)."""
    supervisors = [o.username for o in DEMO_OFFICERS if o.role == "supervisor"]
    officers = {_login(base_url, o.username).me().id: o.username for o in DEMO_OFFICERS}
    today = today_vn().isoformat()
    candidates = []
    for name in supervisors:
        sup = _login(base_url, name)
        for d in sup.list_dossiers(status=2, page_size=500):
            if d.procedure_code == procedure and d.return_method.value == "home":
                candidates.append((sup, d))
    assert candidates, f"no accepted {procedure} dossier to make ready"
    for sup, d in candidates:
        sup.change_dossier_status(d.id, 9, note="Kết quả đã có")
        visits = [v for v in sup.list_visits(kind="delivery", page_size=500) if v.dossier_id == d.id]
        visit = next((v for v in visits if v.status.value == "planned"), None)
        if visit is None or visit.assignee_id not in officers:
            continue
        username = officers[visit.assignee_id]
        if prefer_officer and username != prefer_officer:
            continue
        if visit.planned_date != today:
            visit = sup.update_visit(visit.id, {"planned_date": today})
        return ReadyDelivery(visit, sup.get_dossier(d.id), username)
    raise AssertionError(f"no {procedure} delivery could be planned for a demo officer")


def set_fee_owed(engine, dossier_id: int, fee_vnd: int) -> None:
    """Server side: the dossier still owes `fee_vnd` (nothing paid yet), as after a desk intake."""
    from sqlalchemy import update

    from backend.db.schema import dossiers

    with engine.begin() as conn:
        conn.execute(
            update(dossiers).where(dossiers.c.id == dossier_id).values(fee_vnd=fee_vnd, fee_paid_vnd=0)
        )
