"""A path through n stops between two fixed ends, with time windows, by iterated local search.

Pure Python (it runs on the phone, offline). Nodes are 0 = start, 1..n = stops, n+1 = end;
`dist` is a full (n+2)x(n+2) matrix in metres. An open path ("end anywhere") is a matrix whose
column n+1 is zero. The search:

1. builds two tours (nearest neighbour; and by window end then nearest neighbour) and keeps the
   cheaper;
2. improves it with 2-opt and Or-opt (segments of 1-3 stops, either direction) over the K nearest
   neighbours of each stop, with don't-look bits;
3. while the time budget lasts (and at most `max_kicks` times): a random double-bridge kick, a
   local re-optimisation around the changed edges, and the result kept when no worse.

Cost is lexicographic: minutes late first (a missed appointment is worse than any detour), then
metres. Without windows the moves are evaluated in O(1) from the matrix; with windows each
distance-improving (or, while some stop is late, every) candidate is scheduled in O(n).
Deterministic for a given seed and clock: tests pass a fake clock, the screen a real one.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

NEIGHBOURS = 8  # candidate list size: 2-opt/Or-opt moves only create edges to near stops
LATE_WEIGHT = 1e7  # metres per late minute: lateness dominates distance (lexicographic)
EPS = 1e-7
SEGMENT = 8  # longest segment a kick swaps


@dataclass(frozen=True)
class Window:
    """When a stop may be served, in minutes since midnight (service must start in [open, close])."""

    open: float
    close: float


@dataclass
class Problem:
    """Distances (metres), optional windows and service times (minutes) per node, and the day's clock."""

    dist: list[list[float]]
    windows: Sequence[Window | None] = ()  # per node, index 0 and n+1 ignored
    service_min: Sequence[float] = ()  # per node
    speed_m_per_min: float = 250.0  # 15 km/h: a motorbike on village lanes, stops included
    start_min: float = 0.0  # departure time from node 0

    @property
    def n(self) -> int:
        """Number of stops (nodes 1..n)."""
        return len(self.dist) - 2

    @property
    def timed(self) -> bool:
        """True when at least one stop has a window."""
        return any(w is not None for w in self.windows)


@dataclass
class Schedule:
    """Arrival and service-start minutes per node, and minutes late per late node."""

    arrive: dict[int, float]
    begin: dict[int, float]
    late: dict[int, float] = field(default_factory=dict)

    @property
    def total_late(self) -> float:
        """Sum of minutes late over all stops."""
        return sum(self.late.values())


@dataclass
class Solution:
    """Visiting order (stop nodes 1..n), its length, its schedule and how the search went."""

    order: list[int]
    length_m: float
    schedule: Schedule
    kicks: int = 0
    elapsed_s: float = 0.0


def path_length(dist: list[list[float]], route: Sequence[int]) -> float:
    """Sum of the matrix distances along a route (node list)."""
    return sum(dist[a][b] for a, b in zip(route, route[1:]))


def schedule(p: Problem, route: Sequence[int]) -> Schedule:
    """Times along a route: wait for a window to open, late when service starts after it closes."""
    d, speed = p.dist, p.speed_m_per_min
    wins, svc = p.windows, p.service_min
    t = p.start_min
    arrive, begin, late = {route[0]: t}, {route[0]: t}, {}
    for a, b in zip(route, route[1:]):
        t += d[a][b] / speed
        arrive[b] = t
        w = wins[b] if b < len(wins) else None
        if w is not None:
            if t < w.open:
                t = w.open
            elif t > w.close + EPS:
                late[b] = t - w.close
        begin[b] = t
        t += svc[b] if b < len(svc) else 0.0
    return Schedule(arrive, begin, late)


def _late(p: Problem, route: Sequence[int]) -> float:
    """Total minutes late along a route (the hot part of `schedule`, without allocations)."""
    d, speed, wins, svc = p.dist, p.speed_m_per_min, p.windows, p.service_min
    nw, ns = len(wins), len(svc)
    t, late = p.start_min, 0.0
    prev = route[0]
    for b in route[1:]:
        t += d[prev][b] / speed
        w = wins[b] if b < nw else None
        if w is not None:
            if t < w.open:
                t = w.open
            elif t > w.close:
                late += t - w.close
        t += svc[b] if b < ns else 0.0
        prev = b
    return late


