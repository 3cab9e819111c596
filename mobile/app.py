"""The app shell: device store, services, top bar + sync bar + one screen at a time."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import flet as ft

from api_client.domain.clock import Clock, current_clock
from mobile.i18n import EN, VI, Translator
from mobile.logs import configure_logging
from mobile.services.container import Services
from mobile.services.location import GeolocatorLocationService, LocationService
from mobile.services.photos import FilePickerPhotoService, PhotoService
from mobile.services.tickets import DownloadTickets
from mobile.ui import officer_nav
from mobile.ui.conflicts import ConflictsView
from mobile.ui.context import ViewContext
from mobile.ui.delivery import DeliveryView
from mobile.ui.detail import DetailView
from mobile.ui.failed import FailedView
from mobile.ui.handovers import HandoversView
from mobile.ui.login import LoginView
from mobile.ui.pickup import PickupView
from mobile.ui.route import RouteView
from mobile.ui.setup import SetupView
from mobile.ui.supervisor import nav as sup_nav
from mobile.ui.supervisor.at_risk import AtRiskView
from mobile.ui.supervisor.board import BoardView
from mobile.ui.supervisor.common import WIDE
from mobile.ui.supervisor.dossiers import DossiersView
from mobile.ui.supervisor.indicators import IndicatorsView
from mobile.ui.supervisor.officer_day import OfficerDayView
from mobile.ui.sync_bar import SyncBar
from mobile.ui.theme import DANGER, PRIMARY, TOUCH, apply_theme, icon_button
from mobile.ui.tracking import TrackingLogView

log = logging.getLogger(__name__)

DEVICE_KEY = "doorstep.device_id"
LANG_KEY = "doorstep.lang"


async def device_id_for(page: ft.Page, timeout_s: float = 5.0) -> str:
    """This browser's device id from client storage (shared preferences), created on first use."""
    prefs = ft.SharedPreferences()
    try:
        value = await asyncio.wait_for(prefs.get(DEVICE_KEY), timeout=timeout_s)
    except Exception:  # noqa: BLE001 - storage unavailable: a throwaway id still lets the tab work
        log.warning("client storage unavailable: this tab gets a throwaway device id", exc_info=True)
        value = None
    if isinstance(value, str) and len(value) == 32 and all(c in "0123456789abcdef" for c in value):
        return value
    new = uuid.uuid4().hex
    try:
        await asyncio.wait_for(prefs.set(DEVICE_KEY, new), timeout=timeout_s)
    except Exception:  # noqa: BLE001 - see above
        log.warning("could not keep the device id in client storage", exc_info=True)
    return new


