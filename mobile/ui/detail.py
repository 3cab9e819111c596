"""Visit detail: who, where (map + 'open in maps'), phone, procedure and documents, history."""

from __future__ import annotations

import flet as ft

from api_client.domain.lifecycle import STATUS_LABELS_VI, DossierStatus
from mobile.ui.context import ViewContext
from mobile.ui.route import fmt_date
from mobile.ui.theme import (
    DANGER,
    MUTED,
    PRIMARY,
    TOUCH,
    WARN,
    back_button,
    big_button,
    document_label,
    link_button,
    title,
)


def maps_url(lat: float, lon: float) -> str:
    """A link any phone opens in its maps app."""
    return f"https://www.google.com/maps?q={lat:.6f},{lon:.6f}"


def notice_box(label: str, text: str) -> ft.Control:
    """The desk's notice on a visit (apology, new date), framed so it is not missed."""
    return ft.Container(
        border=ft.Border.all(2, WARN),
        border_radius=8,
        padding=8,
        key="visit-notice",
        content=ft.Row(
            [
                ft.Icon(ft.Icons.CAMPAIGN, color=WARN),
                ft.Text(f"{label}: {text}", color=WARN, weight=ft.FontWeight.BOLD, expand=True),
            ]
        ),
    )


class DetailView:
    """One visit, and the actions that start from it."""

    def __init__(self, ctx: ViewContext, visit_id: int) -> None:
        self.ctx = ctx
        self.visit_id = visit_id

    def _line(self, label: str, value: str, color: str | None = None) -> ft.Control:
        return ft.Row(
            [
                ft.Text(f"{label}:", weight=ft.FontWeight.BOLD, width=130),
                ft.Text(value, expand=True, color=color, selectable=True),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        )

    def build(self) -> ft.Control:
        """The detail column."""
        t = self.ctx.t
        svc = self.ctx.services
        d = svc.route.detail(self.visit_id)
        back = back_button(t, lambda e: self.ctx.nav.go("route"))
        if d is None:
            return ft.Column([back, ft.Text(t("no_visits"))])
        r = d.row
        items: list[ft.Control] = [back, title(r.citizen_name)]
        if r.notice:
            items.append(notice_box(t("notice"), r.notice))
        items.append(self._line(t("dossier_code"), r.dossier_code))
        items.append(self._line(t("procedure"), r.procedure_name))
        items.append(
            self._line(t("filter_kind"), t("kind_pickup") if r.kind == "pickup" else t("kind_delivery"))
        )
        items.append(self._line(t("filter_status"), t(f"status_{r.status}")))
        try:
            ds_label = STATUS_LABELS_VI[DossierStatus(r.dossier_status)]
        except ValueError:
            ds_label = str(r.dossier_status)
        items.append(self._line(t("dossier_status"), f"{r.dossier_status} - {ds_label}"))
        overdue = r.is_overdue(svc.route.today())
        items.append(self._line(t("due"), fmt_date(r.due_date), DANGER if overdue else None))
        items.append(self._line(t("id_number"), r.id_number))
        items.append(self._line(t("address"), f"{r.address} ({r.hamlet})"))
        actions: list[ft.Control] = []
        if r.phone:
            items.append(self._line(t("phone"), r.phone))
            actions.append(
                ft.OutlinedButton(
                    content=f"{t('call')} {r.phone}",
                    icon=ft.Icons.PHONE,
                    height=TOUCH,
                    url=f"tel:{r.phone}",
                    key="call",
                )
            )
        if r.lat is not None and r.lon is not None:
            actions.append(
                ft.OutlinedButton(
                    content=t("open_maps"),
                    icon=ft.Icons.MAP,
                    height=TOUCH,
                    url=maps_url(r.lat, r.lon),
                    key="open-maps",
                )
            )
            where = [f"{r.lat:.5f}, {r.lon:.5f}"]
            if r.location_source:
                where.append(t(f"loc_src_{r.location_source}"))
            if r.location_precision:
                where.append(t(f"loc_{r.location_precision}"))
            approximate = r.location_precision == "approximate"
            items.append(
                ft.Text(
                    " · ".join(where),
                    size=12 if not approximate else 14,
                    key="location-line",
                    color=WARN if approximate else MUTED,
                )
            )
        else:
            items.append(ft.Text(t("no_coords"), color=MUTED))
        items.append(ft.Row(actions, wrap=True))
        if d.procedure:
            items.append(ft.Text(t("documents"), weight=ft.FontWeight.BOLD, color=PRIMARY, size=16))
            en = self.ctx.tr.lang == "en"
            for doc in d.procedure.documents:
                items.append(ft.Text(f"• {document_label(doc, t, en)}", size=14))
        items.append(ft.Text(t("history"), weight=ft.FontWeight.BOLD, color=PRIMARY, size=16))
        if d.history:
            for a in d.history:
                reason = t(f"fail_{a.reason}") if a.reason else ""
                items.append(
                    ft.Text(
                        f"• {fmt_date(a.date)}: {t('status_' + a.status)}"
                        + (f" - {reason}" if reason else "")
                        + (f" ({a.note})" if a.note else ""),
                        size=14,
                    )
                )
        else:
            items.append(ft.Text(t("no_history"), size=14, color=MUTED))
        items.append(ft.Divider())
        pinned: list[ft.Control] = []  # the visit's actions stay under the thumb, not below the history
        if r.is_open:
            # the screen of the flow is named like its service: "pickup" or "delivery"
            flow = "pickup" if r.kind == "pickup" else "delivery"
            draft = getattr(svc, flow).existing_draft(self.visit_id)
            label = t(f"resume_{flow}", n=draft.step + 1) if draft else t(f"start_{flow}")
            go = lambda e: self.ctx.nav.go(flow, visit_id=self.visit_id)  # noqa: E731
            pinned.append(big_button(label, go, key=f"start-{flow}"))
        if r.is_open:
            pinned.append(
                big_button(
                    t("report_failed"),
                    lambda e: self.ctx.nav.go("failed", visit_id=self.visit_id),
                    primary=False,
                    key="report-failed",
                )
            )
        elif d.receipt_url:
            items.append(link_button(t("download_pdf"), d.receipt_url, "receipt-link"))
            items.append(ft.Text(t("visit_closed"), color=MUTED))
        else:
            items.append(ft.Text(t("visit_closed"), color=MUTED))
        if r.kind == "delivery" and not r.is_open and (url := svc.delivery.letter_url(self.visit_id)):
            letter = svc.delivery.letter_name(svc.delivery.letter_kind(d) or "")
            items.append(link_button(t("letter_pdf", letter=letter), url, "letter-link"))
        items.append(
            ft.OutlinedButton(
                content=t("tracking_log"),
                icon=ft.Icons.RECEIPT_LONG,
                height=TOUCH,
                on_click=lambda e: self.ctx.nav.go(
                    "tracking", dossier_id=r.dossier_id, visit_id=self.visit_id
                ),
                key="tracking-log",
            )
        )
        content: ft.Control = ft.ListView(controls=items, spacing=8, expand=True)
        if pinned:
            bar = ft.Container(ft.Row(pinned, wrap=True, spacing=8), padding=ft.Padding.only(top=6))
            content = ft.Column([content, bar], expand=True, spacing=0)
        return ft.Container(padding=12, expand=True, content=content)
