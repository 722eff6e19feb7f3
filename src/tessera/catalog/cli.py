"""CLI of the catalog: `tessera catalog search`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from tessera.catalog import services
from tessera.catalog.search.query import SearchQuery
from tessera.catalog.vocab import Field, label
from tessera.cli.context import console, database

catalog_app = typer.Typer(help="The microcredential catalog.", no_args_is_help=True)


@catalog_app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="Free text")] = "",
    field: Annotated[list[Field] | None, typer.Option(help="Filter by field (repeatable)")] = None,
    provider: Annotated[list[str] | None, typer.Option(help="Provider slug (repeatable)")] = None,
    eqf_level: Annotated[list[int] | None, typer.Option(min=1, max=8, help="EQF level")] = None,
    free: Annotated[bool, typer.Option(help="Free microcredentials only")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Search published microcredentials."""
    if len(query) > 200:
        raise typer.BadParameter("at most 200 characters", param_hint="QUERY")
    with database() as db:
        results = services.search(
            db,
            SearchQuery(
                text=query.strip(),
                fields=tuple(field or ()),
                providers=tuple(provider or ()),
                eqf_levels=tuple(eqf_level or ()),
                free_only=free,
                page_size=limit,
            ),
        )
    if as_json:
        print(results.model_dump_json(indent=2))
        return
    table = Table(title=f"{results.total} microcredential(s)")
    for column in ("ID", "Title", "Provider", "Field", "Hours", "EQF", "Price"):
        table.add_column(column)
    for item in results.items:
        price = "Free" if item.price == 0 else f"{item.price} {item.currency}"
        table.add_row(
            str(item.id),
            item.title,
            item.provider.name,
            label(item.field),
            str(item.workload_hours),
            str(item.eqf_level or "-"),
            price,
        )
    console.print(table)


@catalog_app.command("reindex")
def reindex() -> None:
    """Rebuild the search index from the published microcredentials."""
    with console.status("Rebuilding the search index..."), database() as db:
        count = services.rebuild_search_index(db)
    console.print(f"Indexed {count} published microcredential(s).")


def register(app: typer.Typer) -> None:
    app.add_typer(catalog_app, name="catalog")
