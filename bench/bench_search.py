"""Catalog search latency on SQLite FTS5 and PostgreSQL full text, on a generated catalog.

    python -m bench.bench_search [--size 100000] [--repeat 30] [--backend sqlite|postgresql]

For each available backend: a fresh database (an SQLite file in a temporary folder; on
PostgreSQL a dedicated `tessera_bench` database, created and dropped, on the server named by
TESSERA_BENCH_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test), the real
migrations, `--size` generated microcredentials, then ten typical searches (text plus two
facet filters, all facets, first page of 20), each timed `--repeat` times after a warm-up,
with disjunctive facets (the default) and, in turns with it, with facets counting the hits
only, to show what disjunctive faceting costs.  Prints a table (p50 / p95 in ms, hits) and
writes bench/results/search.json.  The goal is p95 <= 50 ms; nothing fails on a timing.

Searches run over each process's in-memory snapshot of the index (see
tessera.catalog.search.snapshot), so the bench also reports what keeping it current costs:
reading it whole (a process's first search, or the first after a rebuild) and bringing it
up to date after one publication (the first search after each index change, per process).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.catalog_generator import generate, skill_uri
from bench.databases import postgres_database, postgres_reachable, sqlite_database
from tessera import migrate
from tessera.catalog.models import MicrocredentialVersion
from tessera.catalog.search import backend, index_version, search, snapshot
from tessera.catalog.search.query import SearchQuery

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "tessera_bench"
RESULTS = Path(__file__).parent / "results" / "search.json"
GOAL_P95_MS = 50.0
# Wide enough for the table when the output goes to a file or a CI log.
console = Console(width=None if sys.stdout.isatty() else 132)


@dataclass(frozen=True)
class Case:
    name: str
    query: SearchQuery


CASES = [
    Case(
        "python + technology + EQF 6",
        SearchQuery(text="python", fields=("technology",), eqf_levels=(6,)),
    ),
    Case(
        "nursing + English + free", SearchQuery(text="nursing", languages=("en",), free_only=True)
    ),
    Case(
        "data analysis + online + online platforms",
        SearchQuery(
            text="data analysis",
            participation_modes=("online",),
            provider_kinds=("online_platform",),
        ),
    ),
    Case(
        "'cloud secur' (type-ahead) + technology + <= 50 h",
        SearchQuery(text="cloud secur", fields=("technology",), max_hours=50),
    ),
    Case(
        "leadership + business + German",
        SearchQuery(text="leadership", fields=("business_management",), languages=("de",)),
    ),
    Case(
        "gestión + Spanish + blended",
        SearchQuery(text="gestión", languages=("es",), participation_modes=("blended",)),
    ),
    Case(
        "patient care + healthcare + universities",
        SearchQuery(text="patient care", fields=("healthcare",), provider_kinds=("university",)),
    ),
    Case(
        "machine learning + skill + EQF 7",
        SearchQuery(
            text="machine learning", skills=(skill_uri("machine learning"),), eqf_levels=(7,)
        ),
    ),
    Case(
        "(browse) education + online",
        SearchQuery(fields=("education",), participation_modes=("online",)),
    ),
    Case(
        "design + creative + <= 100 EUR",
        SearchQuery(text="design", fields=("creative",), max_price=Decimal(100)),
    ),
]
# Not one of the ten (no filters), but the catalog's landing page: reported alongside.
EXTRA = [Case("(extra) browse everything", SearchQuery())]


@dataclass
class Outcome:
    backend: str
    generate_s: float
    index_s: float
    rows: list[dict[str, Any]] = field(default_factory=list)
    snapshot_load_ms: float = 0.0  # reading the whole index into memory
    snapshot_refresh_ms: float = 0.0  # bringing it up to date after one publication


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _snapshot_costs(engine: Engine, outcome: Outcome, repeat: int = 5) -> None:
    """Median times to read the snapshot whole, and to refresh it after one publication
    (each entry re-indexed in turn, as publishing a new version does; rolled back after)."""
    with Session(bind=engine) as db:
        index = backend(db)
        loads, refreshes = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            current = snapshot.load(db, index)
            loads.append((time.perf_counter() - start) * 1000)
        for version_id in range(1, repeat + 1):
            version = db.get(MicrocredentialVersion, version_id)
            if version is None:
                break
            index_version(db, version)
            start = time.perf_counter()
            current = snapshot.refresh(db, [current], index)
            refreshes.append((time.perf_counter() - start) * 1000)
        db.rollback()
    outcome.snapshot_load_ms = round(statistics.median(loads), 1)
    outcome.snapshot_refresh_ms = round(statistics.median(refreshes), 1) if refreshes else 0.0


def _run(name: str, engine: Engine, size: int, repeat: int) -> Outcome:
    migrate.upgrade(engine)
    with Progress(
        TextColumn(f"{name}: {{task.description}}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}
        marks: dict[str, float] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
                marks[stage] = time.perf_counter()
            bar.update(tasks[stage], completed=done)

        started = time.perf_counter()
        generate(engine, size, progress=progress)
        finished = time.perf_counter()
    index_s = finished - marks.get("index", finished)
    outcome = Outcome(name, generate_s=finished - started - index_s, index_s=index_s)
    with Session(bind=engine) as db:
        for case in (*CASES, *EXTRA):
            # Each facet ignoring its own selection (the default) or counting the hits only:
            # run in turns, so that both see the same machine.
            hits_only = dataclasses.replace(case.query, disjunctive=False)
            for _ in range(3):
                search(db, case.query)
                search(db, hits_only)
            timings: list[float] = []
            plain: list[float] = []
            for _ in range(repeat):
                start = time.perf_counter()
                results = search(db, case.query)
                middle = time.perf_counter()
                search(db, hits_only)
                timings.append((middle - start) * 1000)
                plain.append((time.perf_counter() - middle) * 1000)
            outcome.rows.append(
                {
                    "query": case.name,
                    "p50_ms": round(statistics.median(timings), 2),
                    "p95_ms": round(_percentile(timings, 0.95), 2),
                    "hits": results.total,
                    "hits_only_facets_p50_ms": round(statistics.median(plain), 2),
                    "hits_only_facets_p95_ms": round(_percentile(plain, 0.95), 2),
                }
            )
            db.rollback()
    _snapshot_costs(engine, outcome)
    return outcome


def _table(outcomes: list[Outcome], size: int) -> Table:
    table = Table(
        title=f"Catalog search, {size:,} published microcredentials "
        f"(goal: p95 <= {GOAL_P95_MS:.0f} ms)"
    )
    for column in ("Query", "Backend"):
        table.add_column(column)
    for column in ("p50 ms", "p95 ms", "Hits", "p95 ms, hits-only facets"):
        table.add_column(column, justify="right")
    cases = (*CASES, *EXTRA)
    for index, case in enumerate(cases):
        for outcome in outcomes:
            row = outcome.rows[index]
            p95 = f"{row['p95_ms']:.1f}"
            if row["p95_ms"] > GOAL_P95_MS:
                p95 = f"[red]{p95}[/]"
            table.add_row(
                case.name,
                outcome.backend,
                f"{row['p50_ms']:.1f}",
                p95,
                f"{row['hits']:,}",
                f"{row['hits_only_facets_p95_ms']:.1f}",
            )
        if index < len(cases) - 1 and len(outcomes) > 1:
            table.add_section()
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    chosen = args.backend or ["sqlite", "postgresql"]
    pg_url = os.environ.get("TESSERA_BENCH_POSTGRES_URL", DEFAULT_PG)

    backends: list[tuple[str, Callable[[], Any]]] = []
    if "sqlite" in chosen:
        backends.append(("sqlite", lambda: sqlite_database("tessera-bench-")))
    if "postgresql" in chosen and postgres_reachable(pg_url, console):
        backends.append(("postgresql", lambda: postgres_database(pg_url, BENCH_DB)))

    outcomes = []
    for name, open_database in backends:
        with open_database() as engine:
            outcome = _run(name, engine, args.size, args.repeat)
        console.print(
            f"{name}: generated in {outcome.generate_s:.1f} s, indexed in {outcome.index_s:.1f} s; "
            f"snapshot read whole in {outcome.snapshot_load_ms:.0f} ms, refreshed after one "
            f"publication in {outcome.snapshot_refresh_ms:.1f} ms"
        )
        outcomes.append(outcome)
    if not outcomes:
        console.print("[red]No backend available[/]")
        return 1
    console.print(_table(outcomes, args.size))

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "benchmark": "catalog search",
                "size": args.size,
                "repeat": args.repeat,
                "goal_p95_ms": GOAL_P95_MS,
                "machine": {
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                },
                "backends": {
                    outcome.backend: {
                        "generate_s": round(outcome.generate_s, 1),
                        "index_s": round(outcome.index_s, 1),
                        "snapshot_load_ms": outcome.snapshot_load_ms,
                        "snapshot_refresh_ms": outcome.snapshot_refresh_ms,
                        "queries": outcome.rows,
                        "max_p95_ms": max(row["p95_ms"] for row in outcome.rows[: len(CASES)]),
                    }
                    for outcome in outcomes
                },
            },
            indent=2,
        )
        + "\n"
    )
    console.print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
