"""Fixtures for client-less UI tests (helpers live in uikit.py, the harness in harness.py).

`seeded_server` (tests/conftest.py): a live SQLite server with the An Phú demo data.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
