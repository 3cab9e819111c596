"""Helpers of the browser tests: paths and server subprocesses stopped by PID."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flet_pw import wait_http

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARTIFACTS = ROOT / "test-artifacts"
# The docs' screenshots are refreshed only on request (`make screenshots`), so a test run
# never dirties the work tree; otherwise the small copies land beside the other artifacts.
SCREENSHOTS = (ROOT / "docs" / "screenshots" if os.environ.get("DOORSTEP_UPDATE_SCREENSHOTS")
               else ARTIFACTS / "docs-screenshots")


class Proc:
    """A server subprocess started by the test and stopped by its PID."""

    def __init__(self, mode: str, data: Path, port: int, backend_url: str = "", log: Path | None = None):
        self.mode, self.data, self.port, self.backend_url = mode, data, port, backend_url
        self.log = log or (ARTIFACTS / f"{mode}-{port}.log")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Base URL."""
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        """The real CLI: `doorstep demo` (seeded API + web UI), `--no-web-ui`, or `doorstep app`."""
        exe = [sys.executable, "-m", "backend.cli"]
        net = ["--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(self.data)]
        if self.mode == "demo":
            return [*exe, "demo", *net]
        if self.mode == "api":
            return [*exe, "demo", "--no-web-ui", *net]
        if self.mode == "app":
            return [*exe, "app", "--backend-url", self.backend_url, *net]
        raise ValueError(self.mode)

    def start(self, ready_path: str = "/") -> Proc:
        """Start and wait until `ready_path` answers 200."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "DOORSTEP_SYNC_INTERVAL": "5", "PYTHONPATH": str(ROOT)}
        with open(self.log, "a") as lf:
            self.proc = subprocess.Popen(
                self.command(), stdout=lf, stderr=subprocess.STDOUT, cwd=str(ROOT), env=env
            )
        wait_http(self.url + ready_path, timeout=60)
        return self

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
