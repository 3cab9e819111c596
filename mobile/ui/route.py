"""Today's route: visits in route order, filters, diacritic-free search, list or map."""

from __future__ import annotations

import os
from typing import Any

import flet as ft

from mobile.services.models import VisitRow
from mobile.ui.context import ViewContext
from mobile.ui.theme import DANGER, MUTED, OK, PRIMARY, TOUCH, WARN, icon_button

MARKER = 48  # map markers are touch targets too (≥ 44 px)
PAGE_SIZE = 40  # rows rendered at once: 5,000 cached visits must not become 5,000 controls
DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
STATUS_COLORS = {"planned": PRIMARY, "en_route": WARN, "completed": OK, "failed": DANGER, "cancelled": MUTED}


def fmt_distance(m: float | None) -> str:
    """'350 m' / '2,4 km' / '' when unknown."""
    if m is None:
        return ""
    return f"{m:.0f} m" if m < 1000 else f"{m / 1000:.1f} km".replace(".", ",")


def fmt_date(iso: str) -> str:
    """'2026-11-26' -> '26/11/2026' (how officers write dates)."""
    if not iso or len(iso) < 10:
        return iso or ""
    y, m, d = iso[:10].split("-")
    return f"{d}/{m}/{y}"


def fmt_time(iso: str | None) -> str:
    """An ISO timestamp from the server (UTC) as Vietnam time '26/11/2026 22:56'."""
    from datetime import datetime

    from api_client.domain.clock import VN_TZ

    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return iso


