"""A dossier's tracking log (phiếu kiểm soát): one row per handover, with its outcome, and the PDF."""

from __future__ import annotations

import flet as ft

from api_client.models import TrackingLog
from mobile.services.flow import FlowError
from mobile.services.handovers import NeedsConnection
from mobile.ui.context import ViewContext
from mobile.ui.route import fmt_date, fmt_time
from mobile.ui.theme import DANGER, MUTED, OK, PRIMARY, WARN, back_button, document_link, title

OUTCOME_COLORS = {"early": OK, "on_time": OK, "late": DANGER}


class TrackingLogView:
    """Rows with time, giver, receiver and outcome; 'Tải PDF' serves the server's printable log."""

    def __init__(self, ctx: ViewContext, dossier_id: int, visit_id: int | None = None) -> None:
        self.ctx = ctx
        self.dossier_id = dossier_id
        self.visit_id = visit_id
        self.body = ft.Column(spacing=8)

    def build(self) -> ft.Control:
        """The frame; the log is fetched in the background (it needs a connection)."""
        t = self.ctx.t
        back = back_button(
            t,
            lambda e: (
                self.ctx.nav.go("detail", visit_id=self.visit_id)
                if self.visit_id
                else self.ctx.nav.go("route")
            ),
        )
        self.body.controls = [ft.Text(t("loading"), color=MUTED)]
        self.ctx.run(self._load)
        return ft.Container(
            padding=12,
            expand=True,
            content=ft.ListView(
                controls=[back, title(t("tracking_title")), self.body], spacing=8, expand=True
            ),
        )

    def panel(self) -> ft.Control:
        """Just the log and its PDF link, loading in the background: for screens that embed it."""
        self.body.controls = [ft.Text(self.ctx.t("loading"), color=MUTED)]
        self.ctx.run(self._load)
        return self.body

    async def _load(self) -> None:
        t = self.ctx.t
        svc = self.ctx.services.handovers
        try:
            log = await svc.tracking_log(self.dossier_id)
            pdf = await svc.tracking_pdf(self.dossier_id, log.dossier_code)
        except NeedsConnection:
            self.body.controls = [ft.Text(t("needs_connection"), color=WARN, weight=ft.FontWeight.BOLD)]
        except FlowError as exc:
            self.body.controls = [
                ft.Text("\n".join(self.ctx.tr.errors(exc.errors, exc.params).values()), color=DANGER)
            ]
        else:
            self.body.controls = self._rows(log)
            self.body.controls.append(
                document_link(t, t("download_tracking_pdf"), pdf.url, pdf.path, "tracking-pdf")
            )
        try:
            self.ctx.page.update()
        except Exception:  # noqa: BLE001 - the officer navigated away meanwhile
            pass

    def _rows(self, log: TrackingLog) -> list[ft.Control]:
        t = self.ctx.t
        out: list[ft.Control] = [
            ft.Text(f"{log.dossier_code} · {log.procedure_name}", weight=ft.FontWeight.BOLD),
            ft.Text(f"{t('citizen')}: {log.citizen_name}"),
        ]
        if log.appointment_at:
            out.append(ft.Text(f"{t('appointment')}: {fmt_date(log.appointment_at[:10])}"))
        for i, r in enumerate(log.rows):
            outcome = r.outcome.value if r.outcome else None
            out.append(
                ft.Container(
                    key=f"track-row-{i}",
                    border=ft.Border.all(1, "#9E9E9E"),
                    border_radius=8,
                    padding=8,
                    content=ft.Column(
                        [
                            ft.Text(t(f"row_{r.kind.value}"), weight=ft.FontWeight.BOLD, color=PRIMARY),
                            ft.Text(
                                t(
                                    "tracking_row",
                                    when=fmt_time(r.at),
                                    giver=r.from_name,
                                    receiver=r.to_name,
                                )
                            ),
                            ft.Text(
                                t(f"outcome_{outcome}") if outcome else "",
                                color=OUTCOME_COLORS.get(outcome or "", MUTED),
                                weight=ft.FontWeight.BOLD,
                                visible=bool(outcome),
                            ),
                            ft.Text(r.note or "", size=13, color=MUTED, visible=bool(r.note)),
                        ],
                        spacing=2,
                    ),
                )
            )
        return out
