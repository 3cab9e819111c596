"""The GPS step: the fix is taken when the step opens; poor, distant or missing fixes need a reason."""

from __future__ import annotations

from typing import Any

import flet as ft

from mobile.services.location import LocationError
from mobile.ui.theme import DANGER, OK, WARN, big_button

GPS_REASONS = (
    "indoors",
    "device_gps_weak",
    "citizen_moved",
    "met_elsewhere",
    "registered_location_wrong",
    "no_gps_permission",
    "other",
)


class GpsStep:
    """Mixin: `_gps()` draws the step, `_gps_ready()` checks the reason rules before completing."""

    ctx: Any
    svc: Any
    draft: Any
    detail: Any
    gps_busy: bool = False

    def _on_gps_step(self) -> bool:
        """True while the GPS step is the one shown (a late fix must not redraw another step)."""
        raise NotImplementedError

    def _gps(self) -> list[ft.Control]:
        t = self.ctx.t
        gps = self.draft.data.setdefault("gps", {})
        items: list[ft.Control] = []
        if self.gps_busy:
            items.append(ft.Row([ft.ProgressRing(width=24, height=24), ft.Text(t("gps_getting"))]))
        elif gps.get("fix"):
            fix = gps["fix"]
            dist = gps.get("distance_m")
            items.append(
                ft.Text(
                    t(
                        "gps_fix",
                        lat=f"{fix['lat']:.5f}",
                        lon=f"{fix['lon']:.5f}",
                        acc=f"{fix['accuracy_m']:.0f}",
                        dist=f"{dist:.0f} m" if dist is not None else "?",
                    ),
                    size=15,
                    key="gps-status",
                )
            )
        elif "error" in gps:
            why = t(gps["error"])  # a code (older drafts kept the message itself)
            if gps.get("error_detail"):
                why = f"{why}: {gps['error_detail']}"
            items.append(ft.Text(t("gps_none", why=why), color=DANGER, key="gps-status"))
        warnings = gps.get("warnings") or []
        if gps.get("fix") and not warnings and not self.gps_busy:
            items.append(ft.Text(t("gps_good"), color=OK, weight=ft.FontWeight.BOLD))
        for w in warnings:
            items.append(ft.Text("⚠ " + t(f"warn_{w}"), color=WARN, weight=ft.FontWeight.BOLD))
        if warnings:
            items.append(ft.Text(t("gps_reason"), weight=ft.FontWeight.BOLD))
            reason = gps.get("reason")
            items.append(
                ft.Row(
                    wrap=True,
                    controls=[
                        big_button(
                            t(f"reason_{r}"), self._reason, primary=reason == r, key=f"reason-{r}", data=r
                        )
                        for r in GPS_REASONS
                    ],
                )
            )
            items.append(self._field("reason_note", t("reason_note"), gps.get("reason_note", "")))
        items.append(
            big_button(
                t("gps_retry"), self._retry_gps, primary=False, key="gps-retry", disabled=self.gps_busy
            )
        )
        if not gps.get("fix") and "error" not in gps and not self.gps_busy:
            self.ctx.run(self._acquire)  # the fix is taken automatically when the step opens
        return items

    async def _retry_gps(self, e: ft.Event) -> None:
        await self._acquire()

    async def _acquire(self) -> None:
        if self.gps_busy:
            return
        self.gps_busy = True
        self.render()
        self._safe_update()
        gps = self.draft.data.setdefault("gps", {})
        try:
            fix = await self.ctx.services.location.current_fix(15.0)
            gps["fix"] = {
                "lat": fix.lat,
                "lon": fix.lon,
                "accuracy_m": fix.accuracy_m,
                "device_time": fix.device_time.isoformat(),
            }
            if fix.mocked is not None:
                gps["fix"]["mocked"] = fix.mocked
            gps.pop("error", None)
        except LocationError as exc:
            gps["fix"] = None
            gps["error"], gps["error_detail"] = exc.code, exc.detail
        dist, warnings = self.svc.evaluate_fix(self.detail, gps.get("fix"))
        gps["distance_m"], gps["warnings"] = dist, warnings
        if not warnings:
            gps["reason"] = None
        self.gps_busy = False
        self.svc.save(self.draft)
        if self._on_gps_step():
            self.render()
            self._safe_update()

    def _safe_update(self) -> None:
        try:
            self.ctx.page.update()
        except Exception:  # noqa: BLE001 - the officer navigated away meanwhile
            pass

    def _reason(self, e: ft.Event) -> None:
        self._save_fields()
        self.draft.data.setdefault("gps", {})["reason"] = e.control.data
        self.svc.save(self.draft)
        self.render()

    def _gps_ready(self) -> bool:
        """Before completing: a bad or missing fix needs a reason, 'other' a note (shows the error)."""
        self._save_fields()
        gps = self.draft.data.get("gps", {})
        if (gps.get("warnings") or not gps.get("fix")) and not gps.get("reason"):
            self._fail(self.ctx.t("err_gps_reason"))
            return False
        if gps.get("reason") == "other" and not (gps.get("reason_note") or "").strip():
            self._fail(self.ctx.t("err_note"))
            return False
        return True

    # provided by the flow view
    def _save_fields(self, e: ft.Event | None = None) -> None: ...
    def _field(self, key: str, label: str, value: str = "", **kw: Any) -> ft.TextField:
        raise NotImplementedError
    def _fail(self, errors: dict[str, str] | str, params: dict[str, dict] | None = None) -> None: ...
    def render(self) -> None: ...
