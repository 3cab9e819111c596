"""Fixtures for client-less UI tests (helpers live in uikit.py, the harness in harness.py).

`seeded_server`: the shared `sqlite_server` LiveServer with the An Phú demo data (backend.seed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def seeded_server(sqlite_server):
    """The live SQLite backend with the An Phú demo data."""
    from backend.seed import seed_demo

    seed_demo(sqlite_server.engine)
    return sqlite_server
