"""CLI of exchange rates: `tessera rates import FILE` and `tessera rates list`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tessera.accounts import services as accounts
from tessera.cli.context import console, database, fail
from tessera.exchange import services

MAX_FILE_BYTES = 256 * 1024  # the parser takes up to 64 Ki characters, of up to 4 bytes each

rates_app = typer.Typer(
    help="Exchange rates (per euro) for converting prices.", no_args_is_help=True
)


@rates_app.command("import")
def import_rates(
    file: Annotated[
        Path, typer.Argument(help="The ECB's eurofxref.csv (unzipped)", show_default=False)
    ],
) -> None:
    """Import the ECB euro reference rates (https://www.ecb.europa.eu/stats/eurofxref/)."""
    try:
        with file.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)  # never the whole of a huge file
        if len(raw) > MAX_FILE_BYTES:
            fail(f"{file}: too large for a reference-rates file (the ECB's is under 1 kB)")
        text = raw.decode("utf-8")
    except FileNotFoundError:
        fail(f"{file}: no such file")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{file}: cannot read it ({error.__class__.__name__})")
    with database() as db:
        summary = services.import_ecb_csv(db, accounts.OPERATOR, text, file=str(file))
    console.print(str(summary), highlight=False, soft_wrap=True)


@rates_app.command("list")
def list_rates(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """The rates held: units of each currency one euro buys."""
    with database() as db:
        rates = services.current_rates(db)
    if as_json:
        print(json.dumps([rate.model_dump(mode="json") for rate in rates], indent=2))
        return
    if not rates:
        console.print("No exchange rates: import them with `tessera rates import FILE`.")
        return
    table = Table(title="Exchange rates (1 EUR =)")
    for column in ("Currency", "Per euro", "As of", "Source"):
        table.add_column(column, overflow="fold")
    for rate in rates:
        table.add_row(rate.currency, f"{rate.per_euro.normalize():f}", str(rate.as_of), rate.source)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(rates_app, name="rates")
