"""Officer app: start to a usable route screen, and search/filter response, at 50/500/5,000 visits.

The real app `main(page)` runs in the client-less harness of the UI tests (a real flet Session
whose connection msgpack-encodes every patch instead of sending it to Flutter), on a real
on-disk phone store filled with N of today's visits, their dossiers and citizens and a saved
session, so the app opens offline on the route screen. Per N, medians of RUNS runs of:

- start: from calling main(page) until the route list's first page of cards is in the
  session's control index (what the client would draw); a fresh harness each run;
- search: typing "nguyen van" into the route search field until the filtered list is sent;
- filter: tapping the "Giao kết quả" (delivery) chip until the list is sent again;
- store query: `store.list_visits(db, q=...)` (folded `search` column, LIKE) against a naive
  scan that folds every field of every cached row in Python (`text.matches`).

    python -m bench route -- --sizes 50,500,5000 --runs 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The harness is the UI tests' own (tests/mobile/ui/harness.py): the bench drives the app
# exactly as those tests do rather than keeping a second copy of flet-internals glue.
HARNESS_DIR = ROOT / "tests" / "mobile" / "ui"
if str(HARNESS_DIR) not in sys.path:
    sys.path.insert(0, str(HARNESS_DIR))

import flet as ft  # noqa: E402
from harness import AppHarness  # noqa: E402

from api_client.domain.clock import today_vn  # noqa: E402
from api_client.domain.text import matches  # noqa: E402
from api_client.models import (  # noqa: E402
    CitizenPublic,
    DossierPublic,
    OfficerPublic,
    TokenPublic,
    UnitPublic,
    VisitPublic,
)
from mobile import store  # noqa: E402
from mobile.app import build_main  # noqa: E402
from mobile.services.location import Fix, FixedLocationService  # noqa: E402
from mobile.services.photos import BytesPhotoService  # noqa: E402
from mobile.services.route import RouteService  # noqa: E402
from mobile.store import cache  # noqa: E402
from mobile.store.overrides import visit_patches  # noqa: E402
from mobile.ui.route import PAGE_SIZE  # noqa: E402

from . import report as _report  # noqa: E402

SECTION = "## Officer app: route screen"
SIZES = (50, 500, 5000)
RUNS = 5
QUERY = "nguyen van"  # typed without accents, as officers do on a phone keyboard
FILTER_KEY, FILTER_RESET_KEY = "kind-delivery", "kind-all"
BACKEND_URL = "http://127.0.0.1:9"  # nothing listens there: the phone is offline
POSITION = (10.871, 105.087)  # the officer stands at the An Phú commune office
LAT_RANGE, LON_RANGE = (10.70, 10.98), (105.02, 105.20)  # the An Phú area


# -- the phone store --------------------------------------------------------------------
def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _name(rng: random.Random, seed: Any) -> str:
    """A full name drawn like the demo seed's (`seed` is backend.seed, for its name lists)."""
    male = rng.random() < 0.5
    middle = rng.choice(seed.MALE_MIDDLE if male else seed.FEMALE_MIDDLE)
    given = rng.choice(seed.MALE_GIVEN if male else seed.FEMALE_GIVEN)
    return f"{_weighted(rng, seed.FAMILY_NAMES)} {middle} {given}"


def _units() -> list[UnitPublic]:
    """The shipped An Giang unit tree, with ids in file order (parents before children)."""
    # backend is imported lazily here and below: the memory probe's child process starts the
    # app without the server's packages loaded, as on a phone
    from backend.reference import read_units_file

    specs = read_units_file()
    ids = {s.code: i + 1 for i, s in enumerate(specs)}
    return [
        UnitPublic(
            id=ids[s.code],
            code=s.code,
            name=s.name,
            level=s.level,
            parent_id=ids.get(s.parent_code) if s.parent_code else None,
            lat=s.lat,
            lon=s.lon,
        )
        for s in specs
    ]


