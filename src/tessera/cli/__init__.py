"""The `tessera` command: one Typer app; each feature registers its own commands here."""

from __future__ import annotations

import sys

import typer

from tessera.cli import core
from tessera.cli.context import fail
from tessera.errors import TesseraError

app = typer.Typer(
    name="tessera",
    help="Tessera microcredential platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
core.register(app)


def _register_features() -> None:
    from tessera.catalog import cli as catalog_cli
    from tessera.credentials import cli as credentials_cli
    from tessera.demo import cli as demo_cli
    from tessera.exchange import cli as exchange_cli
    from tessera.learning import cli as learning_cli
    from tessera.planner import cli as planner_cli
    from tessera.taxonomy import cli as taxonomy_cli

    for feature in (catalog_cli, taxonomy_cli, demo_cli, credentials_cli, planner_cli,
                    learning_cli, exchange_cli):
        feature.register(app)


_register_features()


def main() -> None:
    """Entry point: known errors become one line on stderr and exit code 1, never a traceback."""
    try:
        app(standalone_mode=True)
    except TesseraError as error:
        fail(error.detail)
    except KeyboardInterrupt:
        sys.exit(130)
