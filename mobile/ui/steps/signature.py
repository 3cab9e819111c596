"""The signature step: the pad, saved on every stroke, plus the officer's confirmation."""

from __future__ import annotations

from typing import Any

import flet as ft

from mobile.ui.signature_pad import SignaturePad
from mobile.ui.theme import MUTED, PRIMARY, big_button

PAD_W, PAD_H = 340, 180


class SignatureStep:
    """Mixin: `_signature()` draws the pad, `_done_signature()` refuses empty or trivial ones."""

    ctx: Any
    svc: Any
    draft: Any
    officer_confirm_key = "officer_confirms"  # what the officer attests (flows word it differently)

    def _signature_summary(self) -> list[tuple[str, str]]:
        """(label, value) lines of what the citizen acknowledges; each flow provides its own."""
        return []

    def _summary_box(self) -> ft.Control | None:
        """The one-screen summary printed above the pad: the citizen sees what they sign for."""
        lines = self._signature_summary()
        if not lines:
            return None
        rows: list[ft.Control] = [
            ft.Text(self.ctx.t("sign_summary_title"), weight=ft.FontWeight.BOLD, color=PRIMARY)
        ]
        for label, value in lines:
            rows.append(
                ft.Row(
                    [
                        ft.Text(label, weight=ft.FontWeight.BOLD, width=120),
                        ft.Text(value, expand=True, selectable=True),
                    ],
                    vertical_alignment=ft.CrossAxisAlignment.START,
                )
            )
        return ft.Container(
            content=ft.Column(rows, spacing=4),
            border=ft.Border.all(1, PRIMARY),
            border_radius=8,
            padding=10,
            key="signature-summary",
        )

    def _signature(self) -> list[ft.Control]:
        t = self.ctx.t
        sig = self.draft.data.get("signature", {})
        self.pad = SignaturePad(
            PAD_W, PAD_H, label=t("sign_here"), on_change=self._sig_changed, initial=sig.get("strokes")
        )
        self._officer_ok = ft.Checkbox(
            label=t(self.officer_confirm_key),
            value=bool(sig.get("officer_confirmed")),
            key="officer-confirm",
            on_change=self._sig_changed,
        )
        self._sig_status = ft.Text(self._sig_label(), color=MUTED, key="signature-status")
        summary = self._summary_box()
        return [
            *([summary] if summary else []),
            ft.Text(t("sign_here")),
            self.pad.control,
            self._sig_status,
            big_button(t("clear"), lambda e: self.pad.clear(), primary=False, key="clear-signature"),
            self._officer_ok,
        ]

    def _sig_label(self) -> str:
        pad = getattr(self, "pad", None)
        n = len([s for s in pad.strokes if len(s) > 1]) if pad else 0
        return self.ctx.t("signed_strokes", n=n) if n else self.ctx.t("not_signed")

    def _sig_changed(self, _: object) -> None:
        # saved on every stroke: a rotation or a crash must not make the citizen sign again
        self.draft.data["signature"] = {
            "width": PAD_W,
            "height": PAD_H,
            "strokes": self.pad.encoded() if self.pad else "",
            "officer_confirmed": bool(self._officer_ok.value),
        }
        self.svc.save(self.draft)
        self._sig_status.value = self._sig_label()

    def _done_signature(self) -> None:
        self._sig_changed(None)
        sig = self.draft.data["signature"]
        self.svc.check_signature(sig["strokes"], sig["officer_confirmed"])
