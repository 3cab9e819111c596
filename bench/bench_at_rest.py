"""Encryption at rest on the phone: what reading through `dec()` costs the route, and what unlocking costs.

The same store (bench_route.fill_store: N of today's visits with dossiers and citizens) is
measured twice in one run: as filled (plaintext, the baseline) and after `create_keys` +
`encrypt_existing` (every personal column AES-GCM sealed). Medians of RUNS runs of:

- search: `store.list_visits(db, q="nguyen van")`, i.e. `dec(search) LIKE` on every visit;
- list: `store.list_visits(db)`, every visit body decrypted and parsed;
- citizens: `store.get_citizen` for 100 citizens;
- unlock: the scrypt derivation + key unwrap an offline login does (encrypted store only).

    python -m bench at_rest -- --sizes 500,5000 --runs 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from mobile import store

from .bench_route import QUERY, fill_store
from .report import write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Phone store encrypted at rest"
SIZES = (500, 5000)
RUNS = 5
USER, PASSWORD = "bench.officer", "a-long-enough-password"


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm the page cache and the parsers
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _measure(folder: Path, runs: int, unlock: bool) -> dict[str, float]:
    db = store.open_store(folder)
    try:
        out: dict[str, float] = {}
        if unlock:
            store.crypto.lock(db)
            out["unlock"] = _median_ms(lambda: store.crypto.unlock(db, USER, PASSWORD), runs)
        citizens = [int(r["id"]) for r in db.query("SELECT id FROM citizens ORDER BY id LIMIT 100")]
        out["search"] = _median_ms(lambda: store.list_visits(db, q=QUERY), runs)
        out["list"] = _median_ms(lambda: store.list_visits(db), runs)
        out["citizens"] = _median_ms(lambda: [store.get_citizen(db, c) for c in citizens], runs)
        hits = len(store.list_visits(db, q=QUERY))
        out["hits"] = float(hits)
        return out
    finally:
        db.conn.close()


def measure(sizes: Sequence[int], runs: int) -> list[tuple[int, dict[str, float], dict[str, float]]]:
    """(N, plaintext medians, encrypted medians) per size."""
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            plain, sealed = Path(tmp) / "plain", Path(tmp) / "sealed"
            fill_store(plain, n)
            shutil.copytree(plain, sealed)
            db = store.open_store(sealed)
            with store.transaction(db):
                store.crypto.create_keys(db, USER, PASSWORD)
                store.crypto.encrypt_existing(db, store.blobs.blob_files(db))
            db.conn.close()
            base = _measure(plain, runs, unlock=False)
            enc = _measure(sealed, runs, unlock=True)
            if base["hits"] != enc["hits"]:
                raise AssertionError("the encrypted store finds other visits than the plaintext one")
            rows.append((n, base, enc))
    return rows


def render(rows: list[tuple[int, dict[str, float], dict[str, float]]], runs: int) -> str:
    """The markdown section."""
    lines = [SECTION, "",
             f"`python -m bench at_rest` — medians of {runs} runs, this machine (2 cores, shared). The same",
             "store is measured in the clear (baseline) and sealed (issue 9: every personal column AES-GCM,",
             "read through `dec()`); ratio = sealed / baseline, measured in the same run.", "",
             "| visits | operation | baseline ms | sealed ms | ratio |", "|---:|---|---:|---:|---:|"]
    for n, base, enc in rows:
        for key, label in (("search", f'route search `list_visits(q="{QUERY}")`'),
                           ("list", "route list `list_visits()`"), ("citizens", "100 × `get_citizen`")):
            lines.append(f"| {n} | {label} | {base[key]:.1f} | {enc[key]:.1f} | {enc[key] / base[key]:.2f} |")
        lines.append(f"| {n} | offline unlock (scrypt n=2^15 + unwrap) | — | {enc['unlock']:.1f} | — |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> int:
    """Run the bench and write its section of docs/benchmarks.md."""
    parser = argparse.ArgumentParser(prog="python -m bench at_rest")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(list(argv))
    rows = measure([int(s) for s in args.sizes.split(",")], args.runs)
    write_section(args.out, SECTION, render(rows, args.runs))
    print(f"wrote {args.out}")
    return 0
