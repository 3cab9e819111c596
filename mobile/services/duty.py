"""Duty tracking for the screens: on/off duty, a GPS breadcrumb loop while on duty, its status.

The rules (what is kept, batching, upload) live in `mobile.tracking.BreadcrumbRecorder`; this
service only feeds it from the LocationService on the page's event loop:

- going on duty stores the state (it survives a restart) and starts a periodic task that asks
  the GPS every `interval_s` (env DOORSTEP_TRACK_INTERVAL, default 30 s) and offers each fix to
  the recorder (accuracy, spacing and distance rules from its `TrackingConfig`);
- the task is cancelled on going off duty, on logout (`end`) and when the tab or app closes
  (`stop`, duty stays on so the next start resumes it); nothing is recorded off duty;
- a GPS failure never ends the loop: it becomes `state.problem` and the next tick retries;
- the sync engine uploads the points in batches (`SyncEngine.push_tracks`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from datetime import UTC

import sqlite_utils

from api_client.domain.clock import Clock, current_clock
from mobile import tracking
from mobile.tracking import BreadcrumbRecorder, Offer, TrackingConfig

from .location import LocationError, LocationService
from .observable import Observable

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 30.0


def interval_from_env() -> float:
    """Seconds between GPS reads while on duty (DOORSTEP_TRACK_INTERVAL, default 30)."""
    try:
        value = float(os.environ.get("DOORSTEP_TRACK_INTERVAL", DEFAULT_INTERVAL_S))
    except ValueError:
        return DEFAULT_INTERVAL_S
    return value if value > 0 else DEFAULT_INTERVAL_S


class DutyState(Observable):
    """What the duty toggle shows; every change notifies it."""

    def __init__(self) -> None:
        super().__init__()
        self.on_duty = False
        self.recording = False  # the GPS loop is running
        self.pending = 0  # points recorded and not yet uploaded
        self.problem: str | None = None  # None | "gps" | "poor_accuracy"
        self.problem_detail = ""  # the GPS error message / the accuracy in metres
        self.last_recorded_at: str | None = None


class DutyService:
    """Owns the BreadcrumbRecorder of this device's store and the loop that feeds it."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        location: LocationService,
        *,
        interval_s: float | None = None,
        config: TrackingConfig | None = None,
        on_changed: Callable[[], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.db = db
        self.clock: Clock = clock or current_clock()
        self.location = location
        self.interval_s = interval_s if interval_s is not None else interval_from_env()
        # the recorder's spacing follows the loop's period; distance and accuracy keep its defaults
        base = config or TrackingConfig()
        self.config = TrackingConfig(
            interval_s=min(base.interval_s, self.interval_s),
            min_distance_m=base.min_distance_m,
            max_accuracy_m=base.max_accuracy_m,
            batch_max_points=base.batch_max_points,
        )
        # the loop hands fixes over with `offer`: the recorder never calls the GPS itself
        self.recorder = BreadcrumbRecorder(db, lambda: None, self.config, clock=self.clock.now)
        self.on_changed = on_changed  # e.g. ask for a sync so supervisors see the duty change
        self.state = DutyState()
        self._task: asyncio.Task[None] | None = None
        self.refresh()

    @property
    def on_duty(self) -> bool:
        """The stored duty state."""
        return self.recorder.on_duty

    def refresh(self) -> None:
        """Re-read duty state and the pending count from the store, then notify."""
        s = self.state
        try:
            s.on_duty = self.recorder.on_duty
            s.pending = tracking.pending_points(self.db)
        except Exception:  # noqa: BLE001 - the store closed under us (tab gone): keep the last values
            log.debug("duty state not refreshed", exc_info=True)
            return
        s.recording = self._task is not None and not self._task.done()
        s.notify()

    # -- duty -----------------------------------------------------------------------------
    def start(self) -> bool:
        """Go on duty and start recording; False when already on duty (the loop is ensured anyway)."""
        changed = self.recorder.go_on_duty()
        self.state.problem, self.state.problem_detail = None, ""
        self.resume()
        if changed and self.on_changed:
            self.on_changed()
        return changed

    def end(self) -> bool:
        """Go off duty and stop recording at once; False when already off duty."""
        self.stop()
        changed = self.recorder.go_off_duty()
        self.state.problem, self.state.problem_detail = None, ""
        self.refresh()
        if changed and self.on_changed:
            self.on_changed()
        return changed

    def toggle(self) -> bool:
        """Start or end duty; the new state."""
        if self.on_duty:
            self.end()
        else:
            self.start()
        return self.on_duty

    def resume(self) -> None:
        """Start the loop when the stored state is on duty and none runs (app start, after login)."""
        if self._task is not None and not self._task.done():
            self.refresh()
            return
        if not self.on_duty:
            self.refresh()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain scripts): the caller ticks by hand
            self.refresh()
            return
        self._task = loop.create_task(self._run())
        self.refresh()

    def stop(self) -> None:
        """Cancel the loop without changing the duty state (the tab or app is closing)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
        self.state.recording = False

    # -- the loop -------------------------------------------------------------------------
    async def tick(self) -> Offer:
        """Ask the GPS once (only on duty) and offer the fix; problems become state, never raise."""
        if not self.on_duty:
            return Offer.OFF_DUTY
        s = self.state
        timeout = max(5.0, min(15.0, self.interval_s))
        try:
            fix = await self.location.current_fix(timeout)
        except LocationError as exc:
            s.problem, s.problem_detail = "gps", exc.code if exc.code != "other" else exc.detail
            offer = self.recorder.offer(None)
        except Exception as exc:  # noqa: BLE001 - any GPS plugin failure: report it, try again next tick
            log.warning("GPS plugin failed: %s", exc, exc_info=True)
            s.problem, s.problem_detail = "gps", str(exc) or type(exc).__name__
            offer = self.recorder.offer(None)
        else:
            at = fix.device_time if fix.device_time.tzinfo else fix.device_time.replace(tzinfo=UTC)
            # offer() re-checks the stored duty state: a fix arriving after "Kết thúc ca" is dropped
            offer = self.recorder.offer(tracking.Fix(fix.lat, fix.lon, fix.accuracy_m, at))
            if offer == Offer.POOR_ACCURACY:
                s.problem, s.problem_detail = "poor_accuracy", f"{fix.accuracy_m:.0f}"
            else:
                s.problem, s.problem_detail = None, ""
            if offer == Offer.RECORDED:
                s.last_recorded_at = at.astimezone(UTC).isoformat(timespec="seconds")
        self.refresh()
        return offer

    async def _run(self) -> None:
        """Tick, then sleep `interval_s` (after the tick, so kept fixes are never closer in time)."""
        while True:
            try:
                if not self.on_duty:
                    break
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - e.g. a busy store: the loop must outlive it
                log.exception("duty tick failed")
                self.state.problem, self.state.problem_detail = "gps", str(exc)
                self.state.notify()
            await asyncio.sleep(self.interval_s)
        self.state.recording = False
        self.state.notify()

    def close(self) -> None:
        """The tab or app went away: stop the loop (duty stays on and resumes on the next start)."""
        self.stop()
