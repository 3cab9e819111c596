"""What every screen receives: the page, the translator, the services and the navigator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import flet as ft

from mobile.i18n import Translator

if TYPE_CHECKING:
    from mobile.services.container import Services


class Navigator(Protocol):
    """Screen switching, implemented by the app shell."""

    def go(self, screen: str, **params: Any) -> None:
        """Show `screen` ('login', 'route', 'detail', 'pickup', 'delivery', 'failed', 'conflicts',
        'handovers', 'tracking')."""
        ...

    def toast(self, message: str, error: bool = False) -> None:
        """A short message at the bottom of the screen."""
        ...


@dataclass
class ViewContext:
    """Handed to every view; views keep no globals."""

    page: ft.Page
    tr: Translator
    services: Services
    nav: Navigator

    def t(self, key: str, **kw: object) -> str:
        """Shortcut for the translator."""
        return self.tr.t(key, **kw)

    def run(self, coro_fn: Callable[..., Any], *args: Any) -> None:
        """Run an async job on the page's loop (background work started by a view)."""
        self.page.run_task(coro_fn, *args)
