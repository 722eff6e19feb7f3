"""CLI of the skills taxonomy: `tessera import esco|onet DIR` and `tessera skills search`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from tessera.cli.context import console, database, err_console, fail
from tessera.taxonomy import services

import_app = typer.Typer(help="Import skills taxonomies.", no_args_is_help=True)
skills_app = typer.Typer(help="Skills taxonomies: search skills.", no_args_is_help=True)

Directory = Annotated[Path, typer.Argument(help="Directory holding the files", show_default=False)]


@contextmanager
def progress_bar() -> Iterator[services.Progress]:
    """A Rich progress bar on stderr, one line per stage; yields the services' callback."""
    tasks: dict[str, TaskID] = {}
    bar = Progress(
        TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err_console,
    )

    def report(stage: str, done: int, total: int | None) -> None:
        # Started on the first report, so an early error is not preceded by an empty bar.
        if not tasks:
            bar.start()
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    try:
        yield report
    finally:
        if tasks:
            bar.stop()


def _run_import(
    directory: Path, run: Callable[..., services.ImportSummary], version: str
) -> None:
    if not directory.is_dir():
        fail(f"{directory}: no such directory")
    with database() as db, progress_bar() as report:
        summary = run(db, directory, version=version, progress=report)
    console.print(str(summary), highlight=False, soft_wrap=True)


@import_app.command("esco")
def import_esco(
    directory: Directory,
    version: Annotated[str, typer.Option(help="ESCO version of the export")] = "1.2.0",
) -> None:
    """Import the official ESCO CSV export (skills_en.csv, occupations_en.csv, ...)."""
    _run_import(directory, services.import_esco, version)


@import_app.command("onet")
def import_onet(
    directory: Directory,
    version: Annotated[str, typer.Option(help="O*NET database release")] = "29.2",
) -> None:
    """Import O*NET database files (Occupation Data, Skills, Technology Skills)."""
    _run_import(directory, services.import_onet, version)


@skills_app.command("search")
def search(
    text: Annotated[str, typer.Argument(help="Words to find in skill labels")] = "",
    framework: Annotated[str | None, typer.Option(help="Framework slug, e.g. esco")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Results to show")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Search skills by label and alternative labels."""
    if len(text) > 200:
        fail("TEXT: at most 200 characters")
    with database() as db:
        items, total = services.search_skills(db, text, framework, 1, limit)
    if as_json:
        print(json.dumps({"items": [i.model_dump() for i in items], "total": total}, indent=2))
        return
    table = Table(title=f"{total:,} skill(s)" + (f", first {len(items)}" if total > limit else ""))
    for column in ("Label", "Framework", "Type", "URI"):
        table.add_column(column, overflow="fold")
    for item in items:
        table.add_row(item.label, item.framework, item.skill_type, item.uri)
    console.print(table)


@skills_app.command("frameworks")
def frameworks() -> None:
    """List the skill frameworks held."""
    with database() as db:
        rows = services.list_frameworks(db)
    table = Table(title="Skill frameworks")
    for column in ("Slug", "Name", "Version", "Skills", "Occupations"):
        table.add_column(column)
    for f in rows:
        table.add_row(f.slug, f.name, f.version, f"{f.skills:,}", f"{f.occupations:,}")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.add_typer(skills_app, name="skills")
