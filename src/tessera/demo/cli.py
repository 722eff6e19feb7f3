"""CLI of the demo data: `tessera demo load`."""

from __future__ import annotations

import typer

demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(demo_app, name="demo")
