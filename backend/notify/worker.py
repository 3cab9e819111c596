"""The background task that dispatches queued notices every few seconds while the server runs."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import Engine

from ..config import Settings
from .dispatcher import dispatch_pending, gateway_for

log = logging.getLogger("doorstep.notify")


class NoticeWorker:
    """Started and stopped by the app's lifespan; runs the (blocking) dispatcher in a thread."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.gateway = gateway_for(settings)
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
                await asyncio.to_thread(dispatch_pending, self.engine, self.gateway)
            except Exception:  # a broken run must not kill the loop; the next one retries
                log.exception("notice dispatch failed")
            await asyncio.sleep(self.settings.notice_interval_s)