class Shell:
    """Owns the frame and switches screens; implements the Navigator the views use."""

    def __init__(self, page: ft.Page, services: Services, tr: Translator) -> None:
        self.page = page
        self.services = services
        self.tr = tr
        self.ctx = ViewContext(page, tr, services, self)
        self.body = ft.Container(expand=True)
        self.top = ft.Container(bgcolor=PRIMARY, padding=ft.Padding.symmetric(horizontal=10, vertical=4))
        self.sync_bar: SyncBar | None = None
        self.bar_slot = ft.Container()
        self.current: tuple[str, dict[str, Any]] = ("login", {})
        self.view: Any = None
        self.route_state: dict | None = None
        self.sup_state: dict[str, dict] = {}  # supervisor tabs' filters survive language switches
        self._wide = self._is_wide()
        page.on_resize = self._resized
        tr.subscribe(self._relabel)
        services.sync.on_synced(self._after_sync)
        page.add(
            ft.SafeArea(
                expand=True, content=ft.Column([self.top, self.bar_slot, self.body], expand=True, spacing=0)
            )
        )

    # -- Navigator ------------------------------------------------------------------
    def go(self, screen: str, **params: Any) -> None:
        """Show a screen; the first-run setup comes first, then anything but login needs a session."""
        if self.services.setup.needs_setup():
            screen, params = "setup", {}  # no server address yet: nothing else can work
        elif screen not in ("login", "setup") and self.services.auth.session() is None:
            notice = self.tr.t("session_expired") if self.services.auth.has_expired_session() else ""
            screen, params = "login", {"notice": notice}
        supervisor = screen not in ("login", "setup") and self.services.supervision.is_supervisor()
        if screen == "route" and supervisor:
            screen = "sup_board"  # a supervisor's home is the board, never an officer's pickup route
        if self.view is not None and hasattr(self.view, "dispose"):
            self.view.dispose()
        self.current = (screen, params)
        first_sync = params.pop("first_sync", False)
        self._render_top()
        if screen == "setup":
            self.view = SetupView(self.ctx)
        elif screen == "login":
            self.view = LoginView(self.ctx, params.get("notice", ""))
        elif screen == "route":
            if self.route_state is None:
                self.route_state = {"kind": None, "status": "open", "q": "", "map": False}
            self.view = RouteView(self.ctx, self.route_state)
        elif screen == "detail":
            self.view = DetailView(self.ctx, params["visit_id"])
        elif screen == "pickup":
            self.view = PickupView(self.ctx, params["visit_id"])
        elif screen in ("failed", "supplement"):
            self.view = FailedView(self.ctx, params["visit_id"], kind=screen)
        elif screen == "delivery":
            self.view = DeliveryView(self.ctx, params["visit_id"])
        elif screen == "handovers":
            self.view = HandoversView(self.ctx)
        elif screen == "tracking":
            self.view = TrackingLogView(self.ctx, params["dossier_id"], params.get("visit_id"))
        elif screen == "conflicts":
            self.view = ConflictsView(self.ctx)
        elif screen == "sup_board":
            self.view = BoardView(self.ctx)
        elif screen == "sup_officer":
            self.view = OfficerDayView(self.ctx, params["officer_id"])
        elif screen == "sup_at_risk":
            risk = self.sup_state.setdefault("at_risk", {"kind": "due_today", "page": 1})
            self.view = AtRiskView(self.ctx, risk)
        elif screen == "sup_dossiers":
            desk = self.sup_state.setdefault("dossiers", {"q": "", "status": "", "page": 1, "open": None})
            self.view = DossiersView(self.ctx, desk)
        elif screen == "sup_indicators":
            self.view = IndicatorsView(self.ctx, self.sup_state.get("indicators"))
            self.sup_state["indicators"] = self.view.state
        else:
            raise ValueError(screen)
        content = self.view.build()
        if supervisor and screen in sup_nav.SCREENS:
            content = sup_nav.frame(self.tr.t, screen, content, self._wide, lambda s: self.go(s))
        elif not supervisor and screen in officer_nav.SCREENS:
            content = officer_nav.frame(self.tr.t, screen, content, lambda s: self.go(s))
        self.body.content = content
        self.page.update()
        if first_sync:
            self.services.sync.request()

    def _is_wide(self) -> bool:
        return (self.page.width or 0) >= WIDE

    def _resized(self, e: ft.Event) -> None:
        # re-lay out supervisor screens only when crossing the breakpoint (a rebuild reloads data)
        wide = self._is_wide()
        if wide != self._wide:
            self._wide = wide
            if self.current[0] in sup_nav.SCREENS:
                self.go(self.current[0], **self.current[1])

    def toast(self, message: str, error: bool = False) -> None:
        """A SnackBar message."""
        self.page.show_dialog(
            ft.SnackBar(ft.Text(message, color=ft.Colors.WHITE), bgcolor=DANGER if error else PRIMARY)
        )

    # -- frame --------------------------------------------------------------------------
    def _render_top(self) -> None:
        t = self.tr.t
        logged_in = self.current[0] not in ("login", "setup")
        name = self.services.officer_name() if logged_in else ""
        controls: list[ft.Control] = [
            ft.Text(t("app_title"), color=ft.Colors.WHITE, size=18, weight=ft.FontWeight.BOLD),
            ft.Text(name, color=ft.Colors.WHITE, size=13, expand=True),
            ft.TextButton(
                content=ft.Text(t("switch_lang"), color=ft.Colors.WHITE),
                height=TOUCH,
                on_click=lambda e: self.tr.toggle(),
                key="lang",
            ),
        ]
        if logged_in:
            controls.append(
                icon_button(ft.Icons.LOGOUT, t("logout"), self._logout, key="logout", color=ft.Colors.WHITE)
            )
        self.top.content = ft.Row(controls, vertical_alignment=ft.CrossAxisAlignment.CENTER)
        if logged_in:
            if self.sync_bar is None:
                self.sync_bar = SyncBar(self.ctx)
            self.sync_bar.render()
            self.bar_slot.content = self.sync_bar.control
        else:
            self.bar_slot.content = None

    def _relabel(self) -> None:
        if self.sync_bar:
            self.sync_bar.dispose()
            self.sync_bar = None
        name, params = self.current
        apply_locale(self.page, self.tr.lang)
        self.go(name, **params)
        self.page.run_task(self._save_lang)

    async def _save_lang(self) -> None:
        try:
            await asyncio.wait_for(ft.SharedPreferences().set(LANG_KEY, self.tr.lang), timeout=3)
        except Exception:  # noqa: BLE001 - a preference is not worth an error
            log.info("language preference not saved", exc_info=True)

    def _after_sync(self, report: Any) -> None:
        if report is not None and getattr(report, "wiped", False):
            # a supervisor's remote wipe: data and keys are gone, whatever screen was open
            self.services.duty.end()
            self.go("login", notice=self.tr.t("remote_wiped"))
            return
        # only the route list reloads by itself: a half-filled pickup form must never jump
        if self.current[0] == "route" and isinstance(self.view, RouteView):
            self.view.refresh()
            try:
                self.page.update()
            except Exception:  # noqa: BLE001 - tab closed
                log.debug("route refresh after sync not shown (tab closed)", exc_info=True)
        if report is not None and getattr(report, "auth_required", False) and self.sync_bar:
            self.sync_bar.render()

    def _logout(self, e: ft.Event) -> None:
        t = self.tr.t
        n = self.services.auth.unsynced_count()
        text = t("logout_warn", n=n) if n else t("logout_confirm")

        def confirm(ev: ft.Event) -> None:
            self.page.pop_dialog()
            self.services.duty.end()  # logging out ends duty: no GPS loop without an officer
            self.services.auth.logout()
            self.services.sync.refresh_counts()
            self.go("login")

        dlg = ft.AlertDialog(
            modal=True,
            title=ft.Text(t("logout")),
            content=ft.Text(text, color=DANGER if n else None, weight=ft.FontWeight.BOLD if n else None),
            actions=[
                ft.TextButton(
                    content=t("cancel"), on_click=lambda ev: self.page.pop_dialog(), key="logout-cancel"
                ),
                ft.FilledButton(content=t("logout"), on_click=confirm, key="logout-confirm"),
            ],
        )
        self.page.show_dialog(dlg)


