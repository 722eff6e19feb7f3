"""REST API of the learner's record (the bearer token's user; 401 without one).

/api/v1/me/skills                      the skills you declare: read, replace
/api/v1/me/role-profiles               the role profiles you may plan towards
/api/v1/plans/saved[/{id}]             save a plan (planned again here), list, read, delete
/api/v1/enrolments[/{id}/withdraw]     enrol (idempotent), list, withdraw
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from tessera.credentials.deps import IssuingDep
from tessera.employers.schemas import PlannableRoleProfile
from tessera.learning import services
from tessera.learning.schemas import (
    DeclaredSkillOut,
    DeclaredSkillsUpdate,
    EnrolmentCreate,
    EnrolmentPublic,
    SavedPlanCreate,
    SavedPlanPublic,
    SavedPlanSummary,
)
from tessera.web.deps import DB, ApiActor
from tessera.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["learning"])

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


# --- declared skills -------------------------------------------------------------------------


@router.get("/me/skills", response_model=list[DeclaredSkillOut], responses=PROBLEM_RESPONSES)
def declared_skills(db: DB, actor: ApiActor) -> list[DeclaredSkillOut]:
    """The skills you declared (unverified: no credential proves them). Plans count them as
    held, and say which held skills are only declared."""
    return services.list_declared_skills(db, actor)


@router.put("/me/skills", response_model=list[DeclaredSkillOut], responses=PROBLEM_RESPONSES)
def replace_declared_skills(
    data: DeclaredSkillsUpdate, db: DB, actor: ApiActor
) -> list[DeclaredSkillOut]:
    """Declare exactly these skills (taxonomy URIs); an unknown URI changes nothing."""
    return services.replace_declared_skills(db, actor, data)


@router.get(
    "/me/role-profiles", response_model=list[PlannableRoleProfile], responses=PROBLEM_RESPONSES
)
def role_profiles(db: DB, actor: ApiActor) -> list[PlannableRoleProfile]:
    """Role profiles you may plan towards (`role_profile` in POST /api/v1/plans): of the
    organisations you belong to, and of employers whose team you consented to join."""
    return services.role_profiles_to_plan(db, actor)


# --- saved plans ----------------------------------------------------------------------------


@router.post(
    "/plans/saved",
    response_model=SavedPlanPublic,
    status_code=status.HTTP_201_CREATED,
    responses=PROBLEM_RESPONSES,
)
def save_plan(
    data: SavedPlanCreate, db: DB, actor: ApiActor, issuing: IssuingDep
) -> SavedPlanPublic:
    """Plan `request` (as for POST /api/v1/plans) and keep the request and its result, to
    read later exactly as planned."""
    return services.save_plan(db, issuing, actor, data)


@router.get("/plans/saved", response_model=list[SavedPlanSummary], responses=PROBLEM_RESPONSES)
def list_saved_plans(db: DB, actor: ApiActor) -> list[SavedPlanSummary]:
    """Your saved plans, newest first, with the totals of each."""
    return services.list_saved_plans(db, actor)


@router.get(
    "/plans/saved/{plan_id}", response_model=SavedPlanPublic, responses=PROBLEM_RESPONSES
)
def get_saved_plan(plan_id: Id, db: DB, actor: ApiActor) -> SavedPlanPublic:
    return services.get_saved_plan(db, actor, plan_id)


@router.delete(
    "/plans/saved/{plan_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=PROBLEM_RESPONSES,
)
def delete_saved_plan(plan_id: Id, db: DB, actor: ApiActor) -> Response:
    """Delete a saved plan; enrolments made from it stay."""
    services.delete_saved_plan(db, actor, plan_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- enrolments ------------------------------------------------------------------------------


@router.post(
    "/enrolments",
    response_model=EnrolmentPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**PROBLEM_RESPONSES, 200: {"description": "Already enrolled: the same enrolment"}},
)
def enrol(data: EnrolmentCreate, response: Response, db: DB, actor: ApiActor) -> EnrolmentPublic:
    """Enrol in a published microcredential (201), optionally following one of your saved
    plans. Enrolling again answers 200 with the same enrolment, re-activated if you had
    withdrawn."""
    enrolment, created = services.enrol(db, actor, data.microcredential_id, data.saved_plan_id)
    if not created:
        response.status_code = status.HTTP_200_OK
    return enrolment


@router.get("/enrolments", response_model=list[EnrolmentPublic], responses=PROBLEM_RESPONSES)
def list_enrolments(db: DB, actor: ApiActor) -> list[EnrolmentPublic]:
    """Your enrolments: current ones first."""
    return services.list_enrolments(db, actor)


@router.post(
    "/enrolments/{enrolment_id}/withdraw",
    response_model=EnrolmentPublic,
    responses=PROBLEM_RESPONSES,
)
def withdraw(enrolment_id: Id, db: DB, actor: ApiActor) -> EnrolmentPublic:
    """Withdraw (again: no change)."""
    return services.withdraw_enrolment(db, actor, enrolment_id)


__all__ = ["router"]