def fill_store(folder: Path, n: int, rng_seed: int = 7) -> dict[str, int]:
    """A phone store with n of today's visits (+ dossiers, citizens) and a live session; counts by kind."""
    from backend import seed as demo
    from backend.reference import read_catalogue_files

    rng = random.Random(rng_seed)
    db = store.open_store(folder)
    units = _units()
    hamlets = [u for u in units if u.level.value == "hamlet"]
    commune = next(u for u in units if u.name == "An Phú")
    officer = OfficerPublic(
        id=1,
        username="canbo.anphu",
        full_name="Nguyễn Văn Hùng",
        role="hamlet_officer",
        unit_ids=[h.id for h in hamlets if h.parent_id == commune.id],
    )
    # a token valid for days is what lets the app open straight on the route with no network
    expires = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    store.save_session(
        db, TokenPublic(access_token="bench", expires_at=expires, officer=officer), BACKEND_URL
    )
    catalogue = read_catalogue_files()[-1][0]
    cache.upsert_units(db, units)
    cache.upsert_catalogues(db, [catalogue])
    procedures = [p.code for p in catalogue.procedures]
    today = today_vn().isoformat()
    citizens, dossiers, visits = [], [], []
    kinds = {"pickup": 0, "delivery": 0}
    for i in range(1, n + 1):
        hamlet = rng.choice(hamlets)
        lat = min(max((hamlet.lat or 10.87) + rng.gauss(0, 0.01), LAT_RANGE[0]), LAT_RANGE[1])
        lon = min(max((hamlet.lon or 105.09) + rng.gauss(0, 0.01), LON_RANGE[0]), LON_RANGE[1])
        citizens.append(
            CitizenPublic(
                id=i,
                full_name=_name(rng, demo),
                id_number=f"089{rng.randint(0, 3)}{rng.randint(60, 99):02d}{rng.randint(0, 999999):06d}",
                phone=f"09{rng.randint(10000000, 99999999)}",
                address=f"Số {rng.randint(1, 400)}, tổ {rng.randint(1, 20)}, {hamlet.name}, xã An Phú",
                hamlet_id=hamlet.id,
                lat=round(lat, 6),
                lon=round(lon, 6),
            )
        )
        kind = "pickup" if rng.random() < 0.7 else "delivery"
        kinds[kind] += 1
        dossiers.append(
            DossierPublic(
                id=i,
                code=f"{commune.code}-{today[2:4]}{today[5:7]}{today[8:10]}-{i:04d}",
                procedure_code=rng.choice(procedures),
                catalogue_version=catalogue.version,
                citizen_id=i,
                unit_id=commune.id,
                hamlet_id=hamlet.id,
                # waiting for a pickup (1, submitted) or for its result to be delivered (9)
                status=1 if kind == "pickup" else 9,
                registered_at=f"{today}T08:00:00+07:00",
                appointment_at=f"{today}T16:00:00+07:00" if kind == "delivery" else None,
            )
        )
        window = rng.choice(demo.WINDOWS)
        visits.append(
            VisitPublic(
                id=i,
                kind=kind,
                dossier_id=i,
                citizen_id=i,
                assignee_id=officer.id,
                planned_date=today,
                window_start=window[0],
                window_end=window[1],
                status=_weighted(rng, {"planned": 80, "en_route": 2, "completed": 12, "failed": 6}),
                catalogue_version=catalogue.version,
            )
        )
    cache.upsert_citizens(db, citizens)
    cache.upsert_dossiers(db, dossiers)
    cache.upsert_visits(db, visits)
    db.conn.close()
    return kinds


# -- the app in the harness ---------------------------------------------------------------
def _harness(folder: Path) -> tuple[AppHarness, dict[str, float]]:
    """A fresh harness around the real app main; `marks['main_done']` is set when main returns."""
    location = FixedLocationService(Fix(*POSITION, 8.0, datetime.now(UTC)))
    app_main = build_main(
        BACKEND_URL,
        folder,
        location_factory=lambda: location,
        photo_factory=lambda: BytesPhotoService(),
        per_device=False,
        auto_sync=False,
    )
    marks: dict[str, float] = {}

    async def timed_main(page: ft.Page) -> None:
        marks["main_start"] = time.perf_counter()
        await app_main(page)
        # Shell.go() ends in page.update(): the patch with the route list has been encoded
        # and its controls indexed by the time main returns
        marks["main_done"] = time.perf_counter()

    prefs: dict[str, object] = {}
    # client storage answers like a fresh browser's (the app reads its language and device id)
    results = {"get": lambda a: prefs.get(a["key"]), "set": lambda a: prefs.update({a["key"]: a["value"]})}
    return AppHarness(timed_main, method_results=results), marks


