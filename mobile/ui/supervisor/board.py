"""'Bảng theo dõi': officers' last positions on a map, a chosen officer's track vs planned route,
the day's visits coloured by status, and a side list of officers with their counts."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable

import flet as ft
import flet_map as fm

from api_client.models import Board, BoardOfficer, OfficerTrack
from api_client.models.supervision import STATUS_COLOURS
from mobile.receipt import qr_png
from mobile.services.supervision import SupervisionError, SupervisionOffline, age_minutes
from mobile.ui.context import ViewContext
from mobile.ui.route import DEFAULT_TILES
from mobile.ui.supervisor.common import (
    PLAN_COLOUR,
    TRACK_COLOUR,
    age_text,
    confirm_dialog,
    hhmm,
    safe_update,
    status_legend,
)
from mobile.ui.theme import DANGER, MUTED, OK, PRIMARY, TOUCH, WARN, title

log = logging.getLogger(__name__)

MAP_HEIGHT = 520
MAX_VISIT_MARKERS = 600  # a commune's day; more would slow the browser without helping anyone
DEFAULT_CENTRE = (10.871, 105.087)  # An Phú


class BoardView:
    """The supervisor's home screen; re-renders whenever the board state changes."""

    def __init__(self, ctx: ViewContext) -> None:
        self.ctx = ctx
        self.svc = ctx.services.supervision
        self.st = self.svc.state
        self._unsub: Callable[[], None] | None = None
        self.status = ft.Text("", size=14, key="board-status")
        self.summary = ft.Text("", size=15, weight=ft.FontWeight.BOLD, key="board-summary")
        self.map_slot = ft.Container(height=MAP_HEIGHT, bgcolor="#E8EEF3", border_radius=8)
        self.officers = ft.Column(spacing=8)
        self.track_note = ft.Text("", size=13, color=MUTED, key="track-note")
        self._map_for: object = ()  # which selection the current map was centred for

    def build(self) -> ft.Control:
        """Header, status, map + legend beside (wide) or above (phone) the officer list."""
        t = self.ctx.t
        self._unsub = self.st.subscribe(self._changed)
        self._render()
        self.ctx.run(self.svc.refresh_board)
        self.ctx.run(self.svc.auto_refresh)
        header = ft.Row(
            [
                title(t("nav_board")),
                ft.Row(
                    [
                        ft.OutlinedButton(
                            content=t("sup_refresh"),
                            icon=ft.Icons.REFRESH,
                            height=TOUCH,
                            on_click=self._refresh,
                            key="board-refresh",
                        ),
                        ft.OutlinedButton(
                            content=t("provision_show"),
                            icon=ft.Icons.QR_CODE_2,
                            height=TOUCH,
                            on_click=self._provision,
                            key="provision-show",
                        ),
                    ],
                    wrap=True,
                ),
            ],
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,  # no expand here: a wrapped row cannot flex
        )
        map_panel = ft.Column(
            [
                self.map_slot,
                status_legend(t),
                self.track_note,
                ft.Text(t("map_tiles_note"), size=12, color=MUTED),
            ],
            spacing=6,
            col={"xs": 12, "md": 8},
        )
        list_panel = ft.Column(
            [ft.Text(t("sup_officers"), size=16, weight=ft.FontWeight.BOLD, color=PRIMARY), self.officers],
            spacing=6,
            col={"xs": 12, "md": 4},
        )
        return ft.Container(
            expand=True,
            padding=ft.Padding.symmetric(horizontal=12, vertical=8),
            content=ft.ListView(
                [header, self.status, self.summary, ft.ResponsiveRow([map_panel, list_panel], spacing=12)],
                spacing=8,
                expand=True,
            ),
        )

    def dispose(self) -> None:
        """Stop listening (the shell switched screens): the refresh loop idles without listeners."""
        if self._unsub:
            self._unsub()
            self._unsub = None

    # -- rendering ------------------------------------------------------------------------
    def _changed(self) -> None:
        self._render()
        safe_update(self.ctx.page)

    def _render(self) -> None:
        t, st = self.ctx.t, self.st
        b = st.board
        when = hhmm(st.loaded_at.isoformat()) if st.loaded_at else ""
        if st.offline:
            self.status.value = t("sup_offline_cached", at=when) if b else t("sup_offline")
            self.status.color, self.status.weight = DANGER, ft.FontWeight.BOLD
        elif st.error:
            self.status.value, self.status.color = f"{t('err_server')} ({st.error})", DANGER
            self.status.weight = ft.FontWeight.BOLD
        elif b is None:
            self.status.value, self.status.color, self.status.weight = t("loading"), MUTED, None
        else:
            self.status.value = t("sup_updated", at=when, s=int(self.svc.refresh_s))
            self.status.color, self.status.weight = MUTED, None
        if b is None:
            self.summary.value = ""
            self.officers.controls = []
            if self._map_for == ():
                self.map_slot.content = self._map(None, None)
                self._map_for = None
            return
        c = b.counts
        self.summary.value = t(
            "sup_summary",
            total=c.total,
            done=c.completed,
            failed=c.failed,
            planned=c.planned + c.en_route,
            unassigned=b.unassigned,
        )
        self.officers.controls = [self._officer_card(b, o) for o in b.officers] or [
            ft.Text(t("sup_no_officers"), color=MUTED)
        ]
        self.map_slot.content = self._map(b, st.track)
        self._map_for = st.selected_id
        sel = st.officer(st.selected_id)
        if sel and st.track:
            self.track_note.value = t(
                "sup_track_note",
                name=sel.full_name,
                n=len(st.track.points),
                km=f"{st.track.distance_m / 1000:.1f}".replace(".", ","),
                stops=len(st.track.planned_route),
            )
        else:
            self.track_note.value = t("sup_pick_officer")

    def _officer_card(self, b: Board, o: BoardOfficer) -> ft.Control:
        t = self.ctx.t
        selected = o.id == self.st.selected_id
        pos = o.last_position
        age = age_text(t, age_minutes(pos.recorded_at, b.server_time) if pos else None)
        if o.on_duty is None:
            duty = t("sup_duty_unknown")
        else:
            duty = t("sup_on_duty") if o.on_duty else t("sup_off_duty")
        n = o.counts
        toggle = ft.FilledButton if selected else ft.OutlinedButton
        return ft.Container(
            key=f"officer-{o.id}",
            border=ft.Border.all(2 if selected else 1, TRACK_COLOUR if selected else "#9E9E9E"),
            border_radius=8,
            padding=10,
            content=ft.Column(
                [
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.PERSON_PIN_CIRCLE, color=OK if o.on_duty else MUTED),
                            ft.Semantics(
                                identifier=f"officer-name-{o.id}",
                                label=o.full_name,
                                content=ft.Text(o.full_name, size=16, weight=ft.FontWeight.BOLD),
                            ),
                        ],
                        spacing=6,
                    ),
                    ft.Text(f"{t('role_' + o.role)} · {duty}", size=13, color=MUTED),
                    ft.Text(
                        f"{t('sup_last_seen')}: {age}",
                        size=14,
                        color=WARN if pos is None else None,
                        key=f"officer-age-{o.id}",
                    ),
                    ft.Text(
                        t(
                            "sup_counts",
                            total=n.total,
                            done=n.completed,
                            failed=n.failed,
                            left=o.open_visits,  # the load: open visits up to that day, as everywhere
                        ),
                        size=14,
                        key=f"officer-counts-{o.id}",
                    ),
                    ft.Row(
                        [
                            toggle(
                                content=t("sup_hide_track") if selected else t("sup_show_track"),
                                icon=ft.Icons.TIMELINE,
                                height=TOUCH,
                                on_click=self._toggle_track,
                                data=o.id,
                                key=f"track-{o.id}",
                            ),
                            ft.OutlinedButton(
                                content=t("sup_officer_day"),
                                icon=ft.Icons.LIST_ALT,
                                height=TOUCH,
                                on_click=lambda e, oid=o.id: self.ctx.nav.go("sup_officer", officer_id=oid),
                                key=f"day-{o.id}",
                            ),
                        ],
                        wrap=True,
                    ),
                ],
                spacing=4,
            ),
        )

    def _map(self, b: Board | None, track: OfficerTrack | None) -> ft.Control:
        tiles = os.environ.get("DOORSTEP_TILE_URL", DEFAULT_TILES)
        visits = [v for v in (b.visits if b else []) if v.lat is not None and v.lon is not None]
        if self.st.selected_id is not None:
            visits = [v for v in visits if v.assignee_id == self.st.selected_id]
        visit_markers = [
            fm.Marker(
                coordinates=fm.MapLatitudeLongitude(v.lat, v.lon),
                width=20,
                height=20,
                content=ft.Semantics(
                    identifier=f"visit-marker-{v.id}",
                    label=v.citizen_name,
                    content=ft.Container(
                        bgcolor=STATUS_COLOURS["late"] if v.late else v.colour,
                        border=ft.Border.all(2, ft.Colors.WHITE),
                        border_radius=10,
                        tooltip=f"{v.citizen_name} · {v.dossier_code}",
                    ),
                ),
            )
            for v in visits[:MAX_VISIT_MARKERS]
        ]
        officers = [(o, pos) for o in (b.officers if b else []) if (pos := o.last_position)]
        officer_markers = [
            fm.Marker(
                coordinates=fm.MapLatitudeLongitude(pos.lat, pos.lon),
                width=120,
                height=58,
                content=ft.Semantics(
                    identifier=f"officer-marker-{o.id}",
                    label=o.full_name,
                    content=ft.Column(
                        [
                            ft.Icon(
                                ft.Icons.PERSON_PIN_CIRCLE,
                                size=32,
                                color=TRACK_COLOUR if o.id == self.st.selected_id else PRIMARY,
                            ),
                            ft.Container(
                                ft.Text(o.full_name.split()[-1], size=11, weight=ft.FontWeight.BOLD),
                                bgcolor=ft.Colors.WHITE,
                                padding=ft.Padding.symmetric(horizontal=4),
                                border_radius=4,
                            ),
                        ],
                        spacing=0,
                        tight=True,
                        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                    ),
                ),
            )
            for o, pos in officers
        ]
        lines: list[fm.PolylineMarker] = []
        if track:
            plan = [
                fm.MapLatitudeLongitude(s.lat, s.lon)
                for s in track.planned_route
                if s.lat is not None and s.lon is not None
            ]
            if len(plan) > 1:
                lines.append(
                    fm.PolylineMarker(
                        coordinates=plan,
                        color=PLAN_COLOUR,
                        stroke_width=4,
                        stroke_pattern=fm.DashedStrokePattern(segments=[12, 8]),
                    )
                )
            actual = [fm.MapLatitudeLongitude(p.lat, p.lon) for p in track.points]
            if len(actual) > 1:
                lines.append(fm.PolylineMarker(coordinates=actual, color=TRACK_COLOUR, stroke_width=5))
        # fit the camera to what matters: the chosen officer's day, else every officer and visit
        spots = [(v.lat, v.lon) for v in visits if v.lat is not None and v.lon is not None]  # all visits
        if track and track.points:
            focus = [(p.lat, p.lon) for p in track.points] + spots
        else:
            focus = [(pos.lat, pos.lon) for _, pos in officers] + spots
        centre = (
            (sum(p[0] for p in focus) / len(focus), sum(p[1] for p in focus) / len(focus))
            if focus
            else DEFAULT_CENTRE
        )
        fit = (
            fm.CameraFit(
                coordinates=[fm.MapLatitudeLongitude(*p) for p in focus],
                padding=ft.Padding.all(40),
                max_zoom=16,
            )
            if len(focus) > 1
            else None
        )
        return fm.Map(
            expand=True,
            initial_center=fm.MapLatitudeLongitude(*centre),
            initial_zoom=13,
            initial_camera_fit=fit,
            bgcolor="#E8EEF3",  # markers and lines stay readable when tiles cannot load
            # a new key when what to fit changes (first data, another officer, a track loaded): Flutter
            # then builds a new map and fits it; a plain refresh keeps the supervisor's pan and zoom
            key=f"board-map-{self.st.selected_id}-{b is not None}-{track is not None}",
            layers=[
                fm.TileLayer(url_template=tiles, user_agent_package_name="vn.doorstep.app"),
                fm.PolylineLayer(polylines=lines),
                fm.MarkerLayer(markers=visit_markers),
                fm.MarkerLayer(markers=officer_markers),
            ],
        )

    # -- events ---------------------------------------------------------------------------
    async def _refresh(self, e: ft.Event) -> None:
        await self.svc.refresh_board()

    async def _provision(self, e: ft.Event) -> None:
        """The provisioning QR and its text, for a new phone's first-run screen."""
        t = self.ctx.t
        try:
            text = await self.svc.provisioning()
        except (SupervisionError, SupervisionOffline) as exc:
            self.ctx.nav.toast(f"{t('err_server')} ({exc})", error=True)
            return
        self.ctx.page.show_dialog(
            confirm_dialog(
                self.ctx.page,
                t("provision_title"),
                [
                    ft.Text(t("provision_hint"), size=14),
                    ft.Image(src=qr_png(text, box_size=6), width=260, height=260, key="provision-qr"),
                    ft.Text(text, size=13, color=MUTED, key="provision-text"),
                    ft.TextButton(
                        content=t("provision_copy"),
                        icon=ft.Icons.COPY,
                        height=TOUCH,
                        on_click=lambda ev: self.ctx.run(self._copy, text),
                        key="provision-copy",
                    ),
                ],
                t("close"),
                "provision-close",
                420,
            )
        )

    async def _copy(self, text: str) -> None:
        """Put the provisioning text on the clipboard (to send it to an officer by message)."""
        try:
            await asyncio.wait_for(ft.Clipboard().set(text), timeout=3)
        except Exception:  # noqa: BLE001 - a browser may refuse the clipboard: the text stays on screen
            log.info("clipboard refused the provisioning text", exc_info=True)
            return
        self.ctx.nav.toast(self.ctx.t("provision_copied"))

    async def _toggle_track(self, e: ft.Event) -> None:
        oid = int(e.control.data)
        await self.svc.select_officer(None if oid == self.st.selected_id else oid)
