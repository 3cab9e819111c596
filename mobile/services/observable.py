"""A tiny observable base: views subscribe to state objects and re-render on change."""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


class Observable:
    """Holds listeners; `notify()` calls each (a failing listener never breaks the others)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, cb: Callable[[], None]) -> Callable[[], None]:
        """Register `cb`; returns a function that unsubscribes it."""
        self._listeners.append(cb)
        return lambda: self._listeners.remove(cb) if cb in self._listeners else None

    def notify(self) -> None:
        """Tell every listener the state changed."""
        for cb in list(self._listeners):
            try:
                cb()
            except Exception:  # noqa: BLE001 - a dead view (closed tab) must not stop the rest
                log.debug("a listener failed (closed tab?)", exc_info=True)
                continue
