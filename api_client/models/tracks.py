"""Duty tracking on the wire: a batch of breadcrumbs (compact encoding) and duty changes."""

from __future__ import annotations

from enum import Enum
from typing import Annotated
from uuid import UUID

from pydantic import Field, field_validator, model_validator

from ..domain.clock import now_utc
from ..domain.track import MAX_POINTS, TrackFormatError, TrackPoint, decode_points
from .base import MAX_CLOCK_AHEAD, DeviceTime, PublicModel, RequestModel


class DutyChange(RequestModel):
    """The officer went on or off duty at `at` (recording happens only on duty)."""

    at: DeviceTime
    on_duty: bool


class TrackBatch(RequestModel):
    """`POST /tracks`: breadcrumbs since the last batch; idempotent by `id`.

    `points` is the integer-delta encoding of `api_client.domain.track` relative to `t0`.
    """

    id: UUID
    t0: DeviceTime | None = None
    points: Annotated[str, Field(max_length=MAX_POINTS * 40)] = ""
    duty: Annotated[list[DutyChange], Field(max_length=200)] = []

    @model_validator(mode="after")
    def _points_decode(self) -> TrackBatch:
        if self.points.strip() and self.t0 is None:
            raise ValueError("Cần t0 khi có điểm (t0 is required with points)")
        if self.t0 is not None:
            try:
                points = decode_points(self.t0, self.points)
            except TrackFormatError as exc:
                raise ValueError(str(exc)) from exc
            if points and points[-1].at > now_utc() + MAX_CLOCK_AHEAD:
                raise ValueError("Điểm cuối ở tương lai, kiểm tra đồng hồ điện thoại "
                                 "(last point in the future)")
        return self

    @field_validator("t0")
    @classmethod
    def _whole_seconds(cls, value: DeviceTime | None) -> DeviceTime | None:
        return value.replace(microsecond=0) if value is not None else None

    def decoded(self) -> list[TrackPoint]:
        """The breadcrumbs as points (already validated)."""
        return decode_points(self.t0, self.points) if self.t0 is not None else []


class TrackPushStatus(str, Enum):
    """What happened to a pushed batch."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"  # same id, same body: stored before, nothing changed


class TrackPushResult(PublicModel):
    """Answer to `POST /tracks` (same id with a different body is a 409 instead)."""

    id: str
    status: TrackPushStatus
    points: int
    duty_changes: int = 0
