"""Entry point `flet build` looks for: the officer's app on a phone (or `python main.py` on a desktop)."""

from __future__ import annotations

import os
from pathlib import Path

import flet as ft

from mobile.app import build_main

# the app bundle is read-only on a phone: data goes where Flet says it may write
DATA_DIR = Path(os.environ.get("FLET_APP_STORAGE_DATA", Path.home() / ".doorstep"))
BACKEND_URL = os.environ.get("DOORSTEP_BACKEND_URL", "http://127.0.0.1:8000")

if __name__ == "__main__":
    ft.run(build_main(BACKEND_URL, DATA_DIR, per_device=False), assets_dir="assets")
