"""The route-screen benchmark's machinery works end to end at a tiny size (no timing is asserted)."""

from __future__ import annotations

import re

from bench import bench_route
from mobile.ui.route import PAGE_SIZE


def test_bench_route_produces_a_table_with_numbers_and_the_row_bound(tmp_path):
    report = bench_route.measure([20], runs=1, probe=True)
    [r] = report.results
    assert report.problems == []
    assert r.rows_total > 0 and r.rows_drawn == min(PAGE_SIZE, r.rows_total)
    section = bench_route.render(report)
    assert section.startswith(bench_route.SECTION)
    row = next(line for line in section.splitlines() if line.startswith("| 20 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert len(cells) == 10
    assert all(re.fullmatch(r"[\d.,]+×?", c) for c in cells[:9]), cells
    assert "bound held at every N" in section
    assert "peak RSS" in section and "python -m bench route" in section


def test_a_broken_row_bound_is_reported():
    r = bench_route.SizeResult(5000, rows_total=5000, rows_drawn=5000, search_hits=3, search_drawn=3)
    [problem] = bench_route.check_bounded(r)
    assert "N=5000 start: 5000 cards drawn" in problem


def test_write_section_replaces_only_its_own_section(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Other bench\n\nkeep me\n")
    bench_route.write_section(doc, bench_route.SECTION + "\n\nfirst\n")
    bench_route.write_section(doc, bench_route.SECTION + "\n\nsecond\n")
    text = doc.read_text()
    assert "keep me" in text and "second" in text and "first" not in text
    assert text.count(bench_route.SECTION) == 1
