"""The fee step: amount, cash or transfer with a receipt number, VietQR for transfers."""

from __future__ import annotations

from typing import Any

import flet as ft

from mobile.i18n import format_vnd
from mobile.receipt import qr_png
from mobile.ui.theme import MUTED, OK, WARN, big_button


class FeeStep:
    """Mixin: `_fee()` draws the step, `_done_fee()` validates it into draft.data['payment']."""

    ctx: Any
    svc: Any
    draft: Any
    detail: Any

    def _fee_amount(self) -> int:
        """What must be paid now (the flow decides: catalogue rule, or what is still owed)."""
        raise NotImplementedError

    def _fee_lead(self) -> list[ft.Control]:
        """Controls above the amount (pickup: the page count of per-page fees)."""
        return []

    def _fee_free(self) -> list[ft.Control]:
        """What to show when nothing is due."""
        return [ft.Text(self.ctx.t("fee_free"), size=18, weight=ft.FontWeight.BOLD, color=OK)]

    def _fee(self) -> list[ft.Control]:
        t = self.ctx.t
        amount = self._fee_amount()
        fee_in = self.draft.data.setdefault("fee_input", {})
        items: list[ft.Control] = list(self._fee_lead())
        if amount <= 0:
            return items + self._fee_free()
        items.append(ft.Text(t("fee_amount", amount=format_vnd(amount)), size=20, weight=ft.FontWeight.BOLD))
        unit_id = self.detail.unit_id
        # no account synced for this commune: transfer is not offered (never a made-up account)
        can_transfer = self.svc.bank_for(unit_id) is not None
        methods = ("cash", "transfer") if can_transfer else ("cash",)
        method = fee_in.get("method")
        if method not in methods:
            method = fee_in["method"] = None if can_transfer else "cash"
        items.append(
            ft.Row(
                wrap=True,
                controls=[
                    big_button(t(f"pay_{m}"), self._method, primary=method == m, key=f"pay-{m}", data=m)
                    for m in methods
                ],
            )
        )
        if not can_transfer:
            items.append(
                ft.Text(t("fee_cash_only"), color=WARN, weight=ft.FontWeight.BOLD, key="fee-cash-only")
            )
        items.append(self._field("receipt_no", t("receipt_no"), fee_in.get("receipt_no", "")))
        if method == "transfer":
            qr = self.svc.vietqr(amount, self.detail.row.dossier_code, unit_id)
            if qr:
                payload, bank = qr
                items.append(ft.Text(t("vietqr_hint", bank=bank.bank_name, account=bank.account)))
                items.append(ft.Image(src=qr_png(payload, box_size=5), width=220, height=220))
                items.append(ft.Text(payload, size=10, color=MUTED, selectable=True))
        return items

    def _method(self, e: ft.Event) -> None:
        self._save_fields()
        self.draft.data.setdefault("fee_input", {})["method"] = e.control.data
        self.svc.save(self.draft)
        self.render()

    def _done_fee(self) -> None:
        self._save_fields()
        fee_in = self.draft.data.get("fee_input", {})
        self.draft.data["payment"] = self.svc.check_payment(
            self._fee_amount(), fee_in.get("method"), fee_in.get("receipt_no", ""), self.detail.unit_id
        )

    # provided by the flow view
    def _save_fields(self, e: ft.Event | None = None) -> None: ...
    def _field(self, key: str, label: str, value: str = "", **kw: Any) -> ft.TextField:
        raise NotImplementedError
    def render(self) -> None: ...
