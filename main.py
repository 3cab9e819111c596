"""Entry point `flet build` looks for: the officer's app on a phone (or `python main.py` on a desktop).

The server address is set on the app's first-run screen (typed, or read from the supervisor's
provisioning QR) and kept in the phone's store. DOORSTEP_BACKEND_URL, when set, presets it (a
developer's desktop run); an installed phone has no environment variables.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flet as ft

from mobile.app import build_main

# the app bundle is read-only on a phone: data goes where Flet says it may write
DATA_DIR = Path(os.environ.get("FLET_APP_STORAGE_DATA", Path.home() / ".doorstep"))


def phone_main(data_dir: Path = DATA_DIR, backend_url: str | None = None, **kw: Any) -> Callable:
    """The phone's `main(page)`: one store in data_dir, the server address from the store."""
    return build_main(backend_url, data_dir, per_device=False, **kw)


if __name__ == "__main__":
    ft.run(phone_main(DATA_DIR, os.environ.get("DOORSTEP_BACKEND_URL") or None), assets_dir="assets")
