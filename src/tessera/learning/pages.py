"""Pages of the learner's record (signed in; anyone else is sent to sign in).

- `/me/skills`: the skills the learner declared, a taxonomy search to add more (or a URI),
  and a button to remove each;
- `/me/plans`: saved plans and enrolments; `/me/plans/{id}`: one saved plan exactly as it
  was planned, with its charts, and enrolment in its first step;
- `POST /me/enrolments`, `POST /me/enrolments/{id}/withdraw`: enrol (from a plan) and
  withdraw.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import RedirectResponse, Response

from tessera.accounts.roles import Actor
from tessera.employers import services as employers
from tessera.errors import FieldProblem, InvalidInput
from tessera.learning import services
from tessera.planner.charts import result_charts
from tessera.web.csrf import csrf_protect
from tessera.web.deps import DB, PageActor
from tessera.web.form_state import FormState, one, posted_fields
from tessera.web.templating import render

router = APIRouter(include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Notice = Annotated[str | None, Query(max_length=20)]

SKILL_LABELS = {"skill_uri": "Skill"}
NOTICES = {
    "added": "Added to the skills you declared.",
    "removed": "Removed from the skills you declared.",
    "saved": "Plan saved. It stays as planned now, even when the catalog changes.",
    "deleted": "Saved plan deleted; enrolments made from it stay.",
    "enrolled": "You are enrolled.",
    "withdrawn": "You withdrew from the microcredential.",
}


# --- declared skills -------------------------------------------------------------------------


def _skills_page(
    request: Request, db: DB, actor: Actor, *, query: str = "", state: FormState | None = None,
    notice: str | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    declared = services.list_declared_skills(db, actor)
    held = {skill.uri for skill in declared}
    context: dict[str, Any] = {
        "declared": declared,
        "query": query,
        "found": [s for s in employers.find_skills(db, query) if s.uri not in held],
        "state": state or FormState(),
        "notice": NOTICES.get(notice or ""),
    }
    return render(request, "learning/skills.html", actor, context, status_code=status_code)


@router.get("/me/skills")
def skills_page(
    request: Request,
    db: DB,
    actor: PageActor,
    q: Annotated[str, Query(max_length=200)] = "",
    notice: Notice = None,
) -> Response:
    return _skills_page(request, db, actor, query=q, notice=notice)


@router.post("/me/skills", dependencies=[Depends(csrf_protect)])
async def add_skills(request: Request, db: DB, actor: PageActor) -> Response:
    services.list_declared_skills(db, actor)  # refuse anonymous before reading anything
    form = await posted_fields(request)
    typed = one(form, "skill_uri")[:500]
    uris = [uri for uri in form.get("skill", []) if uri] + ([typed] if typed else [])
    try:
        with db.begin_nested():
            services.declare_skills(db, actor, uris)
    except InvalidInput as error:
        messages = [p.message for p in error.problems] or [error.detail]
        if not uris:
            messages = ["Choose a skill from the search, or give its URI"]
        state = FormState(values={"skill_uri": typed}).refuse(
            [FieldProblem("skill_uri", message) for message in messages], SKILL_LABELS
        )
        query = one(form, "q")[:200]
        return _skills_page(request, db, actor, query=query, state=state, status_code=400)
    return RedirectResponse("/me/skills?notice=added", status_code=303)


@router.post("/me/skills/remove", dependencies=[Depends(csrf_protect)])
async def remove_skill(request: Request, db: DB, actor: PageActor) -> Response:
    form = await posted_fields(request)
    services.remove_declared_skill(db, actor, one(form, "uri")[:500])
    return RedirectResponse("/me/skills?notice=removed", status_code=303)


# --- saved plans and enrolments --------------------------------------------------------------


@router.get("/me/plans")
def plans_page(request: Request, db: DB, actor: PageActor, notice: Notice = None) -> Response:
    context = {
        "plans": services.list_saved_plans(db, actor),
        "enrolments": services.list_enrolments(db, actor),
        "notice": NOTICES.get(notice or ""),
    }
    return render(request, "learning/plans.html", actor, context)


@router.get("/me/plans/{plan_id}")
def plan_page(
    request: Request, plan_id: Id, db: DB, actor: PageActor, notice: Notice = None
) -> Response:
    saved = services.get_saved_plan(db, actor, plan_id)
    result = saved.result
    enrolments = {
        e.microcredential_id: e for e in services.list_enrolments(db, actor)
        if e.status == "enrolled"
    }  # fmt: skip
    context = {
        "saved": saved,
        "result": result,
        "shown": result.plan or result.partial,
        "charts": result_charts(result),
        "enrolments": enrolments,
        "notice": NOTICES.get(notice or ""),
    }
    return render(request, "learning/plan.html", actor, context)


@router.post("/me/plans/{plan_id}/delete", dependencies=[Depends(csrf_protect)])
def delete_plan(plan_id: Id, db: DB, actor: PageActor) -> Response:
    services.delete_saved_plan(db, actor, plan_id)
    return RedirectResponse("/me/plans?notice=deleted", status_code=303)


def _posted_id(form: dict[str, list[str]], name: str) -> int | None:
    value = one(form, name)
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) < 2**31:
        raise InvalidInput(f"Invalid {name}", [FieldProblem(name, "must be a positive id")])
    return int(value)


@router.post("/me/enrolments", dependencies=[Depends(csrf_protect)])
async def enrol(request: Request, db: DB, actor: PageActor) -> Response:
    """Enrol from a plan's page: back to the saved plan, or to My plans."""
    form = await posted_fields(request)
    microcredential_id = _posted_id(form, "microcredential_id")
    if microcredential_id is None:
        raise InvalidInput(
            "No microcredential given", [FieldProblem("microcredential_id", "required")]
        )
    saved_plan_id = _posted_id(form, "saved_plan_id")
    services.enrol(db, actor, microcredential_id, saved_plan_id)
    back = f"/me/plans/{saved_plan_id}" if saved_plan_id is not None else "/me/plans"
    return RedirectResponse(f"{back}?notice=enrolled", status_code=303)


@router.post("/me/enrolments/{enrolment_id}/withdraw", dependencies=[Depends(csrf_protect)])
def withdraw(enrolment_id: Id, db: DB, actor: PageActor) -> Response:
    services.withdraw_enrolment(db, actor, enrolment_id)
    return RedirectResponse("/me/plans?notice=withdrawn", status_code=303)


__all__ = ["router"]
