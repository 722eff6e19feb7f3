"""Taxonomy import speed: the full ESCO export and the O*NET files, on SQLite and PostgreSQL.

    python -m bench.bench_import [--backend sqlite|postgresql] [--repeat-esco 1]

The shared ESCO data (../shared/taxonomies, see its SOURCES.md) lacks `skills_en.csv` and
`occupationSkillRelations_en.csv`; they are rebuilt in official format from the derived
relations file into a temporary folder, next to links to the official files. For each
available backend: a fresh database (an SQLite file in a temporary folder; on PostgreSQL a
dedicated `tessera_bench_import` database, created and dropped, on the server named by
TESSERA_BENCH_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test), the real
migrations, then ESCO imported twice and O*NET twice, each in its own committed transaction
as `tessera import` runs it. The second import of each must change nothing.

Prints a table (seconds, rows handled per second) and writes bench/results/import.json. The
goal is under 60 s for the first ESCO import; nothing fails on a timing.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table
from sqlalchemy import Engine

from bench.databases import postgres_database, postgres_reachable, sqlite_database
from tessera import migrate
from tessera.db import make_sessionmaker, transaction
from tessera.taxonomy import services
from tessera.taxonomy.parsers import parse_esco

SHARED = Path(__file__).resolve().parents[2] / "shared" / "taxonomies"
ESCO = SHARED / "esco-1.2.0"
ONET = SHARED / "onet-29.2"
DERIVED = ESCO / "esco_1.2.0_occupation_skill_relations_derived.csv.gz"
LINKED = (
    "occupations_en.csv",
    "ISCOGroups_en.csv",
    "broaderRelationsSkillPillar_en.csv",
    "skillGroups_en.csv",
)
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "tessera_bench_import"
RESULTS = Path(__file__).parent / "results" / "import.json"
GOAL_S = 60.0
console = Console()
Runner = Callable[..., services.ImportSummary]


def build_esco_dir(target: Path) -> Path:
    """Official-format skills_en.csv and occupationSkillRelations_en.csv from the derived file
    (the same conversion as tests/unit/taxonomy/taxonomy_files.py), plus links to the rest."""
    skills: dict[str, str] = {}
    with (
        gzip.open(DERIVED, "rt", encoding="utf-8", newline="") as source,
        (target / "occupationSkillRelations_en.csv").open("w", encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(["occupationUri", "relationType", "skillType", "skillUri"])
        for row in csv.DictReader(source):
            if row["skill_uri"]:  # 13 rows could not be mapped to a URI upstream
                skills.setdefault(row["skill_uri"], row["skill_label"])
                writer.writerow([row["occupation_uri"], row["relation_type"], "", row["skill_uri"]])
    with (target / "skills_en.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "conceptType",
                "conceptUri",
                "skillType",
                "reuseLevel",
                "preferredLabel",
                "altLabels",
                "hiddenLabels",
                "status",
                "modifiedDate",
                "scopeNote",
                "definition",
                "inScheme",
                "description",
            ]
        )
        for uri, label in skills.items():
            writer.writerow(
                [
                    "KnowledgeSkillCompetence",
                    uri,
                    "",
                    "",
                    label,
                    "",
                    "",
                    "released",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    for name in LINKED:
        (target / name).symlink_to(ESCO / name)
    return target


def _timed_import(engine: Engine, label: str, run: Runner, directory: Path) -> dict[str, Any]:
    """One import in one committed transaction, with a transient progress bar."""
    with Progress(
        TextColumn(f"{label}: {{task.description:<38}}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        started = time.perf_counter()
        with transaction(make_sessionmaker(engine)) as db:
            summary = run(db, directory, progress=progress)
        seconds = time.perf_counter() - started
    rows = sum(c.created + c.updated + c.unchanged for c in summary.counts.values())
    return {
        "import": label,
        "seconds": round(seconds, 2),
        "rows": rows,
        "rows_per_s": round(rows / seconds),
        "changed": summary.changed,
        "counts": {kind: vars(c) for kind, c in summary.counts.items()},
    }


def _run(engine: Engine, esco: Path) -> list[dict[str, Any]]:
    migrate.upgrade(engine)
    return [
        _timed_import(engine, "ESCO, first import", services.import_esco, esco),
        _timed_import(engine, "ESCO, re-import", services.import_esco, esco),
        _timed_import(engine, "O*NET, first import", services.import_onet, ONET),
        _timed_import(engine, "O*NET, re-import", services.import_onet, ONET),
    ]


def _table(results: dict[str, list[dict[str, Any]]], parse_s: float) -> Table:
    table = Table(
        title=f"Taxonomy imports (goal: first ESCO import < {GOAL_S:.0f} s; "
        f"parsing the ESCO files alone: {parse_s:.1f} s)"
    )
    table.add_column("Import")
    table.add_column("Backend")
    for column in ("Seconds", "Rows", "Rows/s", "Changed"):
        table.add_column(column, justify="right")
    for backend, rows in results.items():
        for row in rows:
            seconds = f"{row['seconds']:.1f}"
            if row["import"].startswith("ESCO, first") and row["seconds"] >= GOAL_S:
                seconds = f"[red]{seconds}[/]"
            second = "re-import" in row["import"]
            changed = ("[red]yes[/]" if second else "yes") if row["changed"] else "no"
            table.add_row(
                row["import"],
                backend,
                seconds,
                f"{row['rows']:,}",
                f"{row['rows_per_s']:,}",
                changed,
            )
        table.add_section()
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not DERIVED.exists() or not ONET.exists():
        console.print(f"[red]Taxonomy data not found under {SHARED}; nothing to measure[/]")
        return 1
    chosen = args.backend or ["sqlite", "postgresql"]
    pg_url = os.environ.get("TESSERA_BENCH_POSTGRES_URL", DEFAULT_PG)
    backends: list[tuple[str, Callable[[], Any]]] = []
    if "sqlite" in chosen:
        backends.append(("sqlite", lambda: sqlite_database("tessera-bench-import-")))
    if "postgresql" in chosen and postgres_reachable(pg_url, console):
        backends.append(("postgresql", lambda: postgres_database(pg_url, BENCH_DB)))

    results: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="tessera-esco-") as folder:
        esco = build_esco_dir(Path(folder))
        started = time.perf_counter()
        parse_esco(esco)
        parse_s = time.perf_counter() - started
        for name, open_database in backends:
            with open_database() as engine:
                results[name] = _run(engine, esco)
    if not results:
        console.print("[red]No backend available[/]")
        return 1
    console.print(_table(results, parse_s))

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "benchmark": "taxonomy import",
                "goal_first_esco_import_s": GOAL_S,
                "esco_parse_s": round(parse_s, 2),
                "machine": {
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                },
                "backends": results,
            },
            indent=2,
        )
        + "\n"
    )
    console.print(f"Wrote {args.output}")
    reimport_changed = any(
        r["changed"] for rows in results.values() for r in rows if "re-import" in r["import"]
    )
    if reimport_changed:
        console.print("[red]A re-import changed rows: the importer is not idempotent[/]")
    return 1 if reimport_changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
