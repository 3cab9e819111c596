"""Base classes: requests forbid unknown fields, responses tolerate them (old phones, new servers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..domain.clock import now_utc

# Timestamps from phones: clocks can be wrong, but not absurdly so.
EARLIEST_TIMESTAMP = datetime(2020, 1, 1, tzinfo=UTC)
MAX_CLOCK_AHEAD = timedelta(days=2)


class RequestModel(BaseModel):
    """A body the client sends: unknown fields are an error, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PublicModel(BaseModel):
    """A body the server returns: unknown fields are ignored so older clients keep working."""

    model_config = ConfigDict(extra="ignore")


def _plausible_time(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("Thời điểm phải có múi giờ (timestamp needs a timezone)")
    if value < EARLIEST_TIMESTAMP:
        raise ValueError("Thời điểm trước năm 2020 là không hợp lý (timestamp before 2020)")
    if value > now_utc() + MAX_CLOCK_AHEAD:  # the server binds its clock per request
        raise ValueError(
            "Thời điểm ở tương lai, kiểm tra đồng hồ điện thoại (timestamp in the future)"
        )
    return value


DeviceTime = Annotated[datetime, AfterValidator(_plausible_time)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
