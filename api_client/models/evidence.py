"""Device keys and evidence integrity as the API shows them (issue 9)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import PublicModel, RequestModel, Sha256

DeviceId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]


class EvidenceBlock(RequestModel):
    """The device's signed hash-chain link over the event's evidence (see domain.evidence)."""

    v: Literal[1] = 1
    device_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    seq: Annotated[int, Field(ge=1)]
    prev: Sha256
    # the phone's own clock and monotonic counter when it sealed the event: kept even when wrong
    device_time: str
    monotonic_ms: Annotated[int, Field(ge=0)]
    # the OS boot id: monotonic times are comparable only within one boot
    boot: Annotated[str | None, Field(max_length=64)] = None
    digest: Sha256
    sig: Annotated[str, Field(max_length=200)]


class DeviceKeyCreate(RequestModel):
    """A phone registering the public half of its evidence key (at first login)."""

    device_id: DeviceId
    public_key: Annotated[str, Field(pattern=r"^[A-Za-z0-9+/]{43}=$")]  # base64 of 32 raw bytes


class DeviceKeyPublic(PublicModel):
    """A registered device key."""

    device_id: str
    officer_id: int
    public_key: str
    registered_at: str
    revoked_at: str | None = None


class EvidenceCheck(PublicModel):
    """One event's integrity: 'verified', or the flags that say why not (reason in Vietnamese)."""

    event_id: str
    type: str
    visit_id: int | None = None
    status: str
    flags: list[str] = []
    reason: str
    device_id: str | None = None
    seq: int | None = None
    received_at: str | None = None


class WipeOrderCreate(RequestModel):
    """A supervisor orders an officer's phone wiped at its next sync (a lost or stolen phone).

    Without `force` the phone first sends everything it still can, and waits while any queued
    action or photo is unsent; with `force` the supervisor accepts that unsent work is lost.
    """

    device_id: DeviceId | None = None  # None: whichever of the officer's phones syncs first
    force: bool = False


class WipeOrderPublic(PublicModel):
    """A remote wipe order and whether a phone has applied it."""

    id: int
    officer_id: int
    device_id: str | None = None
    force: bool = False
    ordered_by: int
    ordered_at: str
    applied_at: str | None = None
    applied_device: str | None = None


class WipeApplied(RequestModel):
    """The phone reports the wipe done (sent just before it destroys its keys)."""

    device_id: DeviceId