def _neighbours(dist: list[list[float]], n: int, k: int) -> list[list[int]]:
    """For each stop, its k nearest other stops (ends excluded: they never move)."""
    out: list[list[int]] = [[] for _ in range(n + 2)]
    stops = range(1, n + 1)
    for a in stops:
        row = dist[a]
        out[a] = sorted((b for b in stops if b != a), key=row.__getitem__)[:k]
    return out


def _nearest_neighbour(dist: list[list[float]], n: int) -> list[int]:
    left = set(range(1, n + 1))
    route, cur = [0], 0
    while left:
        row = dist[cur]
        cur = min(left, key=row.__getitem__)
        left.remove(cur)
        route.append(cur)
    route.append(n + 1)
    return route


def _by_window(p: Problem) -> list[int]:
    """Stops by window close (unwindowed last), nearest neighbour within each group."""
    n, wins = p.n, p.windows
    groups: dict[float, list[int]] = {}
    for s in range(1, n + 1):
        w = wins[s] if s < len(wins) else None
        groups.setdefault(w.close if w else float("inf"), []).append(s)
    route, cur = [0], 0
    for close in sorted(groups):
        left = set(groups[close])
        while left:
            row = p.dist[cur]
            cur = min(left, key=row.__getitem__)
            left.remove(cur)
            route.append(cur)
    route.append(n + 1)
    return route


