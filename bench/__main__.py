"""`python -m bench`: run every benchmark in turn (each prints its own table)."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = (
    "bench.bench_import",
    "bench.bench_search",
    "bench.bench_credentials",
    "bench.bench_planner",
    "bench.bench_extraction",
)


def main() -> int:
    failures = 0
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        module = importlib.import_module(name)
        try:
            module.main([])
        except SystemExit as exit_:
            failures += bool(exit_.code)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