def drawn_cards(h: AppHarness) -> int:
    """Visit cards in the session's control index, i.e. what the client has been sent to draw."""
    return sum(1 for c in h.all_controls() if str(getattr(c, "key", "") or "").startswith("visit-"))


async def _wait(cond: Callable[[], bool], poll_s: float = 0.01, timeout_s: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not cond():
        if time.perf_counter() > deadline:
            raise TimeoutError("background work did not finish")
        await asyncio.sleep(poll_s)


async def _first_sync_done(h: AppHarness) -> None:
    """Wait for the first sync the app starts in the background (offline: it fails fast)."""
    state = h.page.data.services.sync.state
    await _wait(lambda: state.last_report is not None and not state.syncing)


async def _close(h: AppHarness) -> None:
    """Let the background first sync end, then close the store."""
    await _first_sync_done(h)
    h.page.data.services.close()


async def _timed(action: Callable[[], Awaitable[None]]) -> float:
    t0 = time.perf_counter()
    await action()
    return (time.perf_counter() - t0) * 1000


@dataclass
class SizeResult:
    """Timings (ms, one per run) and row counts for one cache size."""

    n: int
    start_ms: list[float] = field(default_factory=list)
    located_ms: list[float] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)
    filter_ms: list[float] = field(default_factory=list)
    memory_filter_ms: list[float] = field(default_factory=list)
    store_ms: list[float] = field(default_factory=list)
    naive_ms: list[float] = field(default_factory=list)
    rows_total: int = 0
    rows_drawn: int = 0
    search_hits: int = 0
    search_drawn: int = 0
    filter_hits: int = 0
    filter_drawn: int = 0
    store_hits: int = 0

    def med(self, name: str) -> float:
        """Median of one timing list."""
        return statistics.median(getattr(self, name))


async def bench_start(folder: Path, result: SizeResult, runs: int) -> None:
    """App start to a usable route screen, a fresh harness per run (plus one warm-up)."""
    for i in range(runs + 1):
        h, marks = _harness(folder)
        await h.start()
        cards = drawn_cards(h)  # counted after main: the GPS reorder redraws the same page size
        view = h.page.data.view
        # the GPS fix reordered the list; poll_s=0 only yields, so +GPS has no polling granularity
        await _wait(lambda v=view: v.position is not None, poll_s=0)
        located = time.perf_counter()
        if i:  # run 0 warms imports and flet's per-class caches
            result.start_ms.append((marks["main_done"] - marks["main_start"]) * 1000)
            result.located_ms.append((located - marks["main_start"]) * 1000)
        result.rows_total = len(view.filtered())
        result.rows_drawn = max(result.rows_drawn, cards, drawn_cards(h))
        await _close(h)


async def bench_interaction(folder: Path, result: SizeResult, runs: int) -> None:
    """Search and filter response on one started app: each run goes from the default list and back."""
    h, _ = _harness(folder)
    await h.start()
    view = h.page.data.view
    await _wait(lambda: view.position is not None)
    await _first_sync_done(h)  # its thread must not compete with the timed handlers

    async def type_query(text: str) -> None:
        search = h.find(key="route-search")
        h.session.apply_patch(search._i, {"value": text})  # the client patches, then sends change
        await h.session.dispatch_event(search._i, "change", text)

    async def tap(key: str) -> None:
        await h.session.dispatch_event(h.find(key=key)._i, "click", None)

    for i in range(runs + 1):
        ms = await _timed(lambda: type_query(QUERY))
        if i:
            result.search_ms.append(ms)
        result.search_hits, result.search_drawn = len(view.filtered()), drawn_cards(h)
        await type_query("")
        ms = await _timed(lambda: tap(FILTER_KEY))
        if i:
            result.filter_ms.append(ms)
        result.filter_hits, result.filter_drawn = len(view.filtered()), drawn_cards(h)
        await tap(FILTER_RESET_KEY)
        # the search's data part alone: the route's in-memory filter over the loaded rows
        t0 = time.perf_counter()
        RouteService.filter_rows(view.all_rows, status="open", query=QUERY)
        if i:
            result.memory_filter_ms.append((time.perf_counter() - t0) * 1000)
    assert not h.conn.crashes(), h.conn.crashes()
    await _close(h)