class RouteView:
    """The officer's home screen."""

    def __init__(self, ctx: ViewContext, state: dict | None = None) -> None:
        self.ctx = ctx
        t = ctx.t
        # filters survive language switches and returns from the detail screen
        self.state: dict[str, Any] = (
            state if state is not None else {"kind": None, "status": "open", "q": "", "map": False}
        )
        self.all_rows: list[VisitRow] = []
        self.shown = PAGE_SIZE
        self.search = ft.TextField(
            label=t("search"),
            value=self.state["q"],
            prefix_icon=ft.Icons.SEARCH,
            on_change=self._on_search,
            height=56,
            key="route-search",
            expand=True,
        )
        self.count = ft.Text("", size=14, color=MUTED)
        # appointment windows this route cannot meet (the officer can phone ahead)
        self.window_banner = ft.Text(
            "", size=14, color=DANGER, weight=ft.FontWeight.BOLD, visible=False, key="route-window-warnings"
        )
        # the kind filter waits behind a button; the statuses are one sideways-scrolling row
        self.kind_row = ft.Row(spacing=6, scroll=ft.ScrollMode.AUTO, visible=bool(self.state.get("more")))
        self.status_row = ft.Row(spacing=6, scroll=ft.ScrollMode.AUTO)
        self.list = ft.ListView(expand=True, spacing=6, padding=ft.Padding.only(bottom=20))
        self.body = ft.Container(expand=True)
        self.position: tuple[float, float] | None = ctx.services.route.last_position
        # duty tracking: officers only (a supervisor's home is the board, this guards any other path)
        self.duty_enabled = not ctx.services.supervision.is_supervisor()
        self.duty_text = ft.Text("", size=14, weight=ft.FontWeight.BOLD, expand=True)
        self.duty_problem = ft.Text("", size=13, color=DANGER, visible=False)
        self.duty_button = ft.FilledButton(
            content="", height=TOUCH, on_click=self._toggle_duty, key="duty-toggle"
        )
        self.duty_bar = ft.Container(
            key="duty-bar",
            visible=self.duty_enabled,
            border=ft.Border.all(1, "#9E9E9E"),
            border_radius=8,
            padding=ft.Padding.symmetric(horizontal=8, vertical=4),
            content=ft.Row(
                [
                    ft.Column([self.duty_text, self.duty_problem], spacing=0, expand=True, tight=True),
                    self.duty_button,
                ],
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
        )
        self._unsub_duty = (
            ctx.services.duty.state.subscribe(self._on_duty_change) if self.duty_enabled else None
        )

    # -- building -------------------------------------------------------------------
    def build(self) -> ft.Control:
        """Header, filters and the list (or map)."""
        t = self.ctx.t
        self.reload()
        toggle = ft.OutlinedButton(
            content=t("list_view") if self.state["map"] else t("map_view"),
            icon=ft.Icons.LIST if self.state["map"] else ft.Icons.MAP,
            height=TOUCH,
            on_click=self._toggle_map,
            key="map-toggle",
        )
        # one compact header: title and count, search + kind filter, one scrolling row of statuses;
        # handovers moved to the bottom navigation (officer_nav), so the list starts high up
        header = ft.Row(
            [
                ft.Text(t("today_route"), size=18, weight=ft.FontWeight.BOLD, color=PRIMARY),
                self.count,
                ft.Container(expand=True),
                icon_button(
                    ft.Icons.MY_LOCATION, t("refresh_position"), self._refresh_position, key="locate"
                ),
                toggle,
            ],
            spacing=6,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
        more = icon_button(
            ft.Icons.FILTER_LIST,
            t("more_filters"),
            self._toggle_more,
            key="more-filters",
            color=PRIMARY if self.state.get("kind") else None,
        )
        self._render_filters()
        self._render_body()
        if self.duty_enabled:
            self.ctx.services.duty.resume()  # on duty before a restart or a re-login: keep recording
            self._render_duty()
        self.ctx.run(self._locate)
        return ft.Container(
            expand=True,
            padding=ft.Padding.symmetric(horizontal=10, vertical=6),
            content=ft.Column(
                [
                    header,
                    self.duty_bar,
                    ft.Row([self.search, more], spacing=4),
                    self.kind_row,
                    self.status_row,
                    self.count,
                    self.window_banner,
                    self.body,
                ],
                expand=True,
                spacing=6,
            ),
        )

    def _render_duty(self) -> None:
        """Copy the duty state into the header's toggle and status line."""
        t = self.ctx.t
        d = self.ctx.services.duty.state
        if d.on_duty:
            self.duty_text.value, self.duty_text.color = t("duty_recording", n=d.pending), OK
            self.duty_button.content = t("duty_end")
            self.duty_button.icon = ft.Icons.STOP_CIRCLE
            self.duty_button.bgcolor = DANGER
        else:
            self.duty_text.value = t("duty_off_pending", n=d.pending) if d.pending else t("duty_off")
            self.duty_text.color = MUTED
            self.duty_button.content = t("duty_start")
            self.duty_button.icon = ft.Icons.PLAY_CIRCLE
            self.duty_button.bgcolor = PRIMARY
        problem = ""
        if d.on_duty and d.problem == "gps":
            problem = t("duty_gps_problem", msg=t(d.problem_detail))  # a code, or a plugin's message
        elif d.on_duty and d.problem == "poor_accuracy":
            problem = t("duty_poor_fix", m=d.problem_detail)
        self.duty_problem.value, self.duty_problem.visible = problem, bool(problem)

    def _on_duty_change(self) -> None:
        self._render_duty()
        try:
            self.duty_bar.update()
        except Exception:  # noqa: BLE001 - not mounted yet, or the tab went away
            pass

    def _toggle_duty(self, e: ft.Event) -> None:
        self.ctx.services.duty.toggle()
        self._render_duty()

    def dispose(self) -> None:
        """Stop listening to the duty state (the shell is leaving this screen)."""
        if self._unsub_duty:
            self._unsub_duty()
            self._unsub_duty = None

    def reload(self) -> None:
        """Today's visits in route order (the service reads the store only when its data changed)."""
        self.all_rows = self.ctx.services.route.rows(self.position)

    def filtered(self) -> list[VisitRow]:
        """Rows matching the current filters and search."""
        return self.ctx.services.route.filter_rows(
            self.all_rows, kind=self.state["kind"], status=self.state["status"], query=self.state["q"]
        )

    def _chip(self, label: str, selected: bool, on_click, key: str) -> ft.Control:
        cls = ft.FilledButton if selected else ft.OutlinedButton
        return cls(content=label, height=TOUCH, on_click=on_click, key=key)

    def _render_filters(self) -> None:
        t = self.ctx.t
        kinds = [(None, t("all_kinds")), ("pickup", t("kind_pickup")), ("delivery", t("kind_delivery"))]
        self.kind_row.controls = [
            self._chip(label, self.state["kind"] == k, self._set_kind(k), f"kind-{k or 'all'}")
            for k, label in kinds
        ]
        statuses = [
            ("open", t("status_planned")),
            ("completed", t("status_completed")),
            ("failed", t("status_failed")),
            (None, t("all_statuses")),
        ]
        self.status_row.controls = [
            self._chip(label, self.state["status"] == s, self._set_status(s), f"status-{s or 'all'}")
            for s, label in statuses
        ]

    def _toggle_more(self, e: ft.Event) -> None:
        self.state["more"] = not self.state.get("more")
        self.kind_row.visible = bool(self.state["more"])

    def _render_body(self) -> None:
        rows = self.filtered()
        self.count.value = self.ctx.t("n_visits", n=len(rows))
        missed = sum(1 for r in self.all_rows if r.window_late_min is not None)
        self.window_banner.value = self.ctx.t("route_window_warnings", n=missed) if missed else ""
        self.window_banner.visible = bool(missed)
        if self.state["map"]:
            self.body.content = self._map(rows)
            return
        items: list[ft.Control] = [self._card(i + 1, r) for i, r in enumerate(rows[: self.shown])]
        if not rows:
            items.append(ft.Text(self.ctx.t("no_visits"), size=16))
        if len(rows) > self.shown:
            items.append(
                ft.OutlinedButton(
                    content=f"{self.ctx.t('more')} ({len(rows) - self.shown})",
                    height=TOUCH,
                    on_click=self._more,
                    key="more",
                )
            )
        self.list.controls = items
        self.body.content = self.list

    def _card(self, n: int, r: VisitRow) -> ft.Control:
        t = self.ctx.t
        today = self.ctx.services.route.today()
        overdue = r.is_overdue(today)
        due = ft.Text(
            f"{t('due')}: {fmt_date(r.due_date)}" + (f" · {t('overdue')}" if overdue else ""),
            color=DANGER if overdue else None,
            weight=ft.FontWeight.BOLD if overdue else None,
            size=14,
        )
        kind = t("kind_pickup") if r.kind == "pickup" else t("kind_delivery")
        status = t(f"status_{r.status}") + (f" ({t('unsynced_local')})" if r.local_pending else "")
        dist = fmt_distance(r.distance_m) if r.lat is not None else t("no_coords")
        if dist and r.lat is not None and r.location_precision == "approximate":
            dist = f"≈ {dist} ({t('loc_approximate')})"  # the pin is the hamlet's centre or a guess
        return ft.Container(
            key=f"visit-{r.visit_id}",
            on_click=lambda e, vid=r.visit_id: self.ctx.nav.go("detail", visit_id=vid),
            border=ft.Border.all(1, "#9E9E9E"),
            border_radius=8,
            padding=10,
            bgcolor=ft.Colors.WHITE,
            content=ft.Column(
                [
                    ft.Row(
                        [
                            ft.Container(
                                ft.Text(str(n), color=ft.Colors.WHITE, weight=ft.FontWeight.BOLD),
                                bgcolor=PRIMARY,
                                border_radius=14,
                                width=28,
                                height=28,
                                alignment=ft.Alignment.CENTER,
                            ),
                            ft.Text(r.citizen_name, size=17, weight=ft.FontWeight.BOLD, expand=True),
                            ft.Text(
                                kind, color=PRIMARY if r.kind == "pickup" else OK, weight=ft.FontWeight.BOLD
                            ),
                        ]
                    ),
                    ft.Text(f"{r.procedure_name} · {r.dossier_code}", size=14),
                    ft.Text(f"{r.hamlet} · {r.address}", size=14, color=MUTED),
                    ft.Text(
                        t(
                            "window_missed",
                            start=r.window_start or "",
                            end=r.window_end or "",
                            eta=r.eta or "",
                            m=r.window_late_min,
                        ),
                        key=f"window-missed-{r.visit_id}",
                        size=14,
                        color=DANGER,
                        weight=ft.FontWeight.BOLD,
                        visible=r.window_late_min is not None,
                    ),
                    ft.Text(
                        f"⚑ {t('notice')}: {r.notice}",
                        size=14,
                        color=WARN,
                        weight=ft.FontWeight.BOLD,
                        visible=bool(r.notice),
                    ),
                    ft.Row(
                        [
                            due,
                            ft.Text(status, color=STATUS_COLORS.get(r.status), size=14),
                            ft.Text(dist, size=14),
                            ft.Text(
                                " · ".join(
                                    x
                                    for x in (
                                        t(
                                            "window_label",
                                            start=r.window_start or "…",
                                            end=r.window_end or "…",
                                        )
                                        if (r.window_start or r.window_end)
                                        else "",
                                        t("route_eta", eta=r.eta) if r.eta and r.is_open else "",
                                    )
                                    if x
                                ),
                                size=14,
                                color=MUTED,
                            ),
                        ],
                        wrap=True,
                        spacing=12,
                    ),
                ],
                spacing=2,
            ),
        )

    def _map(self, rows: list[VisitRow]) -> ft.Control:
        import flet_map as fm

        located = [r for r in rows if r.lat is not None and r.lon is not None][:300]
        center = self.position or ((located[0].lat, located[0].lon) if located else (10.871, 105.087))
        markers = [
            fm.Marker(
                coordinates=fm.MapLatitudeLongitude(r.lat, r.lon),
                width=MARKER,
                height=MARKER,
                content=ft.Container(
                    ft.Text(str(i + 1), color=ft.Colors.WHITE, size=15, weight=ft.FontWeight.BOLD),
                    bgcolor=STATUS_COLORS.get(r.status, PRIMARY),
                    border_radius=MARKER / 2,
                    border=ft.Border.all(2, ft.Colors.WHITE),
                    alignment=ft.Alignment.CENTER,
                    tooltip=f"{i + 1}. {r.citizen_name} · {r.address}",
                    key=f"marker-{r.visit_id}",
                    on_click=lambda e, vid=r.visit_id: self.ctx.nav.go("detail", visit_id=vid),
                ),
            )
            for i, r in enumerate(located)
        ]
        if self.position:
            markers.append(
                fm.Marker(
                    coordinates=fm.MapLatitudeLongitude(*self.position),
                    width=26,
                    height=26,
                    content=ft.Icon(ft.Icons.MY_LOCATION, color=DANGER),
                )
            )
        path = ([fm.MapLatitudeLongitude(*self.position)] if self.position else []) + [
            fm.MapLatitudeLongitude(r.lat, r.lon) for r in located if r.is_open
        ]
        tiles = os.environ.get("DOORSTEP_TILE_URL", DEFAULT_TILES)
        the_map = fm.Map(
            expand=True,
            initial_center=fm.MapLatitudeLongitude(*center),
            initial_zoom=14,
            bgcolor="#E8EEF3",  # markers and the route stay readable when tiles cannot load
            layers=[
                fm.TileLayer(url_template=tiles, user_agent_package_name="vn.doorstep.app"),
                fm.PolylineLayer(
                    polylines=[fm.PolylineMarker(coordinates=path, color=PRIMARY, stroke_width=4)]
                )
                if len(path) > 1
                else fm.PolylineLayer(polylines=[]),
                fm.MarkerLayer(markers=markers),
            ],
        )
        return ft.Column([ft.Text(self.ctx.t("map_tiles_note"), size=12, color=MUTED), the_map], expand=True)

    # -- events -----------------------------------------------------------------------
    def _set_kind(self, kind: str | None):
        def handler(e: ft.Event) -> None:
            self.state["kind"] = kind
            self.shown = PAGE_SIZE
            self._render_filters()
            self._render_body()

        return handler

    def _set_status(self, status: str | None):
        def handler(e: ft.Event) -> None:
            self.state["status"] = status
            self.shown = PAGE_SIZE
            self._render_filters()
            self._render_body()

        return handler

    def _on_search(self, e: ft.Event) -> None:
        self.state["q"] = self.search.value or ""
        self.shown = PAGE_SIZE
        self._render_body()

    def _more(self, e: ft.Event) -> None:
        self.shown += PAGE_SIZE
        self._render_body()

    def _toggle_map(self, e: ft.Event) -> None:
        self.state["map"] = not self.state["map"]
        self.ctx.nav.go("route")

    async def _refresh_position(self, e: ft.Event) -> None:
        await self._locate()

    async def _locate(self) -> None:
        """Reorder from where the officer stands once a fix arrives (never blocks the list)."""
        pos = await self.ctx.services.route.locate()
        if pos is None or pos == self.position:
            return
        self.position = pos
        # a re-order of the rows already loaded: a new position never re-reads the store
        self.all_rows = self.ctx.services.route.reorder(pos)
        self._render_body()
        try:
            self.ctx.page.update()
        except Exception:  # noqa: BLE001 - the officer already left this screen
            pass

    def refresh(self) -> None:
        """Reload after a sync brought new data."""
        self.reload()
        self._render_body()
