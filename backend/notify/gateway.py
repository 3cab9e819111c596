"""The gateway interface: one notice in, one outcome out (the dispatcher records it on the row)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol


class SendOutcome(str, Enum):
    """What became of one send."""

    SENT = "sent"  # the gateway accepted it
    RETRY = "retry"  # transient failure (connection, 5xx): try again on a later run
    FAILED = "failed"  # permanent failure (e.g. the gateway refused the request): stop trying
    AT_DESK = "at_desk"  # left for the desk to send by hand (outbox): stays queued


@dataclass(frozen=True)
class OutgoingNotice:
    """The part of a notice a gateway needs."""

    id: int
    phone: str
    text: str
    dossier_code: str
    kind: str


@dataclass(frozen=True)
class GatewayResult:
    """Outcome of one send, with what the gateway said and how many tries it took."""

    outcome: SendOutcome
    attempts: int = 0
    response: str | None = None
    error: str | None = None


class NoticeGateway(Protocol):
    """Anything that can deliver a notice to a citizen's phone (or hand it to someone who will)."""

    def send(self, notice: OutgoingNotice) -> GatewayResult:
        """Try to deliver one notice; never raises for delivery problems, reports them instead."""
        ...
