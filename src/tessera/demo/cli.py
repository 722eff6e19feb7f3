"""CLI of the demo data: `tessera demo load`."""

from __future__ import annotations

import typer

from tessera.cli.context import console, database
from tessera.demo import services

demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)


@demo_app.command("load")
def load() -> None:
    """Load the demo providers, users, skills and catalog (safe to run again)."""
    with console.status("Loading demo data..."), database() as db:
        summary = services.load_demo(db)
    console.print(
        f"Demo data: {summary.organisations} organisations, {summary.users} users, "
        f"{summary.skills} skills, {summary.microcredentials} microcredentials and "
        f"{summary.endorsements} endorsements added."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(demo_app, name="demo")
