"""Where bench results go: each bench owns one `## ` section of docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, heading: str, section: str) -> None:
    """Replace the section under `heading` in the file (other benches' sections stay), or append it."""
    old = path.read_text() if path.exists() else "# Benchmarks\n\n"
    if heading in old:
        start = old.index(heading)
        nxt = old.find("\n## ", start + len(heading))
        old = old[:start] + (old[nxt + 1 :] if nxt != -1 else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(old.rstrip() + "\n\n" + section)