def naive_search(db: Any, q: str) -> list[VisitPublic]:
    """What a straightforward implementation does: fold every field of every cached row in Python."""
    out = []
    rows = db.query(
        "SELECT v.id, v.body, c.full_name, c.id_number, c.body AS citizen, d.code, d.body AS dossier"
        " FROM visits v LEFT JOIN citizens c ON c.id = v.citizen_id"
        " LEFT JOIN dossiers d ON d.id = v.dossier_id"
    )
    # the searchable names, as the route screen shows them: hamlet and procedure
    hamlets = {u.id: u.name for u in store.list_units(db)}
    catalogues = {
        r["version"]: {p["code"]: p["name"] for p in json.loads(r["body"])["procedures"]}
        for r in db.query("SELECT version, body FROM catalogues")
    }
    latest = catalogues[max(catalogues)] if catalogues else {}
    hits = []
    for r in rows:
        citizen = json.loads(r["citizen"]) if r["citizen"] else {}
        dossier = json.loads(r["dossier"]) if r["dossier"] else {}
        visit = json.loads(r["body"])
        hamlet = hamlets.get(citizen.get("hamlet_id") or dossier.get("hamlet_id") or -1)
        catalogue = catalogues.get(visit.get("catalogue_version"), latest)
        code = dossier.get("procedure_code")
        procedure = catalogue.get(code, code)
        if matches(
            q, r["full_name"], r["code"], r["id_number"], citizen.get("address", ""), hamlet, procedure
        ):
            hits.append(r)
    # same result shape as list_visits: the officer's local actions laid over the cached rows
    patches = visit_patches(db, [r["id"] for r in hits])
    for r in hits:
        body = json.loads(r["body"])
        out.append(VisitPublic.model_validate({**body, **patches.get(r["id"], {})}))
    return out


def bench_store(folder: Path, result: SizeResult, runs: int) -> None:
    """list_visits(q) on the folded search column vs the naive fold-everything scan."""
    db = store.open_store(folder)
    try:
        for i in range(runs + 1):
            t0 = time.perf_counter()
            indexed = store.list_visits(db, q=QUERY)
            t1 = time.perf_counter()
            naive = naive_search(db, QUERY)
            t2 = time.perf_counter()
            if i:
                result.store_ms.append((t1 - t0) * 1000)
                result.naive_ms.append((t2 - t1) * 1000)
            if {v.id for v in indexed} != {v.id for v in naive}:
                raise AssertionError("the naive scan and list_visits(q) disagree")
            result.store_hits = len(indexed)
    finally:
        db.conn.close()


