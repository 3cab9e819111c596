"""Browser tests: Debian Chromium through Playwright against servers started as subprocesses.

Without /usr/bin/chromium the tests skip, except when the CI environment variable is set:
then they FAIL, because CI must run them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from e2ekit import Proc  # noqa: E402
from flet_pw import CHROMIUM, free_port  # noqa: E402


def pytest_collection_modifyitems(config, items):
    """Mark every test here as `browser`; skip (or fail under CI) without Chromium."""
    for item in items:
        if str(item.fspath).startswith(str(HERE)):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _need_chromium(request):
    if not str(request.node.fspath).startswith(str(HERE)):
        return
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _demo_from_template(request: pytest.FixtureRequest) -> None:
    """Browser tests' demo servers start from the session's seeded database (see e2ekit.Proc)."""
    if str(request.node.fspath).startswith(str(HERE)):
        Proc.seeded_template = request.getfixturevalue("seeded_template")


@pytest.fixture
def procs() -> Iterator[list[Proc]]:
    """Servers started by a test; all stopped at its end."""
    started: list[Proc] = []
    yield started
    for p in started:
        with contextlib.suppress(Exception):
            p.stop()


@pytest.fixture
def port() -> int:
    """A free port."""
    return free_port()