def apply_locale(page: ft.Page, lang: str) -> None:
    """The app's locale follows the UI language: Flutter then declares it as the page's `lang`
    (screen readers, browser translation) and formats its own widgets in it."""
    page.locale_configuration = ft.LocaleConfiguration(
        supported_locales=[ft.Locale(VI), ft.Locale(EN)], current_locale=ft.Locale(lang)
    )


def build_main(
    backend_url: str | None,
    data_dir: Path | str,
    *,
    location_factory: Callable[[], LocationService] | None = None,
    photo_factory: Callable[[], PhotoService] | None = None,
    per_device: bool | None = None,
    receipts_route: str = "/receipts",
    tickets: DownloadTickets | None = None,
    sync_interval_s: float | None = None,
    auto_sync: bool = True,
    clock: Clock | None = None,
) -> Callable[[ft.Page], Any]:
    """The Flet `main(page)`: per-device store under data_dir (web: data_dir/<device id>/).

    `backend_url` None: the server address is the one kept in the store, set on the first-run
    screen (an installed phone); web mode passes the server's own address and skips that screen.
    """
    data_dir = Path(data_dir)
    clock = clock or current_clock()  # one clock for every service of every session
    configure_logging(data_dir)

    async def main(page: ft.Page) -> None:
        apply_theme(page)
        page.title = "Một cửa tận nhà"
        web = bool(page.web) if per_device is None else per_device
        url_prefix = None
        signer = None
        if web:
            device = await device_id_for(page)
            store_dir = data_dir / device
            url_prefix = f"{receipts_route}/{device}"
            if tickets is not None:
                signer = partial(tickets.mint, device)
        else:
            store_dir = data_dir
        services = Services(
            store_dir,
            backend_url,
            location=location_factory() if location_factory else GeolocatorLocationService(clock),
            photos=(photo_factory or FilePickerPhotoService)(),
            receipts_url_prefix=url_prefix,
            sync_interval_s=sync_interval_s,
            clock=clock,
            ticket_signer=signer,
        )
        lang = VI
        try:
            saved = await asyncio.wait_for(ft.SharedPreferences().get(LANG_KEY), timeout=3)
            lang = saved if saved in (VI, EN) else VI
        except Exception:  # noqa: BLE001 - default language
            log.info("language preference not read", exc_info=True)
        apply_locale(page, lang)
        shell = Shell(page, services, Translator(lang))
        page.data = shell  # tests and the web wrapper reach the shell through the page
        tasks = []
        if auto_sync:
            tasks.append(page.run_task(services.sync.auto_sync))

        def on_close(e: Any) -> None:
            for task in tasks:
                task.cancel()
            services.close()

        page.on_close = on_close
        if services.auth.session() is not None:
            shell.go("route", first_sync=True)  # opens offline; syncs in the background when it can
        else:
            shell.go("login")

    return main
