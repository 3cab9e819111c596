"""'Chỉ số': the Decision 766 indicators per commune / hamlet / officer over a date range, with a
bar chart of on-time rates, a pie of failure reasons and CSV / XLSX exports."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from functools import partial
from typing import TypeVar

import flet as ft
import flet_charts as fch

from api_client.models import IndicatorReport, IndicatorRow
from mobile.services.supervision import TABLE_FORMATS, SupervisionError, SupervisionOffline
from mobile.ui.context import ViewContext
from mobile.ui.supervisor.common import (
    chip,
    download_control,
    export_buttons,
    failure_text,
    pct,
    safe_update,
    screen,
)
from mobile.ui.theme import DANGER, MUTED, PRIMARY, big_button, title

T = TypeVar("T")

GROUPS = ("commune", "hamlet", "officer")
REASONS = ("nobody_home", "missing_documents", "refused", "wrong_address", "other")
REASON_COLOURS = ("#E53935", "#FB8C00", "#8E24AA", "#1E88E5", "#616161")
# (column key, label key): the table's columns, in order
COLUMNS = (
    ("home_pickups", "ind_pickups"),
    ("home_deliveries", "ind_deliveries"),
    ("failed_visits", "ind_failed"),
    ("on_time_rate", "ind_on_time"),
    ("digitization_rate", "ind_digitized"),
    ("online_payment_rate", "ind_transfer"),
)
DEFAULT_DAYS = 30


def parse_day(text: str) -> date | None:
    """'26/11/2026' or '2026-11-26' -> a date (None when it is not one)."""
    text = (text or "").strip()
    try:
        if "/" in text:
            d, m, y = text.split("/")
            return date(int(y), int(m), int(d))
        return date.fromisoformat(text)
    except ValueError:
        return None


def cell_text(row: IndicatorRow, key: str) -> str:
    """A table cell as shown: counts as numbers, rates as '30,2%'."""
    value = getattr(row, key)
    return pct(value) if key.endswith("_rate") else str(value)


class IndicatorsView:
    """Unit picker, date range, grouping, table, charts and exports."""

    def __init__(self, ctx: ViewContext, state: dict | None = None) -> None:
        self.ctx = ctx
        self.svc = ctx.services.supervision
        today = self.ctx.services.today()  # the server counts Vietnam days
        self.state = (
            state
            if state is not None
            else {
                "unit": "",
                "from": (today - timedelta(days=DEFAULT_DAYS - 1)).strftime("%d/%m/%Y"),
                "to": today.strftime("%d/%m/%Y"),
                "group": "commune",
            }
        )
        t = ctx.t
        self.unit = ft.Dropdown(
            label=t("ind_unit"),
            value=self.state["unit"],
            options=[ft.DropdownOption(key="", text=t("ind_all_units"))],
            on_select=self._unit_changed,
            width=280,
            key="ind-unit",
        )
        self.date_from = ft.TextField(
            label=t("ind_from"), value=self.state["from"], width=170, height=56, key="ind-from"
        )
        self.date_to = ft.TextField(
            label=t("ind_to"), value=self.state["to"], width=170, height=56, key="ind-to"
        )
        self.groups = ft.Row(wrap=True, spacing=6)
        self.message = ft.Text("", visible=False, weight=ft.FontWeight.BOLD, color=DANGER, key="ind-message")
        self.table_slot = ft.Row(scroll=ft.ScrollMode.AUTO)  # a phone scrolls the table sideways
        self.charts = ft.ResponsiveRow(spacing=12)
        self.downloads = ft.Row(wrap=True, spacing=8)
        self.report: IndicatorReport | None = None

    def build(self) -> ft.Control:
        """Filters, then the table and charts (loaded in the background)."""
        t = self.ctx.t
        self._render_groups()
        self.ctx.run(self._load_units)
        self.ctx.run(self._load)
        exports = export_buttons(t, TABLE_FORMATS, "ind_export_", self._export, "ind-export-")
        filters = ft.Row(
            [
                self.unit,
                self.date_from,
                self.date_to,
                big_button(t("ind_show"), self._apply, key="ind-load", icon=ft.Icons.SEARCH),
            ],
            wrap=True,
            spacing=8,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
        return screen(
            [
                title(t("nav_indicators")),
                filters,
                self.groups,
                self.message,
                ft.Row(exports, wrap=True, spacing=8),
                self.downloads,
                self.table_slot,
                self.charts,
            ],
            spacing=10,
        )

    # -- loading --------------------------------------------------------------------------
    async def _load_units(self) -> None:
        try:
            units = await self.svc.units()
        except (SupervisionOffline, SupervisionError):
            return  # the picker keeps "all units"; the table says why it is empty
        by_id = {u.id: u for u in units}
        opts = [ft.DropdownOption(key="", text=self.ctx.t("ind_all_units"))]
        for u in sorted(units, key=lambda u: (u.parent_id or u.id, u.parent_id is not None, u.name)):
            parent = by_id.get(u.parent_id) if u.parent_id else None
            opts.append(
                ft.DropdownOption(key=str(u.id), text=f"{u.name} ({parent.name})" if parent else u.name)
            )
        self.unit.options = opts
        safe_update(self.ctx.page)

    def _range(self) -> tuple[date, date] | None:
        t = self.ctx.t
        start, end = parse_day(self.date_from.value or ""), parse_day(self.date_to.value or "")
        if start is None or end is None:
            self._say(t("ind_bad_date"))
            return None
        if start > end:
            self._say(t("ind_bad_range"))
            return None
        return start, end

    async def _fetch(self, call: Callable[[int | None, date, date, str], Awaitable[T]]) -> T | None:
        """Call the server for the chosen unit, range and grouping; None (message shown) on failure."""
        rng = self._range()
        if rng is None:
            return None
        unit = int(self.state["unit"]) if self.state["unit"] else None
        try:
            out = await call(unit, rng[0], rng[1], self.state["group"])
        except (SupervisionOffline, SupervisionError) as exc:
            self._say(failure_text(self.ctx.t, exc))
            return None
        self.message.visible = False
        return out

    async def _load(self) -> None:
        report = await self._fetch(self.svc.indicators)
        if report is not None:
            self.report = report
            self.table_slot.controls = [self._table(report)]
            self.charts.controls = self._charts(report)
        safe_update(self.ctx.page)

    # -- rendering ------------------------------------------------------------------------
    def _render_groups(self) -> None:
        t = self.ctx.t
        self.groups.controls = [ft.Text(t("ind_group_by"), color=MUTED)] + [
            chip(t(f"ind_group_{g}"), self.state["group"] == g, self._set_group(g), f"ind-group-{g}")
            for g in GROUPS
        ]

    def _table(self, r: IndicatorReport) -> ft.Control:
        t = self.ctx.t
        # label= by keyword: mypy reads flet's DataColumn as taking `tooltip` first (its kw_only
        # field() is not a declared field specifier); at run time label is the first argument
        cols = [ft.DataColumn(label=ft.Text(t(f"ind_group_{r.group_by.value}"), weight=ft.FontWeight.BOLD))]
        cols += [
            ft.DataColumn(label=ft.Text(t(label), weight=ft.FontWeight.BOLD), numeric=True)
            for _, label in COLUMNS
        ]
        cols.append(ft.DataColumn(label=ft.Text(t("ind_reasons"), weight=ft.FontWeight.BOLD)))
        rows = [self._row(row, f"{row.key_id}") for row in r.rows]
        rows.append(self._row(r.total, "total", bold=True))
        return ft.DataTable(
            columns=cols,
            rows=rows,
            heading_row_color="#EEF2FA",
            border=ft.Border.all(1, "#BDBDBD"),
            column_spacing=18,
            data_row_max_height=80,
            key="ind-table",
        )

    def _row(self, row: IndicatorRow, rid: str, bold: bool = False) -> ft.DataRow:
        t = self.ctx.t
        w = ft.FontWeight.BOLD if bold else None
        reasons = "\n".join(f"{t('fail_' + k)}: {v}" for k, v in row.failed_by_reason.items() if v) or "—"
        cells = [ft.DataCell(ft.Text(self._name(row), weight=w, key=f"ind-{rid}-name"))]
        cells += [ft.DataCell(ft.Text(cell_text(row, k), weight=w, key=f"ind-{rid}-{k}")) for k, _ in COLUMNS]
        cells.append(ft.DataCell(ft.Text(reasons, size=12, key=f"ind-{rid}-reasons")))
        return ft.DataRow(cells=cells, color="#F5F5F5" if bold else None)

    def _name(self, row: IndicatorRow) -> str:
        """A row's name; the total and unknown rows are named in the user's language."""
        return self.ctx.t(f"ind_label_{row.label_code}") if row.label_code else row.key_name

    def _charts(self, r: IndicatorReport) -> list[ft.Control]:
        t = self.ctx.t
        rows = r.rows[:20]  # a readable chart; the table holds every row
        bars = fch.BarChart(
            groups=[
                fch.BarChartGroup(
                    x=i,
                    rods=[
                        fch.BarChartRod(
                            from_y=0,
                            to_y=round((row.on_time_rate or 0) * 100, 1),
                            width=22,
                            color=PRIMARY,
                            border_radius=3,
                            tooltip=f"{self._name(row)}: {pct(row.on_time_rate)}",
                        )
                    ],
                )
                for i, row in enumerate(rows)
            ],
            left_axis=fch.ChartAxis(
                labels=[
                    fch.ChartAxisLabel(value=v, label=ft.Text(f"{v}%", size=11)) for v in (0, 25, 50, 75, 100)
                ],
                label_size=40,
            ),
            bottom_axis=fch.ChartAxis(
                labels=[
                    fch.ChartAxisLabel(value=i, label=ft.Text(self._name(row), size=10))
                    for i, row in enumerate(rows)
                ],
                label_size=28,
            ),
            horizontal_grid_lines=fch.ChartGridLines(interval=25, color="#E0E0E0", width=1),
            min_y=0,
            max_y=100,
            interactive=True,
            height=240,
            key="ind-bar",
        )
        reasons = [(k, r.total.failed_by_reason.get(k, 0)) for k in REASONS]
        total_failed = sum(v for _, v in reasons)
        sections = [
            fch.PieChartSection(
                value=v,
                color=REASON_COLOURS[i],
                radius=70,
                title=str(v),
                title_style=ft.TextStyle(color=ft.Colors.WHITE, weight=ft.FontWeight.BOLD, size=13),
            )
            for i, (_, v) in enumerate(reasons)
            if v
        ]
        legend = ft.Column(
            [
                ft.Row(
                    [
                        ft.Container(width=14, height=14, bgcolor=REASON_COLOURS[i], border_radius=7),
                        ft.Text(f"{t('fail_' + k)}: {v}", size=13),
                    ],
                    spacing=6,
                )
                for i, (k, v) in enumerate(reasons)
            ],
            spacing=4,
        )
        pie: ft.Control = (
            fch.PieChart(
                sections=sections,
                center_space_radius=20,
                sections_space=2,
                height=180,
                width=180,
                key="ind-pie",
            )
            if total_failed
            else ft.Text(t("ind_no_failures"), color=MUTED)
        )
        return [
            ft.Column(
                [ft.Text(t("ind_chart_on_time"), weight=ft.FontWeight.BOLD, color=PRIMARY), bars],
                col={"xs": 12, "md": 7},
            ),
            ft.Column(
                [
                    ft.Text(t("ind_chart_reasons"), weight=ft.FontWeight.BOLD, color=PRIMARY),
                    ft.Row(
                        [pie, legend], wrap=True, spacing=16, vertical_alignment=ft.CrossAxisAlignment.CENTER
                    ),
                ],
                col={"xs": 12, "md": 5},
            ),
        ]

    def _say(self, text: str) -> None:
        self.message.value, self.message.visible, self.message.color = text, True, DANGER

    # -- events ---------------------------------------------------------------------------
    def _unit_changed(self, e: ft.Event) -> None:
        self.state["unit"] = self.unit.value or ""

    def _set_group(self, group: str):
        async def handler(e: ft.Event) -> None:
            self.state["group"] = group
            self._render_groups()
            await self._load()

        return handler

    async def _apply(self, e: ft.Event) -> None:
        self.state["unit"] = self.unit.value or ""
        self.state["from"], self.state["to"] = self.date_from.value or "", self.date_to.value or ""
        await self._load()

    async def _export(self, e: ft.Event) -> None:
        fmt = e.control.data
        info = await self._fetch(partial(self.svc.export_indicators, fmt, lang=self.ctx.tr.lang))
        if info is not None:
            self.downloads.controls = [c for c in self.downloads.controls if c.data != fmt]
            self.downloads.controls.append(
                download_control(self.ctx.t, fmt, info.url, info.path, f"ind-download-{fmt}")
            )
        safe_update(self.ctx.page)
