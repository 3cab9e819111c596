"""OutboxGateway: no automatic sending; the notice waits at the desk (GET /notices?state=queued)."""

from __future__ import annotations

from .gateway import GatewayResult, OutgoingNotice, SendOutcome

AT_DESK = "Chờ bộ phận một cửa gửi thủ công (available at the desk)"


class OutboxGateway:
    """Leaves every notice queued for the desk to send by phone / SMS app and mark as sent."""

    def send(self, notice: OutgoingNotice) -> GatewayResult:
        """Nothing goes out: the notice is reported as waiting at the desk."""
        return GatewayResult(SendOutcome.AT_DESK, 0, AT_DESK)
