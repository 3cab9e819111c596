"""Dispatching queued notices in a loop: a background task in the API, or a `doorstep dispatch` process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

from sqlalchemy import Engine

from ..config import Settings
from .dispatcher import dispatch_pending, gateway_for, new_owner
from .gateway import NoticeGateway

log = logging.getLogger("doorstep.notify")


def drain_once(engine: Engine, gateway: NoticeGateway, owner: str, lease_s: float, batch: int = 50,
               stop: threading.Event | None = None) -> int:
    """Claim and send batches while they come back full (and `stop` is not set); returns the count."""
    handled = 0
    while stop is None or not stop.is_set():
        counts = dispatch_pending(engine, gateway, limit=batch, lease_s=lease_s, owner=owner)
        handled += sum(counts.values())
        # notices left queued (retry later, at the desk) are claimable again at once: a batch that
        # settled none of them means waiting for the next run, not spinning on them
        if sum(counts.values()) < batch or counts["sent"] + counts["failed"] == 0:
            break
    return handled


def run_dispatch_loop(engine: Engine, gateway: NoticeGateway, *, interval_s: float, lease_s: float,
                      stop: threading.Event, batch: int = 50) -> None:
    """Drain the queue, wait `interval_s` (or until `stop` is set), repeat; failed runs are logged."""
    owner = new_owner()
    while not stop.is_set():
        try:
            drain_once(engine, gateway, owner, lease_s, batch, stop)
        except Exception:  # a broken run (database restarting...) must not end the dispatcher
            log.exception("notice dispatch failed")
        stop.wait(interval_s)


class NoticeWorker:
    """Started and stopped by the app's lifespan; runs the (blocking) dispatcher in a thread."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.gateway = gateway_for(settings)
        self.owner = new_owner()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Begin dispatching in the background."""
        self._task = asyncio.create_task(self._run(), name="doorstep-notices")

    async def stop(self) -> None:
        """Stop after the current run."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.to_thread(drain_once, self.engine, self.gateway, self.owner,
                                        self.settings.notice_lease_s)
            except Exception:  # a broken run must not kill the loop; the next one retries
                log.exception("notice dispatch failed")
            await asyncio.sleep(self.settings.notice_interval_s)
