"""The "Plan my next step" pages: choose a target, review its skills, see the plan.

1. `/plan`: an occupation (by name) or a job posting, and the learner's limits.
2. `POST /plan/skills`: the target's skills (extracted from the posting, or the occupation's
   essential and optional ones) to keep, drop or mark essential / nice to have.
3. `POST /plan`: the optimal plan with a timeline and a coverage chart, alternatives, what
   nothing teaches, and an explanation when the limits cannot all be met.

Signed-in learners plan from what their credentials prove; anyone else from nothing.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import Response

from tessera.accounts.roles import Actor
from tessera.catalog.vocab import LANGUAGES
from tessera.credentials.deps import IssuingDep
from tessera.errors import FieldProblem, InvalidInput
from tessera.planner import services
from tessera.planner.charts import coverage_svg, timeline_svg
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
    "skills": "Skills",
    "budget": "Budget",
    "max_hours": "Most hours in all",
    "deadline_weeks": "Deadline (weeks)",
    "weekly_hours": "Hours a week",
    "objective": "What matters most",
    "languages": "Languages",
    "__root__": "Target",
}
LIMITS = ("budget", "max_hours", "deadline_weeks", "weekly_hours", "objective")
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


def _refused(
    request: Request, actor: Actor, form: dict[str, list[str]], problems: list[FieldProblem]
) -> Response:
    values: dict[str, Any] = {name: one(form, name) for name in (*LABELS, "target")}
    values["languages"] = form.get("languages", [])
    state = FormState(values=values).refuse(problems, LABELS)
    return _page(request, actor, "start.html", state, status_code=400)


@router.get("/plan")
def start(request: Request, actor: PageActor) -> Response:
    state = FormState(values={"target": "occupation", "weekly_hours": "10", "objective": "cost"})
    return _page(request, actor, "start.html", state)


@router.post("/plan/skills", dependencies=[Depends(csrf_protect)])
async def review(request: Request, db: DB, actor: PageActor) -> Response:
    form = await posted_fields(request)
    kind = one(form, "target")
    target_field = "posting" if kind == "posting" else "occupation"
    if not one(form, target_field):
        what = "paste the job posting" if kind == "posting" else "name an occupation"
        return _refused(request, actor, form, [FieldProblem(target_field, f"Please {what}")])
    try:
        plan_request = PlanRequest.model_validate(
            {target_field: one(form, target_field) or None, **_limits(form)}
        )
        target = services.build_target(db, plan_request)
    except ValidationError as error:
        return _refused(request, actor, form, field_problems(error))
    except InvalidInput as error:
        return _refused(request, actor, form, error.problems)
    limits = {k: v for k, v in _limits(form).items() if k != "languages"}
    return _page(
        request, actor, "review.html", FormState(), target=target, limits=limits,
        chosen_languages=form.get("languages", []),
    )  # fmt: skip


@router.post("/plan", dependencies=[Depends(csrf_protect)])
async def plan(request: Request, db: DB, actor: PageActor, issuing: IssuingDep) -> Response:
    form = await posted_fields(request)
    essential = set(form.get("essential", []))
    skills = [{"uri": uri, "essential": uri in essential} for uri in form.get("skill", [])]
    try:
        plan_request = PlanRequest.model_validate({"skills": skills or None, **_limits(form)})
        result = services.plan_path(db, issuing, actor, plan_request)
    except ValidationError as error:
        return _refused(request, actor, form, field_problems(error))
    except InvalidInput as error:
        return _refused(request, actor, form, error.problems)
    # The review step carries the target's name (an occupation's, or "Job posting").
    result.target.label = one(form, "target_label")[:300] or result.target.label
    shown = result.plan or result.partial
    held = [skill.uri for skill in result.already_held]
    charts = {
        "timeline": timeline_svg(shown) if shown is not None and shown.items else None,
        "coverage": coverage_svg(result.target.skills, shown, held),
    }
    return _page(
        request, actor, "result.html", FormState(), result=result, shown=shown, charts=charts,
        skills_by_uri={s.uri: s for s in result.target.skills},
    )  # fmt: skip


__all__ = ["router"]
