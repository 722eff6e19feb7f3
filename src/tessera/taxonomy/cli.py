"""CLI of the skills taxonomy: `tessera import esco|onet`."""

from __future__ import annotations

import typer

import_app = typer.Typer(help="Import skills taxonomies.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
