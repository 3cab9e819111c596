"""Real `doorstep` subprocesses for the issue-11 tests: start, wait until they answer, stop by PID."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


class Doorstep:
    """One `python -m backend.cli ...` process with its output in a log file."""

    def __init__(self, args: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        with open(log, "ab") as out:
            # own process group: stop() reaches uvicorn's worker processes too
            self.proc = subprocess.Popen([sys.executable, "-m", "backend.cli", *args], cwd=str(ROOT),
                                         stdout=out, stderr=subprocess.STDOUT, env=full_env,
                                         start_new_session=True)

    def wait_http(self, url: str, timeout: float = 90) -> None:
        """Wait until `url` answers 200; fail with the log when the process dies or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"process exited {self.proc.returncode}:\n{self.output()}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{url} did not answer in {timeout} s:\n{self.output()}")

    def children(self) -> list[int]:
        """PIDs of the direct children (uvicorn's workers, its resource tracker)."""
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def workers(self) -> list[int]:
        """PIDs of uvicorn's worker processes (children started through multiprocessing spawn)."""
        found = []
        for pid in self.children():
            cmdline = Path(f"/proc/{pid}/cmdline")
            if cmdline.exists() and b"spawn_main" in cmdline.read_bytes():
                found.append(pid)
        return found

    def output(self) -> str:
        """What the process printed so far (the tail)."""
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL after 15 s."""
        if self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