def memory_probe(folder: Path) -> dict[str, float]:
    """Cold start in a fresh interpreter: import time, start time, peak RSS, tracemalloc peak."""
    out: dict[str, float] = {}
    for mode in ("rss", "tracemalloc"):
        proc = subprocess.run(
            [sys.executable, "-m", "bench.bench_route", "--probe", mode, str(folder)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        out.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    return out


def _peak_rss_mib() -> float:
    """This process's peak RSS in MiB."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so a child started by the
    # bench would report the parent's (bigger) peak
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _probe(mode: str, folder: Path) -> None:
    """Child side of memory_probe: one app start, numbers as a JSON line on stdout."""
    import tracemalloc

    out: dict[str, float] = {"rss_after_imports_mib": _peak_rss_mib()}

    async def one() -> None:
        h, marks = _harness(folder)
        if mode == "tracemalloc":
            tracemalloc.start()
        await h.start()
        if mode == "tracemalloc":
            out["tracemalloc_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        else:
            out["cold_start_ms"] = (marks["main_done"] - marks["main_start"]) * 1000
            out["peak_rss_mib"] = _peak_rss_mib()
        await _close(h)

    asyncio.run(one())
    if mode == "tracemalloc":
        out = {"tracemalloc_peak_mib": out["tracemalloc_peak_mib"]}
    print(json.dumps(out))


# -- running and reporting -------------------------------------------------------------
@dataclass
class Report:
    """Everything one bench run measured."""

    results: list[SizeResult]
    runs: int
    memory: dict[str, float]
    total_s: float
    problems: list[str]
    load_avg: float = 0.0  # 1-minute load average when the bench started


def bench_size(n: int, runs: int, tmp: Path) -> SizeResult:
    """Fill a store with n visits and measure start, search, filter and the store query."""
    folder = tmp / f"phone-{n}"
    fill_store(folder, n)
    result = SizeResult(n)
    asyncio.run(bench_start(folder, result, runs))
    asyncio.run(bench_interaction(folder, result, runs))
    bench_store(folder, result, runs)
    return result


def check_bounded(r: SizeResult) -> list[str]:
    """'Usable at N': never more cards drawn than one page, and a full page when there are enough rows."""
    problems = []
    for what, hits, drawn in (
        ("start", r.rows_total, r.rows_drawn),
        ("search", r.search_hits, r.search_drawn),
        ("filter", r.filter_hits, r.filter_drawn),
    ):
        if drawn != min(PAGE_SIZE, hits):
            problems.append(f"N={r.n} {what}: {drawn} cards drawn for {hits} rows (page size {PAGE_SIZE})")
    return problems


def measure(sizes: Sequence[int], runs: int, probe: bool = True) -> Report:
    """Run the whole bench in a temporary directory."""
    started = time.perf_counter()
    # other CPU-heavy work on the box skews every number: the report shows how busy it was
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    results, memory = [], {}
    with tempfile.TemporaryDirectory(prefix="doorstep-bench-route-") as tmp:
        for n in sizes:
            print(f"route: N={n}", flush=True)
            r = bench_size(n, runs, Path(tmp))
            print(
                f"  start {r.med('start_ms'):.1f} ms, search {r.med('search_ms'):.1f} ms, "
                f"filter {r.med('filter_ms'):.1f} ms, store {r.med('store_ms'):.1f} ms, "
                f"naive {r.med('naive_ms'):.1f} ms, cards {r.rows_drawn}/{r.rows_total}",
                flush=True,
            )
            results.append(r)
        if probe:
            memory = memory_probe(Path(tmp) / f"phone-{max(sizes)}")
    problems = [p for r in results for p in check_bounded(r)]
    return Report(results, runs, memory, time.perf_counter() - started, problems, load_avg)


def _nproc() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def render(rep: Report) -> str:
    """The markdown section for docs/benchmarks.md."""
    rs = rep.results
    base = rs[0]
    largest = rs[-1]
    lines = [
        SECTION,
        "",
        f"`python -m bench route` ({datetime.now(UTC):%Y-%m-%d}, {_nproc()} CPUs, load average "
        f"{rep.load_avg:.1f} at the start, Python "
        f"{sys.version.split()[0]}, flet {ft.__version__}); medians of {rep.runs} runs in ms, each after "
        "one warm-up. The real app `main(page)` runs in the client-less UI-test harness (a real flet "
        "Session; every patch msgpack-encoded as the web server would send it) on an on-disk phone "
        "store holding N of today's visits with their dossiers and citizens (An Phú names, addresses "
        "and coordinates; 70 % pickups; 84 % open) and a saved session, so the app opens offline. "
        "*start*: main(page) until the route list's first page of cards is in the session's control "
        "index (fresh harness per run, warm process); *+GPS*: until the GPS fix has reordered the list "
        "(the rows loaded at start are re-ordered, not read again; the app's first background sync "
        "attempt, failing offline, runs in a thread meanwhile); "
        f'*search*: typing "{QUERY}" into the route search until the list is sent; *filter*: tapping '
        "the delivery chip until the list is sent; *in-memory*: the route's own filter over the "
        "loaded rows (the data part of *search*; the rest is building and encoding the cards); "
        f'*store q*: `store.list_visits(db, q="{QUERY}")` (LIKE on the folded `search` column: citizen '
        "name, dossier code, ID, address, hamlet and procedure name, folded once when stored; the route "
        "search uses the same stored text); "
        "*naive*: the same answer by folding those fields of every cached row in Python "
        "(`text.matches`); *ratio*: naive ÷ store q. Search and filter cost is mostly flet diffing and "
        "encoding the cards drawn, so it follows the last column (cards drawn after start/search/filter, "
        "and in brackets the rows matching), not N.",
        "",
        "| N | start | +GPS | search | filter | in-memory | store q | naive | ratio "
        "| cards drawn (rows matching) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rs:
        naive, indexed = r.med("naive_ms"), r.med("store_ms")
        lines.append(
            f"| {r.n:,} | {r.med('start_ms'):.1f} | {r.med('located_ms'):.1f} | {r.med('search_ms'):.1f} "
            f"| {r.med('filter_ms'):.1f} | {r.med('memory_filter_ms'):.2f} | {indexed:.1f} | {naive:.1f} "
            f"| {naive / indexed if indexed else 0:.1f}× | {r.rows_drawn}/{r.search_drawn}/{r.filter_drawn} "
            f"({r.rows_total:,}/{r.search_hits:,}/{r.filter_hits:,}) |"
        )
    if len(rs) > 1:
        lines += [
            "",
            f"Growth against N = {base.n:,} (same run):",
            "",
            "| N | start | search | filter | store q | naive |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for r in rs[1:]:
            cells = [
                f"{r.med(k) / base.med(k):.1f}×"
                for k in ("start_ms", "search_ms", "filter_ms", "store_ms", "naive_ms")
            ]
            lines.append(f"| {r.n:,} ÷ {base.n:,} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Usable at {largest.n:,}: the list draws at most one page ({PAGE_SIZE} cards) whatever N is — "
        f"start drew {largest.rows_drawn} of {largest.rows_total:,} rows, search {largest.search_drawn} "
        f"of {largest.search_hits:,}, filter {largest.filter_drawn} of {largest.filter_hits:,}; "
        + ("bound held at every N." if not rep.problems else "BOUND BROKEN: " + "; ".join(rep.problems)),
    ]
    m = rep.memory
    if m:
        lines += [
            "",
            f"Memory, one cold start at N = {largest.n:,} in a fresh interpreter: peak RSS "
            f"{m['peak_rss_mib']:.0f} MiB ({m['rss_after_imports_mib']:.0f} MiB after imports), "
            f"tracemalloc peak during start {m['tracemalloc_peak_mib']:.1f} MiB, cold start "
            f"{m['cold_start_ms']:.0f} ms (imports not included).",
        ]
    lines += [
        "",
        f"Total bench time {rep.total_s:.0f} s. Rerun: `make bench` (every bench) or "
        "`.venv/bin/python -m bench route` (options after `--`: `--sizes 50,500,5000 --runs 5`).",
        "",
    ]
    return "\n".join(lines)


def run(
    quick: bool = False,
    *,
    sizes: Sequence[int] | None = None,
    runs: int | None = None,
    probe: bool | None = None,
) -> str:
    """Measure and return the markdown section (quick: 50 and 500 visits, 3 runs, no memory probe)."""
    chosen = tuple(sizes) if sizes else ((50, 500) if quick else SIZES)
    n_runs = runs if runs is not None else (3 if quick else RUNS)
    report = measure(chosen, n_runs, probe=(not quick) if probe is None else probe)
    return render(report)


def write_section(path: Path, section: str) -> None:
    """Replace this bench's section of docs/benchmarks.md (the other benches' sections stay)."""
    _report.write_section(path, SECTION, section)


def main(argv: Sequence[str]) -> int:
    """Run the bench, write its section of docs/benchmarks.md; exit 1 if the row bound broke."""
    parser = argparse.ArgumentParser(prog="python -m bench route")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--no-probe", action="store_true", help="skip the cold-start memory probe")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(list(argv))
    report = measure([int(s) for s in args.sizes.split(",")], args.runs, probe=not args.no_probe)
    write_section(args.out, render(report))
    print(f"wrote {args.out}")
    for p in report.problems:
        print("FAIL", p, file=sys.stderr)
    return 1 if report.problems else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--probe":
        _probe(sys.argv[2], Path(sys.argv[3]))
    else:
        raise SystemExit(main(sys.argv[1:]))
