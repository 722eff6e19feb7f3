"""CLI of the learner's record: `tessera learner ...`, an operator acting for a named learner.

The commands act as the learner themselves (the actor their API token or session would get),
so the rules of `learning.services` apply unchanged: an operator sees and changes what the
learner could, nothing more.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.table import Table
from sqlalchemy.orm import Session

from tessera.accounts import services as accounts
from tessera.accounts.roles import Actor
from tessera.cli.context import console, database, fail
from tessera.learning import services
from tessera.learning.schemas import DeclaredSkillOut
from tessera.taxonomy import services as taxonomy

learner_app = typer.Typer(
    help="A learner's record: declared skills, saved plans, enrolments.", no_args_is_help=True
)

Email = Annotated[str, typer.Argument(help="The learner's email", show_default=False)]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]


def learner_actor(db: Session, email: str) -> Actor:
    """The actor the learner's own API token or session gets (NotFound for an unknown email)."""
    user = accounts.get_user_by_email(db, email)
    actor = accounts.actor_for_user(db, user.id)
    if not actor.is_authenticated:
        fail(f"{user.email}: the account is deactivated")
    return actor


def _fail_on_unknown(db: Session, uris: Sequence[str], declared: set[str]) -> None:
    """One line naming each URI the taxonomy does not know (and the learner did not declare)."""
    known = taxonomy.skill_labels(db, uris)
    unknown = [uri for uri in dict.fromkeys(uris) if uri not in known and uri not in declared]
    if unknown:
        fail(f"unknown skill URI(s), nothing was changed: {', '.join(unknown)}")


def _print_json(items: Sequence[BaseModel]) -> None:
    print(json.dumps([item.model_dump(mode="json") for item in items], indent=2))


def _show_skills(email: str, skills: list[DeclaredSkillOut], as_json: bool) -> None:
    if as_json:
        _print_json(skills)
        return
    if not skills:
        console.print(f"{email} declared no skills.", highlight=False)
        return
    table = Table(title=f"Skills {email} declared", title_justify="left")
    for column in ("Skill", "URI", "Declared"):
        table.add_column(column, overflow="fold")
    for skill in skills:
        table.add_row(skill.label, skill.uri, f"{skill.declared_at:%Y-%m-%d}")
    console.print(table)


@learner_app.command("skills")
def skills(email: Email, as_json: AsJson = False) -> None:
    """The skills the learner declared (unverified; plans count them as held)."""
    with database() as db:
        found = services.list_declared_skills(db, learner_actor(db, email))
    _show_skills(email, found, as_json)


@learner_app.command("declare")
def declare(
    email: Email,
    uris: Annotated[list[str], typer.Argument(help="Taxonomy skill URIs", show_default=False)],
    as_json: AsJson = False,
) -> None:
    """Add skills to what the learner declared; an unknown URI changes nothing."""
    with database() as db:
        actor = learner_actor(db, email)
        _fail_on_unknown(db, uris, set())
        found = services.declare_skills(db, actor, uris)
    _show_skills(email, found, as_json)


@learner_app.command("undeclare")
def undeclare(
    email: Email,
    uris: Annotated[list[str], typer.Argument(help="Skill URIs to remove", show_default=False)],
    as_json: AsJson = False,
) -> None:
    """Take skills off the learner's list (a URI neither declared nor known changes nothing)."""
    with database() as db:
        actor = learner_actor(db, email)
        declared = {skill.uri for skill in services.list_declared_skills(db, actor)}
        _fail_on_unknown(db, uris, declared)
        for uri in dict.fromkeys(uris):
            services.remove_declared_skill(db, actor, uri)
        found = services.list_declared_skills(db, actor)
    _show_skills(email, found, as_json)


@learner_app.command("plans")
def plans(email: Email, as_json: AsJson = False) -> None:
    """The learner's saved plans, newest first (`tessera plan --learner EMAIL --save` adds one)."""
    with database() as db:
        saved = services.list_saved_plans(db, learner_actor(db, email))
    if as_json:
        _print_json(saved)
        return
    if not saved:
        console.print(f"{email} has no saved plans.", highlight=False)
        return
    table = Table(title=f"Plans {email} saved", title_justify="left")
    for column in ("Id", "Title", "Target", "Courses", "Price", "Hours", "Weeks", "Saved"):
        table.add_column(column, overflow="fold")
    for plan in saved:
        table.add_row(
            str(plan.id), plan.title, plan.target_label, str(plan.items),
            f"{plan.price} {plan.currency}" if plan.price is not None else "-",
            str(plan.hours) if plan.hours is not None else "-",
            str(plan.weeks) if plan.weeks is not None else "-",
            f"{plan.created_at:%Y-%m-%d}",
        )  # fmt: skip
    console.print(table)
    console.print("Each is on the page /me/plans/ID.", highlight=False)


@learner_app.command("enrolments")
def enrolments(email: Email, as_json: AsJson = False) -> None:
    """The learner's enrolments, current ones first."""
    with database() as db:
        found = services.list_enrolments(db, learner_actor(db, email))
    if as_json:
        _print_json(found)
        return
    if not found:
        console.print(f"{email} has no enrolments.", highlight=False)
        return
    table = Table(title=f"Enrolments of {email}", title_justify="left")
    for column in ("Id", "Microcredential", "Provider", "Status", "Since", "Plan"):
        table.add_column(column, overflow="fold")
    for enrolment in found:
        since = enrolment.withdrawn_at or enrolment.enrolled_at
        table.add_row(
            str(enrolment.id), f"{enrolment.title} ({enrolment.microcredential_id})",
            enrolment.provider_name, enrolment.status, f"{since:%Y-%m-%d}",
            str(enrolment.saved_plan_id) if enrolment.saved_plan_id is not None else "-",
        )  # fmt: skip
    console.print(table)


@learner_app.command("enrol")
def enrol(
    email: Email,
    microcredential: Annotated[
        int, typer.Argument(min=1, help="A published microcredential's id", show_default=False)
    ],
    plan: Annotated[
        int | None, typer.Option(min=1, help="One of the learner's saved plans it follows")
    ] = None,
) -> None:
    """Enrol the learner in a published microcredential (enrolling again changes nothing)."""
    with database() as db:
        enrolment, created = services.enrol(db, learner_actor(db, email), microcredential, plan)
    verb = "Enrolled" if created else "Already enrolled:"
    console.print(
        f"{verb} {email} in {enrolment.title} (enrolment {enrolment.id})", highlight=False
    )


@learner_app.command("role-profiles")
def role_profiles(email: Email, as_json: AsJson = False) -> None:
    """Role profiles the learner may plan towards (`tessera plan --role-profile ID`)."""
    with database() as db:
        found = services.role_profiles_to_plan(db, learner_actor(db, email))
    if as_json:
        _print_json(found)
        return
    if not found:
        console.print(f"{email} may plan towards no role profile.", highlight=False)
        return
    table = Table(title=f"Role profiles {email} may plan towards", title_justify="left")
    for column in ("Id", "Role", "Organisation", "Min EQF", "Skills"):
        table.add_column(column, overflow="fold")
    for profile in found:
        table.add_row(
            str(profile.id), profile.name, profile.organisation_name,
            str(profile.min_eqf_level) if profile.min_eqf_level is not None else "-",
            str(len(profile.skills)),
        )  # fmt: skip
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(learner_app, name="learner")
