"""Driving the delivery flow in the client-less harness (the pickup's uikit, plus delivery steps)."""

from __future__ import annotations

import re

from uikit import (
    OFFICER,
    PASSWORD,
    click_key,
    joined,
    login,
    make_fix,
    set_value,
    shell,
    sign,
    start_app,
    type_key,
)

from mobile.services.models import VisitRow

N_STEPS = 7


def delivery_row(h, visit_id: int | None = None, procedure: str | None = None) -> VisitRow:
    """An open delivery on today's route with a located household."""
    rows = [r for r in shell(h).services.route.rows() if r.kind == "delivery" and r.is_open]
    if visit_id is not None:
        rows = [r for r in rows if r.visit_id == visit_id]
    if procedure:
        rows = [r for r in rows if r.procedure_code == procedure]
    rows = [r for r in rows if r.lat is not None] or rows
    assert rows, (
        f"no open delivery on the route: {[(r.visit_id, r.kind) for r in shell(h).services.route.rows()]}"
    )
    return rows[0]


def dstep(h) -> int:
    """1-based delivery step number from the header."""
    for t in h.texts():
        m = re.match(rf"Bước (\d)/{N_STEPS}", t)
        if m:
            return int(m.group(1))
    raise AssertionError(joined(h))


async def open_delivery(
    tmp_path, server, *, user: str = OFFICER, visit_id: int | None = None, procedure: str | None = None, **kw
):
    """Start the app, log in, open a delivery visit and start the flow (step 1)."""
    h = await start_app(server.url, tmp_path / "app", **kw)
    await login(h, user, PASSWORD)
    row = delivery_row(h, visit_id, procedure)
    if "fix" not in kw and "gps_error" not in kw and row.lat is not None:
        h.location.fix = make_fix(row.lat + 0.0002, row.lon)
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "start-delivery")
    assert dstep(h) == 1, joined(h)
    return h, row


async def advance_delivery(h, row: VisitRow, step: int) -> None:
    """Fill the delivery steps correctly (applicant, typed code, cash if owed, letter handed) up to `step`."""
    view = shell(h).view
    while dstep(h) < step:
        n = dstep(h)
        if n == 1:
            await type_key(h, "field-id_number", row.id_number)
            await set_value(h, "confirm-id", True)
        elif n == 2:
            await type_key(h, "field-receipt_code", row.dossier_code)
        elif n == 3:
            if view.svc.owed(view.detail) > 0:
                await click_key(h, "pay-cash")
                await type_key(h, "field-receipt_no", "BL-77")
        elif n == 4:
            if view.svc.letter_kind(view.detail):
                await set_value(h, "letter-handed", True)
        elif n == 5:
            await sign(h)
            await set_value(h, "officer-confirm", True)
        await click_key(h, "next")
        assert dstep(h) == n + 1, joined(h)
