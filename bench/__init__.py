"""Benchmarks: `python -m bench` runs every `bench/bench_*.py` (each exposes `main(argv) -> int`)."""
