"""Demo duty tracks for today: each field officer set off at 07:30, walked (scooter speed) to the
first households of the route, completed a few visits and failed one, leaving breadcrumbs every
30 s, so the supervisor's board shows officers on the map with their tracks.

Deterministic for a given seed and day, like backend/seed.py (its own random stream, so the
main demo data do not change).
"""

from __future__ import annotations

import math
import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from api_client.domain.clock import VN_TZ
from api_client.domain.geo import distance_m
from api_client.domain.timeliness import Outcome, add_working_days, appointment_for, outcome_of
from api_client.models import CataloguePublic

from .db.changes import next_seq
from .db.schema import (
    breadcrumbs,
    citizens,
    dossier_status_log,
    dossiers,
    duty_changes,
    officers,
    track_batches,
    visits,
)
from .reference import utc_iso
from .services.supervision import planned_route

START = time(7, 30)
SPEED_M_S = 5.0  # ~18 km/h on a scooter along hamlet roads
STEP_S = 30
DONE_PER_OFFICER = 3  # completed visits before the failed one


def seed_tracks(conn: Connection, catalogue: CataloguePublic, today: date, rng_seed: int) -> int:
    """Tracks and today's first visit outcomes for every field officer with a route; points written."""
    rng = random.Random(rng_seed * 7919 + 5)
    staff = list(conn.execute(select(officers.c.id).where(officers.c.role != "supervisor")
                              .order_by(officers.c.id)).scalars())
    written = 0
    for officer_id in staff:
        rows = [dict(r) for r in conn.execute(
            select(visits, citizens.c.lat, citizens.c.lon)
            .join(citizens, citizens.c.id == visits.c.citizen_id)
            .where(visits.c.assignee_id == officer_id, visits.c.planned_date == today.isoformat(),
                   visits.c.status == "planned").order_by(visits.c.id)).mappings()]
        rows = [r for r in rows if r["lat"] is not None]
        if rows:
            written += _officer_day(conn, catalogue, officer_id, planned_route(rows, None), today, rng)
    return written


def _walk(start: tuple[float, float], end: tuple[float, float], at: datetime,
          rng: random.Random) -> tuple[list[tuple[datetime, float, float, float]], datetime]:
    """Points every STEP_S from start to end with a little GPS jitter; returns them and the arrival time."""
    distance = distance_m(start[0], start[1], end[0], end[1])
    steps = max(1, math.ceil(distance / (SPEED_M_S * STEP_S)))
    out = []
    for i in range(1, steps + 1):
        f = i / steps
        lat = start[0] + (end[0] - start[0]) * f + rng.uniform(-0.00004, 0.00004)
        lon = start[1] + (end[1] - start[1]) * f + rng.uniform(-0.00004, 0.00004)
        at = at + timedelta(seconds=STEP_S)
        out.append((at, round(lat, 5), round(lon, 5), float(rng.choice([4, 6, 8, 12, 18]))))
    return out, at


def _officer_day(conn: Connection, catalogue: CataloguePublic, officer_id: int, route: list[dict[str, Any]],
                 today: date, rng: random.Random) -> int:
    at = datetime.combine(today, START, tzinfo=VN_TZ)
    first = route[0]
    here = (first["lat"] + rng.uniform(-0.01, 0.01), first["lon"] + rng.uniform(-0.01, 0.01))
    points: list[tuple[datetime, float, float, float]] = [(at, round(here[0], 5), round(here[1], 5), 6.0)]
    for index, visit in enumerate(route[:DONE_PER_OFFICER + 1]):
        leg, at = _walk(here, (visit["lat"], visit["lon"]), at, rng)
        points += leg
        here = (visit["lat"], visit["lon"])
        at += timedelta(minutes=rng.randint(8, 18))  # at the door: checklist, photos, signature
        fix = {"lat": round(here[0] + rng.uniform(-0.0002, 0.0002), 6),
               "lon": round(here[1] + rng.uniform(-0.0002, 0.0002), 6),
               "accuracy_m": float(rng.choice([5, 8, 10, 15, 65])), "device_time": utc_iso(at)}
        if index < DONE_PER_OFFICER:
            _complete(conn, catalogue, visit, at, fix, rng)
        else:
            _fail(conn, visit, at, fix, today)
    batch_id = str(uuid.uuid4())
    start = datetime.combine(today, START, tzinfo=VN_TZ)
    conn.execute(insert(track_batches).values(id=batch_id, officer_id=officer_id, body_hash="demo_seed",
                                              received_at=utc_iso(at), count=len(points), duty_changes=1))
    conn.execute(insert(duty_changes).values(officer_id=officer_id, at=utc_iso(start), on_duty=True,
                                             batch_id=batch_id))
    conn.execute(insert(breadcrumbs), [
        {"officer_id": officer_id, "recorded_at": utc_iso(t), "lat": lat, "lon": lon, "accuracy_m": acc,
         "batch_id": batch_id} for t, lat, lon, acc in points])
    return len(points)


