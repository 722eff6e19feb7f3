"""CLI of the demo data: `tessera demo load`."""

from __future__ import annotations

import typer

from tessera.cli.context import console, database, load_settings
from tessera.credentials.deps import make_issuing
from tessera.demo import services

demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)


@demo_app.command("load")
def load() -> None:
    """Load the demo organisations, users, catalog, credentials and teams (safe to rerun)."""
    issuing = make_issuing(load_settings())
    with console.status("Loading demo data..."), database() as db:
        summary = services.load_demo(db, issuing)
    console.print(
        f"Demo data: {summary.organisations} organisations, {summary.users} users, "
        f"{summary.skills} skills, {summary.occupations} occupations, "
        f"{summary.microcredentials} microcredentials, "
        f"{summary.endorsements} endorsements, {summary.credentials} credentials, "
        f"{summary.role_profiles} role profiles, {summary.team_members} team members and "
        f"{summary.exchange_rates} exchange rates added."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(demo_app, name="demo")