class _Search:
    """Local search state over one route (node list with fixed ends) and its positions."""

    def __init__(self, p: Problem, route: list[int], neigh: list[list[int]]) -> None:
        self.p, self.d, self.neigh = p, p.dist, neigh
        self.timed = p.timed
        self.set_route(route)

    def set_route(self, route: list[int], length: float | None = None, late: float | None = None) -> None:
        """Replace the current route; positions and cost are recomputed unless the caller knows them."""
        self.route = route
        pos = self.pos = [0] * len(route)
        for i, v in enumerate(route):
            pos[v] = i
        self.length = path_length(self.d, route) if length is None else length
        if late is None:
            late = _late(self.p, route) if self.timed else 0.0
        self.late = late
        self.touched: Sequence[int] = route

    def cost(self) -> float:
        """Lexicographic cost folded into one number."""
        return self.late * LATE_WEIGHT + self.length

    def _apply(self, route: list[int], lo: int, hi: int, length: float, late: float) -> None:
        """Take a moved route whose positions lo..hi changed (the rest of `pos` still holds)."""
        self.route = route
        pos = self.pos
        for i in range(lo, hi + 1):
            pos[route[i]] = i
        self.length, self.late = length, late

    def _try(
        self, delta: float, build: Callable[[], list[int]], touched: Sequence[int], lo: int, hi: int
    ) -> bool:
        """Apply a candidate move when it lowers the cost; `build` makes the new route.

        `touched` are the nodes whose neighbours in the tour change (woken for the next moves);
        positions lo..hi are the only ones the move changes.
        """
        if not self.timed:
            if delta < -EPS:
                self._apply(build(), lo, hi, self.length + delta, 0.0)
                self.touched = touched
                return True
            return False
        if delta >= -EPS and self.late <= 0.0:
            return False  # nothing late: a longer route cannot be better
        new = build()
        late = _late(self.p, new)
        if late * LATE_WEIGHT + self.length + delta < self.cost() - EPS:
            self._apply(new, lo, hi, self.length + delta, late)
            self.touched = touched
            return True
        return False

    # -- moves around one node --------------------------------------------------------------
    def two_opt(self, a: int) -> bool:
        """First improving 2-opt move that adds an edge (a, c) for c near a."""
        d, route, pos = self.d, self.route, self.pos
        last = len(route) - 1
        pa = pos[a]
        d_succ = d[a][route[pa + 1]]
        d_pred = d[route[pa - 1]][a]
        reach = max(d_succ, d_pred)
        timed = self.timed
        for c in self.neigh[a]:
            dac = d[a][c]
            if dac >= reach and not timed:
                break  # neighbours are sorted: no shorter new edge is left
            pc = pos[c]
            # variant 1 removes (a, succ a): a, c become route[i], route[j]; reverse route[i+1..j]
            i, j = (pa, pc) if pa < pc else (pc, pa)
            if j - i > 1 and j < last and (dac < d_succ or timed):
                x, y = route[i], route[j]
                xn, yn = route[i + 1], route[j + 1]
                delta = dac + d[xn][yn] - d[x][xn] - d[y][yn]
                if delta < -EPS or timed:
                    build = lambda i=i, j=j: route[: i + 1] + route[j:i:-1] + route[j + 1 :]  # noqa: E731
                    if self._try(delta, build, (x, xn, y, yn), i + 1, j):
                        return True
            # variant 2 removes (pred a, a): a, c become route[i+1], route[j+1]
            i, j = (pa - 1, pc - 1) if pa < pc else (pc - 1, pa - 1)
            if j - i > 1 and i >= 0 and (dac < d_pred or timed):
                x, y = route[i], route[j]
                xn, yn = route[i + 1], route[j + 1]
                delta = d[x][y] + dac - d[x][xn] - d[y][yn]
                if delta < -EPS or timed:
                    build = lambda i=i, j=j: route[: i + 1] + route[j:i:-1] + route[j + 1 :]  # noqa: E731
                    if self._try(delta, build, (x, xn, y, yn), i + 1, j):
                        return True
        return False

    def or_opt(self, a: int) -> bool:
        """Move a segment of 1-3 stops that starts or ends at a next to one of a's neighbours."""
        d, route, pos = self.d, self.route, self.pos
        last = len(route) - 1
        pa = pos[a]
        for seg_len in (1, 2, 3):
            for i in (pa, pa - seg_len + 1) if seg_len > 1 else (pa,):
                k = i + seg_len - 1
                if i < 1 or k > last - 1:
                    continue
                s0, sk = route[i], route[k]
                prev, nxt = route[i - 1], route[k + 1]
                gain = d[prev][s0] + d[sk][nxt] - d[prev][nxt]
                if gain <= EPS and not self.timed:
                    continue
                for c in self.neigh[a]:
                    if d[a][c] >= gain and not self.timed:
                        break  # the new edge at a alone would eat the whole gain
                    pc = pos[c]
                    if i <= pc <= k:
                        continue
                    # insert between (c, next c) or (prev c, c), a adjacent to c
                    for m in (pc, pc - 1):
                        if m < 0 or m >= last or i - 1 <= m <= k:
                            continue
                        p_, q_ = route[m], route[m + 1]
                        base = d[p_][q_]
                        # orientation that puts a next to c: right after p_, or right before q_
                        seg_first_at_p = (a == s0) if p_ == c else (a == sk)
                        if seg_first_at_p:
                            add = d[p_][s0] + d[sk][q_] - base
                        else:
                            add = d[p_][sk] + d[s0][q_] - base
                        delta = add - gain
                        if delta < -EPS or self.timed:
                            fwd = seg_first_at_p

                            def build(i=i, k=k, m=m, fwd=fwd) -> list[int]:
                                seg = route[i : k + 1] if fwd else route[k : i - 1 : -1]
                                rest = route[:i] + route[k + 1 :]
                                at = m + 1 if m < i else m + 1 - (k - i + 1)
                                return rest[:at] + seg + rest[at:]

                            if self._try(delta, build, (prev, nxt, s0, sk, p_, q_), min(i, m + 1), max(k, m)):
                                return True
        return False

    def relocate_late(self) -> bool:
        """With windows: try every position for each late stop (neighbour lists miss far moves)."""
        if not self.timed or self.late <= 0.0:
            return False
        sched = schedule(self.p, self.route)
        for s in sorted(sched.late, key=sched.late.__getitem__, reverse=True):
            route = self.route
            i = self.pos[s]
            rest = route[:i] + route[i + 1 :]
            best: tuple[float, list[int]] | None = None
            for at in range(1, len(rest)):
                new = rest[:at] + [s] + rest[at:]
                c = _late(self.p, new) * LATE_WEIGHT + path_length(self.d, new)
                if best is None or c < best[0]:
                    best = (c, new)
            if best is not None and best[0] < self.cost() - EPS:
                self.set_route(best[1])
                return True
        return False

    def optimise(self, active: list[int], out_of_time: Callable[[], bool]) -> None:
        """Don't-look-bit local search from the `active` nodes until no move improves."""
        end = len(self.route) - 1  # the end node's id (nodes are 0..n+1)
        queue = list(dict.fromkeys(v for v in active if 0 < v < end))
        queued = set(queue)
        while queue:
            if out_of_time():
                return
            a = queue.pop()
            queued.discard(a)
            if self.two_opt(a) or self.or_opt(a):
                # wake the nodes whose edges changed
                for v in self.touched:
                    if v not in queued and 0 < v < end:
                        queue.append(v)
                        queued.add(v)
                if a not in queued:
                    queue.append(a)
                    queued.add(a)
            elif not queue and self.relocate_late():
                queue = [v for v in self.route[1:-1]]
                queued = set(queue)


