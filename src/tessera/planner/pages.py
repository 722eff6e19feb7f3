"""The "Plan my next step" pages: choose a target, review its skills, see the plan.

1. `/plan`: an occupation (by name), a job posting or (signed in) a role profile of the
   learner's employer, and the learner's limits.
2. `POST /plan/skills`: the target's skills (extracted from the posting, or the occupation's
   or the role's essential and optional ones) to keep, drop or mark essential / nice to have.
3. `POST /plan`: the optimal plan with a timeline and a coverage chart, alternatives, what
   nothing teaches, and an explanation when the limits cannot all be met; signed in, forms to
   save the plan (`POST /plan/save`, planned again there) and to enrol in its first step.

Signed-in learners plan from what their credentials prove and the skills they declared
(`learning.services.plan_for_learner`); anyone else from nothing.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from tessera.accounts.roles import Actor
from tessera.catalog.vocab import LANGUAGES
from tessera.credentials.deps import IssuingDep
from tessera.errors import FieldProblem, InvalidInput, NotFound
from tessera.exchange import services as exchange
from tessera.learning import services as learning
from tessera.planner.charts import result_charts
from tessera.planner.schemas import PlanRequest
from tessera.validation import field_problems
from tessera.web.csrf import csrf_protect
from tessera.web.deps import DB, PageActor
from tessera.web.form_state import FormState, one, posted_fields
from tessera.web.templating import render

router = APIRouter(include_in_schema=False)

LABELS = {
    "occupation": "Occupation",
    "posting": "Job posting",
    "role_profile": "Role",
    "skills": "Skills",
    "budget": "Budget",
    "max_hours": "Most hours in all",
    "deadline_weeks": "Deadline (weeks)",
    "weekly_hours": "Hours a week",
    "objective": "What matters most",
    "languages": "Languages",
    "min_eqf": "Minimum EQF level",
    "currency": "Currency",
    "__root__": "Target",
}
# Carried from step to step (min_eqf: a role's minimum level, set by the review step).
LIMITS = (
    "budget", "max_hours", "deadline_weeks", "weekly_hours", "objective", "min_eqf", "currency",
)  # fmt: skip
TARGET_FIELDS = {"occupation": "occupation", "posting": "posting", "role": "role_profile"}
PROMPTS = {
    "occupation": "name an occupation",
    "posting": "paste the job posting",
    "role_profile": "choose a role",
}
OBJECTIVES = (("cost", "Least cost"), ("hours", "Fewest hours"), ("time", "Soonest finish"))


def _limits(form: dict[str, list[str]]) -> dict[str, Any]:
    values: dict[str, Any] = {name: one(form, name) or None for name in LIMITS}
    values["languages"] = [code for code in form.get("languages", []) if code]
    return {key: value for key, value in values.items() if value not in (None, [])}


def _page(
    request: Request, actor: Actor, template: str, state: FormState, status_code: int = 200,
    **context: Any,
) -> Response:  # fmt: skip
    context.update(state=state, objectives=OBJECTIVES, languages=sorted(LANGUAGES.items()))
    return render(request, f"planner/{template}", actor, context, status_code=status_code)


def _start(
    request: Request, db: Session, actor: Actor, state: FormState, status_code: int = 200
) -> Response:
    profiles = learning.role_profiles_to_plan(db, actor) if actor.is_authenticated else []
    roles = [(str(p.id), f"{p.name} ({p.organisation_name})") for p in profiles]
    currencies = [(code, code) for code in exchange.priceable_currencies(db)]
    return _page(
        request, actor, "start.html", state, status_code, roles=roles, currencies=currencies
    )


def _refused(
    request: Request, db: Session, actor: Actor, form: dict[str, list[str]],
    problems: list[FieldProblem],
) -> Response:  # fmt: skip
    values: dict[str, Any] = {name: one(form, name) for name in (*LABELS, "target")}
    values["languages"] = form.get("languages", [])
    state = FormState(values=values).refuse(problems, LABELS)
    return _start(request, db, actor, state, status_code=400)


@router.get("/plan")
def start(request: Request, db: DB, actor: PageActor) -> Response:
    state = FormState(values={
        "target": "occupation", "weekly_hours": "10", "objective": "cost", "currency": "EUR",
    })  # fmt: skip
    return _start(request, db, actor, state)


@router.post("/plan/skills", dependencies=[Depends(csrf_protect)])
async def review(request: Request, db: DB, actor: PageActor) -> Response:
    form = await posted_fields(request)
    target_field = TARGET_FIELDS.get(one(form, "target"), "occupation")
    if not one(form, target_field):
        problem = FieldProblem(target_field, f"Please {PROMPTS[target_field]}")
        return _refused(request, db, actor, form, [problem])
    try:
        plan_request = PlanRequest.model_validate(
            {target_field: one(form, target_field), **_limits(form)}
        )
        found = learning.build_target(db, actor, plan_request)
    except ValidationError as error:
        return _refused(request, db, actor, form, field_problems(error))
    except InvalidInput as error:
        return _refused(request, db, actor, form, error.problems)
    except NotFound:  # a role the learner may not plan towards: as if it did not exist
        problem = FieldProblem("role_profile", "Please choose one of the roles listed")
        return _refused(request, db, actor, form, [problem])
    limits = {k: v for k, v in _limits(form).items() if k != "languages"}
    if found.min_eqf is not None:
        limits.setdefault("min_eqf", str(found.min_eqf))
    return _page(
        request, actor, "review.html", FormState(), target=found.target, limits=limits,
        chosen_languages=form.get("languages", []),
    )  # fmt: skip


def _plan_request(form: dict[str, list[str]]) -> PlanRequest:
    """The request the review step (or the result page's save form) posts: the skills kept,
    which of them are essential, and the limits."""
    essential = set(form.get("essential", []))
    skills = [{"uri": uri, "essential": uri in essential} for uri in form.get("skill", [])]
    return PlanRequest.model_validate({"skills": skills or None, **_limits(form)})


def _carried(form: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The posted fields that make the request again, for the result page's save form."""
    names = ("target_label", "skill", "essential", "languages", *LIMITS)
    return [(name, value) for name in names for value in form.get(name, []) if value]


def _result(
    request: Request, db: Session, actor: Actor, issuing: IssuingDep, form: dict[str, list[str]],
    state: FormState | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    """Plan the posted request and show the result (`state`: the save form's, when refused)."""
    try:
        result = learning.plan_for_learner(db, issuing, actor, _plan_request(form))
    except ValidationError as error:
        return _refused(request, db, actor, form, field_problems(error))
    except InvalidInput as error:
        return _refused(request, db, actor, form, error.problems)
    # The review step carries the target's name (an occupation's, a role's or "Job posting").
    result.target.label = one(form, "target_label")[:300] or result.target.label
    return _page(
        request, actor, "result.html", state or FormState(), status_code, result=result,
        shown=result.plan or result.partial, charts=result_charts(result),
        carried=_carried(form), enrolled=learning.enrolled_in(db, actor),
    )  # fmt: skip


@router.post("/plan", dependencies=[Depends(csrf_protect)])
async def plan(request: Request, db: DB, actor: PageActor, issuing: IssuingDep) -> Response:
    return _result(request, db, actor, issuing, await posted_fields(request))


@router.post("/plan/save", dependencies=[Depends(csrf_protect)])
async def save(request: Request, db: DB, actor: PageActor, issuing: IssuingDep) -> Response:
    """Save the plan shown: the request is planned again, never taken from the page."""
    form = await posted_fields(request)
    title = one(form, "title")
    try:
        plan_request = _plan_request(form)
        with db.begin_nested():  # a refused plan leaves nothing behind
            saved = learning.save_plan(
                db, issuing, actor, {"title": title or None, "request": plan_request},
                target_label=one(form, "target_label"),
            )  # fmt: skip
    except ValidationError as error:
        problems = field_problems(error)
    except InvalidInput as error:
        problems = error.problems
    else:
        return RedirectResponse(f"/me/plans/{saved.id}?notice=saved", status_code=303)
    if problems and all(p.field.split(".")[0] == "title" for p in problems):
        # Only the name is wrong: the plan again, with the message beside the name.
        state = FormState(values={"title": title[:1000]}).refuse(problems, {"title": "Name"})
        return _result(request, db, actor, issuing, form, state, status_code=400)
    return _refused(request, db, actor, form, problems)


__all__ = ["router"]
