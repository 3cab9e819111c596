"""The frame both door-step flows draw their steps in: header, pinned step buttons, draft saving."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from mobile.services.flow import FlowError
from mobile.ui.context import ViewContext
from mobile.ui.theme import MUTED, PRIMARY, big_button, error_text, icon_button

log = logging.getLogger(__name__)


class StepFlow:
    """Base of a step-by-step flow view: every 'Tiếp tục' validates, saves the draft and moves on.

    A flow names its steps (`steps`: the service's STEPS, `step_titles`: one more, the closing
    screen), which draft bucket each step's text fields are kept in (`buckets`), and provides
    `_renderers()`, `_validators()` and `_record()`.
    """

    steps: tuple[str, ...] = ()
    step_titles: tuple[str, ...] = ()
    buckets: dict[str, str] = {}
    complete_label = "complete"
    # provided by GpsStep, listed after this base: an annotation only, so nothing here shadows it
    _gps_ready: Callable[[], bool]
    numbered = True  # 'Bước i/n: …' in the header (a one-screen flow shows its title only)

    def __init__(self, ctx: ViewContext, visit_id: int, svc: Any) -> None:
        self.ctx = ctx
        self.svc = svc
        self.detail = ctx.services.route.detail(visit_id)
        self.visit_id = visit_id
        self.draft = svc.load(visit_id, self.detail)
        self.error = error_text()
        self.fields: dict[str, ft.TextField] = {}
        self.pad: Any = None
        self.gps_busy = False
        self.recording = False  # 'complete' is in flight: a second tap must not record twice

    @property
    def done_step(self) -> int:
        """The closing screen's index, shown once the flow is recorded."""
        return len(self.steps)

    def _closed(self) -> bool:
        return self.detail is not None and not self.detail.row.is_open

    # -- what a flow provides -------------------------------------------------------------
    def _renderers(self) -> list[Callable[[], list[ft.Control]]]:
        """One drawing function per step, the closing screen last."""
        raise NotImplementedError

    def _validators(self) -> list[Callable[[], None]]:
        """One check per step before the last; each raises FlowError or fills the draft."""
        raise NotImplementedError

    async def _record(self) -> None:
        """Record the flow's event (the last step's 'complete'); FlowError when refused.

        The fsynced write and the PDF render run in a worker thread (asyncio.to_thread): on the
        event loop they would stall every other tab and the API in web mode.
        """
        raise NotImplementedError

    # -- frame ----------------------------------------------------------------------------
    def build(self) -> ft.Control:
        """The flow's frame; each step gets a fresh scrolling column (a new step starts at the top)."""
        if self.detail is None:
            return ft.Text(self.ctx.t("no_visits"))
        self.frame = ft.Container(expand=True)
        self.render()
        back = icon_button(
            ft.Icons.ARROW_BACK,
            self.ctx.t("back"),
            lambda e: self.ctx.nav.go("detail", visit_id=self.visit_id),
            key="flow-back",
        )
        row = self.detail.row
        who = ft.Text(f"{row.citizen_name} · {row.dossier_code}", size=14, color=MUTED, expand=True)
        return ft.Container(
            padding=12,
            expand=True,
            content=ft.Column([ft.Row([back, who]), self.frame], expand=True, spacing=4),
        )

    def render(self) -> None:
        """Draw the current step."""
        t = self.ctx.t
        step = self.draft.step
        # fresh controls per step: a brand-new scroll view starts at the top of the step
        self.error = error_text()
        self.fields = {}
        heading = t(self.step_titles[step])
        if self.numbered:
            heading = f"{t('step_of', i=step + 1, n=len(self.step_titles))}: {heading}"
        header = ft.Text(
            heading,
            size=18,
            weight=ft.FontWeight.BOLD,
            color=PRIMARY,
        )
        content = ft.Column(self._renderers()[step](), spacing=10)
        nav: list[ft.Control] = []
        if 0 < step < self.done_step:
            nav.append(big_button(t("prev"), self._prev, primary=False, key="prev"))
        if step < len(self.steps) - 1:
            nav.append(big_button(t("next"), self._next, key="next"))
        elif step == len(self.steps) - 1:
            nav.append(big_button(t(self.complete_label), self._complete, key="complete"))
        if hasattr(self, "frame"):
            # the step buttons stay pinned under the scrolling step: always in thumb reach
            self.frame.content = ft.Column(
                [
                    ft.ListView(expand=True, spacing=10, controls=[header, content, self.error]),
                    ft.Container(ft.Row(nav, wrap=True), padding=ft.Padding.only(top=6)),
                ],
                expand=True,
                spacing=0,
            )

    # -- fields and errors ----------------------------------------------------------------
    def _fail(self, errors: dict[str, str] | str, params: dict[str, dict] | None = None) -> None:
        """Show a message, or a service's error codes in the screen's language beside their fields."""
        if isinstance(errors, str):
            msg = errors
        else:
            errors = self.ctx.tr.errors(errors, params)
            for key, msg_ in errors.items():
                if key in self.fields:
                    self.fields[key].error = msg_
            msg = "\n".join(errors.values())
        self.error.value, self.error.visible = msg, True

    def _field(self, key: str, label: str, value: str = "", **kw: Any) -> ft.TextField:
        f = ft.TextField(label=label, value=value, key=f"field-{key}", on_blur=self._save_fields, **kw)
        self.fields[key] = f
        return f

    def _save_fields(self, e: ft.Event | None = None) -> None:
        """Keep typed text in the draft even before 'Tiếp tục' (a crash mid-form loses nothing)."""
        if self.recording:  # the draft is being recorded: a late blur must not write it back
            return
        step = self.steps[self.draft.step] if self.draft.step < len(self.steps) else ""
        bucket = self.buckets.get(step)
        if not bucket:
            return
        target = self.draft.data.setdefault(bucket, {})
        for k, f in self.fields.items():
            target[k if bucket != "gps" else "reason_note"] = f.value or ""
        self.svc.save(self.draft)

    async def _take_photo(self, keep: Callable[[bytes], Awaitable[Any]]) -> None:
        """Pick a photo and let `keep` store it in the draft; a bad photo shows its error."""
        raw = await self.ctx.services.photos.pick()
        if not raw:
            return
        try:
            await keep(raw)
        except FlowError as exc:
            self._fail(exc.errors, exc.params)
            self.ctx.page.update()
            return
        self.render()
        self.ctx.page.update()

    # -- moving between steps -------------------------------------------------------------
    def _go(self, step: int) -> None:
        self.draft.step = step
        if step < len(self.steps):
            self.svc.save(self.draft)
        self.render()

    def _prev(self, e: ft.Event) -> None:
        if self.recording:  # the draft is being turned into an event in a worker thread
            return
        self._save_fields()
        self._go(max(0, self.draft.step - 1))

    def _next(self, e: ft.Event) -> None:
        if self.recording:
            return
        try:
            self._validators()[self.draft.step]()
        except FlowError as exc:
            self._fail(exc.errors, exc.params)
            return
        self._go(self.draft.step + 1)

    def _on_gps_step(self) -> bool:
        return self.draft.step == self.steps.index("gps")

    async def _complete(self, e: ft.Event) -> None:
        # _gps_ready comes from GpsStep (listed after this base, so its stubs never shadow ours)
        if self.recording or self.gps_busy or not self._gps_ready():  # type: ignore[attr-defined]
            return
        self.recording = True
        try:
            await self._record()
        except FlowError as exc:
            self._fail(exc.errors, exc.params)
            return
        except Exception:
            log.exception("recording visit %s failed", self.visit_id)
            raise
        finally:
            self.recording = False
        self.draft.step = self.done_step
        self.render()
        # recording notified the sync bar, which updated itself: Flet then skips its
        # automatic update for this handler, so send the new step explicitly
        self.ctx.page.update()
