"""Visit outcomes besides a completed flow: a failed visit or a supplement request, one screen each.

Both prove presence like a pickup: the shared GPS step (same accuracy and distance rules, same
reasons) and an optional photo of the door or of the note left there, in the shared step frame.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import flet as ft

from mobile.services.outcomes import FAILED, SUPPLEMENT
from mobile.ui.context import ViewContext
from mobile.ui.dates import date_button
from mobile.ui.steps import GpsStep, StepFlow, photo_box
from mobile.ui.theme import OK, PRIMARY, WARN, big_button, document_link

REASONS = ("nobody_home", "missing_documents", "refused", "wrong_address", "other")


class FailedView(StepFlow, GpsStep):
    """'failed': why the visit could not be done; 'supplement': what the citizen must bring."""

    steps = ("gps",)
    numbered = False

    def __init__(self, ctx: ViewContext, visit_id: int, kind: str = FAILED) -> None:
        self.kind = kind
        title = "failed_title" if kind == FAILED else "supplement_title"
        self.step_titles = (title, title)
        self.complete_label = "save_failed" if kind == FAILED else "send_supplement"
        super().__init__(ctx, visit_id, ctx.services.outcomes)
        self.reason: str | None = None
        self.active = True

    def dispose(self) -> None:
        """The screen was left: a late GPS answer must not redraw it."""
        self.active = False

    def _on_gps_step(self) -> bool:
        return self.active and self.draft.step == 0

    def _renderers(self) -> list[Callable[[], list[ft.Control]]]:
        return [self._outcome, self._saved]

    def _validators(self) -> list[Callable[[], None]]:
        return []

    # -- the one screen -----------------------------------------------------------------
    def _outcome(self) -> list[ft.Control]:
        t = self.ctx.t
        items: list[ft.Control] = []
        if self.kind == FAILED:
            items.append(
                ft.Row(
                    wrap=True,
                    controls=[
                        big_button(
                            t(f"fail_{r}"), self._pick, primary=r == self.reason, key=f"fail-{r}", data=r
                        )
                        for r in REASONS
                    ],
                )
            )
        else:
            names = ", ".join(d.name for d in self.svc.missing(self.detail))
            items.append(
                ft.Text(f"{t('supplement_missing')}: {names}", color=WARN, weight=ft.FontWeight.BOLD)
            )
        note_label = t("fail_note") if self.kind == FAILED else t("supplement_note")
        items.append(self._field("note", note_label, self.draft.data.get("note", ""), multiline=True))
        items.append(
            date_button(
                self.ctx, t("proposed_date"), self.draft.data.get("date"), self._date_picked,
                "outcome-date", first=self.svc.today(),
            )
        )
        items.append(
            photo_box(
                t, f"{t('door_photo')} ({t('optional')})", self.draft.data.get("photo"),
                self._take_door, "door-photo",
            )
        )
        items.append(ft.Text(t("outcome_gps"), weight=ft.FontWeight.BOLD, color=PRIMARY))
        items.extend(self._gps())
        return items

    def _pick(self, e: ft.Event) -> None:
        self._save_fields()
        self.reason = e.control.data
        self.render()

    def _date_picked(self, iso: str) -> None:
        self._save_fields()
        self.draft.data["date"] = iso
        self.render()
        self.ctx.page.update()

    async def _take_door(self, e: ft.Event) -> None:
        self._save_fields()
        await self._take_photo(lambda raw: self.svc.add_door_photo(self.draft, raw))

    def _save_fields(self, e: ft.Event | None = None) -> None:
        """The note, and the GPS step's reason note, kept across redraws (in memory)."""
        for key, f in self.fields.items():
            if key == "reason_note":
                self.draft.data.setdefault("gps", {})["reason_note"] = f.value or ""
            else:
                self.draft.data[key] = f.value or ""

    async def _record(self) -> None:
        self._save_fields()
        # the fsynced write (and the slip's PDF) run off the event loop: other tabs and the API go on
        if self.kind == FAILED:
            await asyncio.to_thread(self.svc.report_failed, self.draft, self.reason)
        else:
            await asyncio.to_thread(self.svc.request_supplement, self.draft, self.detail,
                                    self.ctx.services.officer_name())
        self.ctx.services.sync.refresh_counts()

    # -- after saving ---------------------------------------------------------------------
    def _saved(self) -> list[ft.Control]:
        t = self.ctx.t
        items: list[ft.Control] = [
            ft.Text(t(f"outcome_done_{self.kind}"), size=18, weight=ft.FontWeight.BOLD, color=OK,
                    key="outcome-saved")
        ]
        slip = self.svc.slip(self.visit_id) if self.kind == SUPPLEMENT else None
        if slip:
            items.append(document_link(t, t("supplement_slip_pdf"), slip.url, slip.path, "supplement-pdf"))
        items.append(
            big_button(
                t("back_to_route"), lambda e: self.ctx.nav.go("route"), primary=False, key="back-to-route"
            )
        )
        return items
