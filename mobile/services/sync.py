"""Sync for the screens: pending counts, last sync, errors and conflicts, 'sync now', auto-sync."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from api_client.domain.clock import Clock, current_clock
from mobile import store
from mobile.store import outbox
from mobile.sync import SyncEngine, SyncReport, session_client_factory

from .observable import Observable

log = logging.getLogger(__name__)


class SyncState(Observable):
    """What the sync bar shows; every change notifies the bar."""

    def __init__(self) -> None:
        super().__init__()
        self.pending = 0
        self.conflicts = 0
        self.dead = 0
        self.last_success_at: str | None = None
        self.last_error: str | None = None
        self.offline = False
        self.auth_required = False
        self.syncing = False
        self.last_report: SyncReport | None = None


@dataclass(frozen=True)
class ProblemItem:
    """A conflict or dead letter as the officer sees it."""

    event_id: str
    state: str  # conflict | dead
    visit_id: int | None
    type: str
    message: str
    created_at: str


def _plain_error(report: SyncReport) -> str | None:
    """One line of plain Vietnamese for the bar."""
    if report.auth_required:
        # the server's reason (device revoked, account disabled, password changed) when it gave one
        reason = f" ({report.auth_error})" if report.auth_error else ""
        return ("Phiên đăng nhập hết hạn hoặc bị từ chối: hãy đăng xuất và đăng nhập lại (dữ liệu vẫn giữ)."
                + reason)
    if report.errors:
        return "; ".join(report.errors)[:300]
    return None


class SyncService:
    """Runs SyncEngine.run_once() on a worker thread with its own SQLite connection (WAL)."""

    def __init__(self, db: sqlite_utils.Database, store_dir: Path, interval_s: float = 30.0,
                 clock: Clock | None = None) -> None:
        self.db = db  # the UI's connection: counts only
        self.clock: Clock = clock or current_clock()
        self.store_dir = store_dir
        self.interval_s = interval_s
        self.state = SyncState()
        self._engine: SyncEngine | None = None
        self._after_sync: list[Callable[[SyncReport], None]] = []
        self._auto_task = None
        self._again = False  # an action was recorded while a run was under way: run once more after it
        # the loop the screens run on (None outside one): request() hops onto it from worker threads
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        self.refresh_counts()

    def _engine_for_thread(self) -> SyncEngine:
        if self._engine is None:
            # a second connection: the engine's transactions never interleave with the UI's
            db = store.open_store(self.store_dir)
            self._engine = SyncEngine(db, session_client_factory(db, timeout=15.0), clock=self.clock.now)
        return self._engine

    def on_synced(self, cb: Callable[[SyncReport], None]) -> None:
        """Call `cb(report)` after each run that reached the server (screens reload their data)."""
        self._after_sync.append(cb)

    def refresh_counts(self) -> None:
        """Re-read pending counts and the last outcome from the store, then notify."""
        counts = store.pending_counts(self.db)
        s = self.state
        s.pending = counts["queued"] + counts["blobs"]
        s.conflicts, s.dead = counts["conflict"], counts["dead"]
        st = store.get_sync_state(self.db)
        s.last_success_at = st.last_success_at
        s.notify()

    async def sync_now(self, force: bool = True) -> SyncReport | None:
        """One sync run now; while one is already running, another follows it (the running one may
        have pushed before the action that asked was recorded)."""
        if self.state.syncing:
            self._again = True
            return None
        if store.load_session(self.db) is None:
            return None
        self.state.syncing = True
        self.state.notify()
        try:
            report = await asyncio.to_thread(lambda: self._engine_for_thread().run_once(force=force))
        except Exception as exc:  # noqa: BLE001 - the bar must say something, never crash the app
            log.exception("sync run failed unexpectedly")
            report = SyncReport(errors=[f"Lỗi không mong đợi: {exc}"])
        finally:
            self.state.syncing = False
        s = self.state
        s.last_report = report
        if not report.skipped:
            s.offline = report.offline
            s.auth_required = report.auth_required
            s.last_error = None if report.ok else _plain_error(report)
        self.refresh_counts()
        if not report.offline and not report.skipped:
            for cb in list(self._after_sync):
                try:
                    cb(report)
                except Exception:  # noqa: BLE001 - a closed screen must not stop the rest
                    log.debug("an after-sync listener failed (closed screen?)", exc_info=True)
        if self._again:
            self._again = False
            asyncio.get_running_loop().create_task(self.sync_now(force=False))
        return report

    def request(self) -> None:
        """Ask for a sync soon (after an action was recorded); never blocks the caller.

        Safe from a worker thread (a flow records off the event loop): it hops onto the loop the
        service was created on, where the screens and the sync task live.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            home = self._loop
            if home is not None and home.is_running():
                home.call_soon_threadsafe(self.request)
            else:
                self.refresh_counts()
            return
        self._loop = loop
        self.refresh_counts()
        loop.create_task(self.sync_now(force=False))

    async def auto_sync(self) -> None:
        """Every `interval_s`: sync when something is pending or the data is getting old."""
        while True:
            await asyncio.sleep(self.interval_s)
            if store.load_session(self.db) is None:
                continue
            await self.sync_now(force=False)

    def problems(self) -> list[ProblemItem]:
        """Conflicts and dead letters, oldest first."""
        out = []
        for state in (outbox.CONFLICT, outbox.DEAD):
            for it in outbox.items(self.db, state):
                out.append(
                    ProblemItem(
                        it.event_id, it.state, it.visit_id, it.type, it.last_error or "", it.created_at
                    )
                )
        return out

    def resolve(self, event_id: str, action: str) -> bool:
        """'discard' (keep the server's version) or 'retry' (send mine again)."""
        if action == "retry":
            changed = outbox.requeue(self.db, event_id)
        else:
            changed = outbox.discard(self.db, event_id)
            if changed:
                # the officer accepted the server's state: stop showing the local one
                store.overrides.clear_override(self.db, event_id)
        self.refresh_counts()
        return changed