def _complete(conn: Connection, catalogue: CataloguePublic, visit: dict[str, Any], at: datetime,
              fix: dict[str, Any], rng: random.Random) -> None:
    seq = next_seq(conn)
    dossier = conn.execute(select(dossiers).where(dossiers.c.id == visit["dossier_id"])).mappings().one()
    event_type = "visit.pickup_completed" if visit["kind"] == "pickup" else "visit.delivery_completed"
    evidence = {"source": "demo_seed", event_type: {"occurred_at": utc_iso(at), "gps": {"fix": fix}}}
    conn.execute(update(visits).where(visits.c.id == visit["id"]).values(
        status="completed", completed_at=utc_iso(at), evidence=evidence, version=visit["version"] + 1,
        updated_at=utc_iso(at), seq=seq))
    if visit["kind"] == "pickup" and dossier["status"] == 1:
        procedure = catalogue.procedure(dossier["procedure_code"])
        limit = procedure.time_limit_days if procedure else 1
        values: dict[str, Any] = dict(
            status=2, received_at=utc_iso(at), received_by=visit["assignee_id"],
            appointment_at=utc_iso(appointment_for(at, limit)),
            fee_paid_vnd=dossier["fee_vnd"], paid_online=bool(dossier["fee_vnd"] and rng.random() < 0.5),
            digitization=1 if rng.random() < 0.8 else 0)
        note = "Tiếp nhận tại nhà (home pickup)"
    elif visit["kind"] == "delivery" and dossier["status"] == 9:
        appointment = dossier["appointment_at"]
        on_time = (outcome_of(at, datetime.fromisoformat(appointment)) != Outcome.LATE
                   if appointment else None)
        values = dict(status=10, returned_at=utc_iso(at), returned_by=visit["assignee_id"], on_time=on_time)
        note = "Trả kết quả tại nhà (returned at home)"
    else:
        return
    conn.execute(update(dossiers).where(dossiers.c.id == dossier["id"]).values(
        **values, updated_at=utc_iso(at), seq=seq))
    conn.execute(insert(dossier_status_log).values(dossier_id=dossier["id"], from_status=dossier["status"],
                                                   to_status=values["status"], at=utc_iso(at), note=note))


def _fail(conn: Connection, visit: dict[str, Any], at: datetime, fix: dict[str, Any], today: date) -> None:
    proposed = add_working_days(today + timedelta(days=1), 0)
    evidence = {"source": "demo_seed",
                "visit.failed": {"occurred_at": utc_iso(at), "reason": "nobody_home", "gps": {"fix": fix}}}
    new_visit = {k: visit[k] for k in ("kind", "dossier_id", "citizen_id", "assignee_id", "unit_id",
                                       "window_start", "window_end", "catalogue_version", "notice")}
    conn.execute(insert(visits).values(**new_visit, planned_date=proposed.isoformat(), status="planned",
                                       attempts=visit["attempts"] + 1, evidence={}, version=1,
                                       updated_at=utc_iso(at), seq=next_seq(conn)))
    conn.execute(update(visits).where(visits.c.id == visit["id"]).values(
        status="failed", failure_reason="nobody_home", failure_note="Gia đình đi vắng (demo)",
        proposed_date=proposed.isoformat(), attempts=visit["attempts"] + 1, evidence=evidence,
        version=visit["version"] + 1, updated_at=utc_iso(at), seq=next_seq(conn)))
