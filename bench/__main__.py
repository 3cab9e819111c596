"""`python -m bench [name ...] [-- options]`: run the named benches (default: all bench/bench_*.py).

Each bench module exposes `main(argv: list[str]) -> int`; options after `--` go to every bench run.
New benches need no registration: drop a `bench/bench_<name>.py` next to the others.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def discover() -> list[str]:
    """Names of the available benches (file stems without the bench_ prefix)."""
    return sorted(p.stem[len("bench_") :] for p in Path(__file__).parent.glob("bench_*.py"))


def main(argv: list[str]) -> int:
    """Run the selected benches in order; the exit code is the first failure's, else 0."""
    names, rest = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    available = discover()
    unknown = [n for n in names if n not in available]
    if unknown:
        print(f"unknown bench(es): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    status = 0
    for name in names or available:
        print(f"== bench {name} ==", flush=True)
        module = importlib.import_module(f"bench.bench_{name}")
        code = int(module.main(rest))
        status = status or code
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
