"""Breadcrumbs: store a phone's track batch exactly once, and read an officer's points of a day.

A batch is idempotent by its UUID: the same id with the same body (canonical JSON SHA-256)
is a duplicate and changes nothing; the same id with another body is a 409. The batch row and
its points are written in one transaction, so a retry after a lost answer finds the batch.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, insert, select
from sqlalchemy.exc import IntegrityError

from api_client.domain.geo import distance_m
from api_client.models import OfficerPublic, TrackBatch, TrackPushResult, TrackPushStatus

from ..db.schema import breadcrumbs, duty_changes, officers, track_batches
from ..errors import ApiError
from .clock import VN_TZ, iso, now_iso
from .events import body_hash

INSERT_CHUNK = 1000


def day_bounds(day: date) -> tuple[str, str]:
    """[start, end) of a Vietnam calendar day as stored ISO UTC strings."""
    start = datetime.combine(day, time(0, 0), tzinfo=VN_TZ)
    return iso(start), iso(start + timedelta(days=1))


def _reused() -> ApiError:
    return ApiError(
        409,
        "conflict",
        "Mã lô hành trình đã dùng cho nội dung khác (track batch id reused with a different body)",
    )


def _replay(row: Any, digest: str, officer: OfficerPublic) -> TrackPushResult:
    if row["body_hash"] != digest or row["officer_id"] != officer.id:
        raise _reused()
    return TrackPushResult(
        id=row["id"], status=TrackPushStatus.DUPLICATE, points=row["count"], duty_changes=row["duty_changes"]
    )


def push_track(engine: Engine, officer: OfficerPublic, batch: TrackBatch) -> TrackPushResult:
    """Store one batch of breadcrumbs and duty changes (applied), or recognise a retry (duplicate)."""
    key = str(batch.id)
    digest = body_hash(batch.model_dump(mode="json"))
    points = batch.decoded()
    try:
        with engine.begin() as conn:
            row = conn.execute(select(track_batches).where(track_batches.c.id == key)).mappings().first()
            if row is not None:
                return _replay(row, digest, officer)
            conn.execute(
                insert(track_batches).values(
                    id=key,
                    officer_id=officer.id,
                    body_hash=digest,
                    received_at=now_iso(),
                    count=len(points),
                    duty_changes=len(batch.duty),
                )
            )
            rows = [
                {
                    "officer_id": officer.id,
                    "recorded_at": iso(p.at),
                    "lat": p.lat,
                    "lon": p.lon,
                    "accuracy_m": p.accuracy_m,
                    "batch_id": key,
                }
                for p in points
            ]
            for start in range(0, len(rows), INSERT_CHUNK):
                conn.execute(insert(breadcrumbs), rows[start : start + INSERT_CHUNK])
            if batch.duty:
                conn.execute(
                    insert(duty_changes),
                    [
                        {"officer_id": officer.id, "at": iso(d.at), "on_duty": d.on_duty, "batch_id": key}
                        for d in batch.duty
                    ],
                )
    except IntegrityError:
        # the same id committed concurrently by another request: answer as a retry would
        with engine.connect() as conn:
            row = conn.execute(select(track_batches).where(track_batches.c.id == key)).mappings().first()
        if row is None:
            raise
        return _replay(row, digest, officer)
    return TrackPushResult(
        id=key, status=TrackPushStatus.APPLIED, points=len(points), duty_changes=len(batch.duty)
    )


def day_points(conn: Connection, officer_id: int, day: date) -> list[dict[str, Any]]:
    """The officer's breadcrumbs of that day, oldest first."""
    start, end = day_bounds(day)
    q = (
        select(breadcrumbs.c.recorded_at, breadcrumbs.c.lat, breadcrumbs.c.lon, breadcrumbs.c.accuracy_m)
        .where(
            breadcrumbs.c.officer_id == officer_id,
            breadcrumbs.c.recorded_at >= start,
            breadcrumbs.c.recorded_at < end,
        )
        .order_by(breadcrumbs.c.recorded_at, breadcrumbs.c.id)
    )
    return [dict(r) for r in conn.execute(q).mappings()]


def path_length_m(points: list[dict[str, Any]]) -> float:
    """Sum of geodesic distances between consecutive points (the officer's distance, shown)."""
    return sum(distance_m(a["lat"], a["lon"], b["lat"], b["lon"]) for a, b in zip(points, points[1:]))


def last_positions(conn: Connection, officer_ids: list[int], before: str) -> dict[int, dict[str, Any]]:
    """Each officer's latest breadcrumb before `before`: one statement, one index seek per officer.

    Driven from `officers` on purpose: a GROUP BY max() over breadcrumbs would scan an
    officer's whole history (millions of rows at province scale) instead of one index entry.
    """
    if not officer_ids:
        return {}
    latest = (
        select(breadcrumbs.c.recorded_at)
        .where(breadcrumbs.c.officer_id == officers.c.id, breadcrumbs.c.recorded_at < before)
        .order_by(breadcrumbs.c.recorded_at.desc())
        .limit(1)
        .correlate(officers)
        .scalar_subquery()
    )
    sub = (
        select(officers.c.id.label("oid"), latest.label("at"))
        .where(officers.c.id.in_(officer_ids))
        .subquery()
    )
    q = (
        select(breadcrumbs)
        .join(sub, and_(breadcrumbs.c.officer_id == sub.c.oid, breadcrumbs.c.recorded_at == sub.c.at))
        .order_by(breadcrumbs.c.id)
    )
    return {r["officer_id"]: dict(r) for r in conn.execute(q).mappings()}


def duty_states(conn: Connection, officer_ids: list[int], before: str) -> dict[int, bool]:
    """Each officer's last reported duty state before `before` (absent: never reported)."""
    if not officer_ids:
        return {}
    latest = (
        select(duty_changes.c.id)
        .where(duty_changes.c.officer_id == officers.c.id, duty_changes.c.at < before)
        .order_by(duty_changes.c.at.desc(), duty_changes.c.id.desc())
        .limit(1)
        .correlate(officers)
        .scalar_subquery()
    )
    sub = (
        select(officers.c.id.label("oid"), latest.label("did"))
        .where(officers.c.id.in_(officer_ids))
        .subquery()
    )
    q = select(duty_changes.c.officer_id, duty_changes.c.on_duty).join(sub, duty_changes.c.id == sub.c.did)
    return {r.officer_id: bool(r.on_duty) for r in conn.execute(q)}
