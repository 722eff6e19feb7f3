"""CLI of the planner: `tessera plan` and `tessera skills extract`.

`tessera plan` plans as an anonymous learner unless `--learner EMAIL` names one: then it acts
as that learner (their credentials and declared skills count, their role profiles may be the
target, and `--save` keeps the plan), through the same `learning.services` as the web and API.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table

from tessera.accounts.roles import ANONYMOUS, Actor
from tessera.cli.context import console, database, fail, load_settings
from tessera.credentials.deps import make_issuing
from tessera.learning import services as learning
from tessera.learning.cli import learner_actor
from tessera.learning.schemas import SavedPlanCreate
from tessera.planner import services
from tessera.planner.extraction import MAX_TEXT_CHARS
from tessera.planner.schemas import ObjectiveName, PlanOut, PlanRequest
from tessera.validation import field_problems


def _request(values: dict[str, Any]) -> PlanRequest:
    try:
        return PlanRequest.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as error:
        problem = field_problems(error)[0]
        fail(f"{problem.field.replace('_', '-')}: {problem.message}")


def _show(plan: PlanOut, heading: str) -> None:
    table = Table(title=heading, title_justify="left")
    for column in ("Weeks", "Microcredential", "Provider", "Price", "Hours", "Covers"):
        table.add_column(column)
    for item in plan.items:
        table.add_row(
            f"{item.start_week}\u2013{item.end_week}", item.title,
            item.provider_name or item.provider,
            f"{item.price} {plan.currency}", str(item.hours),
            ", ".join(skill.label for skill in item.covers),
        )  # fmt: skip
    console.print(table)
    console.print(
        f"Total: {plan.price} {plan.currency}, {plan.hours} hours, {plan.weeks} weeks"
        + (f", {plan.ects} ECTS" if plan.ects is not None else "")
    )


def plan_command(
    occupation: Annotated[str | None, typer.Option(help="Occupation name, id or URI")] = None,
    posting: Annotated[
        Path | None, typer.Option(help="A job posting (text file) to extract the target from")
    ] = None,
    budget: Annotated[Decimal | None, typer.Option(help="Most you will pay")] = None,
    hours: Annotated[int | None, typer.Option(help="Most hours of study in all")] = None,
    weeks: Annotated[int | None, typer.Option(help="Deadline in weeks")] = None,
    weekly_hours: Annotated[int, typer.Option(help="Hours of study a week")] = 10,
    language: Annotated[list[str] | None, typer.Option(help="Languages (repeatable)")] = None,
    objective: Annotated[str, typer.Option(help="cost, hours or time")] = "cost",
    currency: Annotated[
        str, typer.Option(help="Prices in it; others converted at the stored rates")
    ] = "EUR",
    learner: Annotated[
        str | None,
        typer.Option(help="Plan as this user (email): their credentials and declared skills count"),
    ] = None,
    role_profile: Annotated[
        int | None, typer.Option(help="Target: a role profile the learner may plan towards (id)")
    ] = None,
    save: Annotated[
        str | None, typer.Option(metavar="NAME", help="Save the plan under this name (--learner)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON")] = False,
) -> None:
    """The cheapest (or shortest) set of microcredentials towards an occupation, a posting or,
    for a learner, a role profile."""
    if learner is None:
        if role_profile is not None:
            fail("--role-profile needs --learner EMAIL")
        if save is not None:
            fail("--save needs --learner EMAIL")
    text = None
    if posting is not None:
        try:
            text = posting.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            fail(f"{posting}: cannot read it ({error.__class__.__name__})")
    chosen: ObjectiveName = objective  # type: ignore[assignment]  # validated by PlanRequest
    request = _request({
        "occupation": occupation, "posting": text, "budget": budget, "max_hours": hours,
        "deadline_weeks": weeks, "weekly_hours": weekly_hours, "languages": language or [],
        "objective": chosen, "currency": currency, "role_profile": role_profile,
    })  # fmt: skip
    to_save = None
    if save is not None:
        try:
            to_save = SavedPlanCreate(title=save, request=request)
        except ValidationError as error:
            fail(f"save: {field_problems(error)[0].message}")
    issuing = make_issuing(load_settings())
    saved_id = None
    with database() as db:
        actor: Actor = ANONYMOUS if learner is None else learner_actor(db, learner)
        if to_save is None:
            result = learning.plan_for_learner(db, issuing, actor, request)
        else:
            saved = learning.save_plan(db, issuing, actor, to_save)
            result, saved_id = saved.result, saved.id
    if as_json:
        dumped = result.model_dump(mode="json")
        if saved_id is not None:
            dumped = {"saved_plan": {"id": saved_id, "page": f"/me/plans/{saved_id}"}} | dumped
        print(json.dumps(dumped, indent=2))
        return
    console.print(f"Target: {result.target.label} ({len(result.target.skills)} skills)")
    if result.already_held:
        held = ", ".join(skill.label for skill in result.already_held)
        console.print(f"Already held: {held}", highlight=False)
        if result.already_declared:
            declared = ", ".join(skill.label for skill in result.already_declared)
            console.print(f"  (declared, no credential proves them: {declared})", highlight=False)
    if result.plan is not None:
        _show(result.plan, "Plan")
    if result.explanation is not None:
        console.print(f"[yellow]{result.explanation.message}[/]")
        if result.partial is not None:
            _show(result.partial, "Best plan within your limits")
    if result.uncoverable:
        labels = ", ".join(skill.label for skill in result.uncoverable)
        console.print(f"No published microcredential teaches: {labels}")
    for number, alternative in enumerate(result.alternatives, start=1):
        _show(alternative, f"Alternative {number}")
    if saved_id is not None:
        console.print(f"Saved plan {saved_id}: /me/plans/{saved_id}", highlight=False)


def extract_command(
    file: Annotated[Path, typer.Argument(help="A job posting or CV (UTF-8 text); - for stdin")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """The taxonomy skills a job posting or CV mentions, most certain first."""
    try:
        text = sys.stdin.read(MAX_TEXT_CHARS + 1) if str(file) == "-" else file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{file}: cannot read it ({error.__class__.__name__})")
    with database() as db:
        found = services.extract_skills(db, text)
    if as_json:
        print("[" + ",".join(skill.model_dump_json() for skill in found) + "]")
        return
    table = Table("Skill", "Confidence", "Matched", "How")
    for skill in found:
        table.add_row(skill.label, f"{skill.confidence:.2f}", skill.phrase, skill.method)
    console.print(table)


def register(app: typer.Typer) -> None:
    from tessera.taxonomy.cli import skills_app

    app.command("plan")(plan_command)
    skills_app.command("extract")(extract_command)