def _double_bridge(route: list[int], rng: random.Random) -> tuple[list[int], list[int]]:
    """A local double-bridge (ends fixed): A B C D -> A C B D with B, C short; and the cut nodes.

    Short swapped segments keep the new edges between stops near each other in the tour, so
    the repair is a few moves, not a rebuild: many more kicks fit in the budget.
    """
    n = len(route) - 2
    span = max(2, min(SEGMENT, n // 3))
    i = rng.randint(1, n - 1)
    j = min(n, i + rng.randint(1, span))
    k = min(n + 1, j + rng.randint(1, span))
    if not i < j < k:
        i, j, k = sorted(rng.sample(range(1, n + 1), 3))
    new = route[:i] + route[j:k] + route[i:j] + route[k:]
    cuts = [route[x] for x in (i - 1, i, j - 1, j, k - 1, k) if 0 <= x < len(route)]
    return new, cuts


def solve(
    p: Problem,
    *,
    budget_s: float = 0.045,
    clock: Callable[[], float] = time.perf_counter,
    seed: int = 0,
    max_kicks: int = 2000,
    stall_kicks: int | None = None,
) -> Solution:
    """Best route found within `budget_s` seconds of `clock`, `max_kicks` kicks, and `stall_kicks`
    kicks without improvement (default 60 + 4 per stop: small days stop long before the budget)."""
    started = clock()

    def out_of_time() -> bool:
        return clock() - started > budget_s

    n = p.n
    if n <= 0:
        return Solution([], p.dist[0][1], schedule(p, [0, 1]), 0, clock() - started)
    neigh = _neighbours(p.dist, n, min(NEIGHBOURS, n - 1))
    candidates = [_nearest_neighbour(p.dist, n)]
    if p.timed:
        candidates.append(_by_window(p))
    best_route: list[int] | None = None
    best_cost = float("inf")
    search: _Search | None = None
    for route in candidates:
        s = _Search(p, route, neigh)
        s.optimise(list(range(1, n + 1)), out_of_time)
        if s.cost() < best_cost:
            best_cost, best_route, search = s.cost(), list(s.route), s
    assert search is not None and best_route is not None
    search.set_route(list(best_route))
    rng = random.Random(seed)
    stall_limit = 60 + 4 * n if stall_kicks is None else stall_kicks
    kicks = stall = 0
    while n >= 5 and kicks < max_kicks and stall < stall_limit and not out_of_time():
        kicks += 1
        stall += 1
        new, cuts = _double_bridge(best_route, rng)
        search.set_route(new)
        search.optimise(cuts, out_of_time)
        c = search.cost()
        if c < best_cost - EPS:
            stall = 0
        if c <= best_cost + EPS:
            best_cost, best_route = c, list(search.route)
    return Solution(
        best_route[1:-1], path_length(p.dist, best_route), schedule(p, best_route), kicks, clock() - started
    )
