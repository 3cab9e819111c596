"""Results ready -> a planned delivery visit for the right officer, and the citizen told.

Called inside the transaction that moves a dossier to 9 (result ready), whatever the path.
Who delivers: a postal worker of the dossier's commune for postal dossiers (channel 3, or the
result going back by post); otherwise the hamlet officer serving the citizen's hamlet, else any
hamlet officer of the commune; nobody -> the visit is created unassigned for a supervisor to
assign. When: today if it is a working day and still before 15:00 commune time (the same
cut-off the national rules use for same-day work), else the next working day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, or_, select

from api_client.domain.timeliness import SAME_DAY_CUTOFF, add_working_days, is_working_day
from api_client.models import Channel, NoticeKind, ReturnMethod, Role, VisitKind, VisitStatus
from api_client.models.visits import OPEN_VISIT_STATUSES

from ..db.schema import citizens, officer_units, officers, units, visits
from .clock import VN_TZ, now_iso
from .notices import notice_text, queue_notice, sender_of


def delivery_day(moment: datetime) -> date:
    """Today before 15:00 on a working day (commune time), else the next working day."""
    local = moment.astimezone(VN_TZ)
    if is_working_day(local.date()) and local.time() < SAME_DAY_CUTOFF:
        return local.date()
    return next_working_day(local.date())


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    return add_working_days(day + timedelta(days=1), 0)


def goes_home(dossier: dict[str, Any]) -> bool:
    """Whether the result is returned at the door (home, or by the postal service)."""
    return (dossier["return_method"] in (ReturnMethod.HOME.value, ReturnMethod.POST.value)
            or dossier["channel"] == Channel.POSTAL.value)


def by_post(dossier: dict[str, Any]) -> bool:
    """Postal dossiers, and results going back by post, are the postal worker's."""
    return dossier["channel"] == Channel.POSTAL.value or dossier["return_method"] == ReturnMethod.POST.value


def _first_officer(conn: Connection, role: Role, unit_ids: list[int]) -> int | None:
    if not unit_ids:
        return None
    q = (select(officers.c.id).join(officer_units, officer_units.c.officer_id == officers.c.id)
         .where(officer_units.c.unit_id.in_(unit_ids), officers.c.role == role.value,
                officers.c.active.is_(True))
         .order_by(officers.c.id).limit(1))
    found = conn.execute(q).scalar()
    return int(found) if found is not None else None


def delivery_assignee(conn: Connection, dossier: dict[str, Any]) -> int | None:
    """Who should deliver this dossier's result (None when nobody covers its area)."""
    commune = dossier["unit_id"]
    commune_hamlets = [int(h) for h in conn.execute(
        select(units.c.id).where(units.c.parent_id == commune)).scalars()]
    if by_post(dossier):
        return _first_officer(conn, Role.POSTAL_WORKER, [commune, *commune_hamlets])
    citizen_hamlet = conn.execute(select(citizens.c.hamlet_id).where(
        citizens.c.id == dossier["citizen_id"])).scalar()
    for hamlet in (citizen_hamlet, dossier["hamlet_id"]):
        if hamlet is not None:
            found = _first_officer(conn, Role.HAMLET_OFFICER, [hamlet])
            if found is not None:
                return found
    return _first_officer(conn, Role.HAMLET_OFFICER, [commune, *commune_hamlets])


def open_delivery(conn: Connection, dossier_id: int) -> int | None:
    """The id of the dossier's open (planned / en route) delivery visit, if any."""
    found = conn.execute(select(visits.c.id).where(
        visits.c.dossier_id == dossier_id, visits.c.kind == VisitKind.DELIVERY.value,
        or_(*[visits.c.status == s.value for s in OPEN_VISIT_STATUSES])).limit(1)).scalar()
    return int(found) if found is not None else None


def on_result_ready(conn: Connection, dossier: dict[str, Any], seq: int, moment: datetime) -> int | None:
    """Plan the delivery (no duplicate) and queue the result-ready notice; returns the visit id."""
    day: date | None = None
    visit_id: int | None = None
    if goes_home(dossier):
        visit_id = open_delivery(conn, dossier["id"])
        if visit_id is None:
            day = delivery_day(moment)
            visit_id = int(conn.execute(insert(visits).values(
                kind=VisitKind.DELIVERY.value, dossier_id=dossier["id"], citizen_id=dossier["citizen_id"],
                assignee_id=delivery_assignee(conn, dossier), unit_id=dossier["unit_id"],
                planned_date=day.isoformat(), status=VisitStatus.PLANNED.value, attempts=0,
                catalogue_version=dossier["catalogue_version"], evidence={}, version=1,
                updated_at=now_iso(), seq=seq).returning(visits.c.id)).scalar_one())
        else:
            planned = conn.execute(select(visits.c.planned_date).where(visits.c.id == visit_id)).scalar_one()
            day = date.fromisoformat(planned)
    text = notice_text(NoticeKind.RESULT_READY, sender_of(conn, dossier["unit_id"]), dossier["code"], day=day)
    queue_notice(conn, dossier["id"], NoticeKind.RESULT_READY, text)
    return visit_id
