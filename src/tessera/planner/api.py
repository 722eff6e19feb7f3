"""REST API of the planner: /api/v1/plans and /api/v1/skills/extract."""

from __future__ import annotations

from fastapi import APIRouter

from tessera.credentials.deps import IssuingDep
from tessera.learning import services as learning
from tessera.planner import services
from tessera.planner.schemas import ExtractedSkillOut, ExtractRequest, PlanRequest, PlanResultOut
from tessera.web.deps import DB, ApiActor
from tessera.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["planner"])


@router.post(
    "/skills/extract", response_model=list[ExtractedSkillOut], responses=PROBLEM_RESPONSES
)
def extract_skills(data: ExtractRequest, db: DB) -> list[ExtractedSkillOut]:
    """The taxonomy skills an English job posting or CV mentions: each with a confidence,
    the phrase that matched and where, and whether it matched by name (lexical) or by
    meaning (semantic)."""
    return services.extract_skills(db, data.text)


@router.post("/plans", response_model=PlanResultOut, responses=PROBLEM_RESPONSES)
def plan(data: PlanRequest, db: DB, actor: ApiActor, issuing: IssuingDep) -> PlanResultOut:
    """The optimal set of published microcredentials closing the gap between what the
    learner holds (credentials issued to the token's user, the skills they declared with
    PUT /api/v1/me/skills, plus `declared_skills`) and the target, in a week-by-week order,
    with up to 3 different alternatives. `already_declared` lists the held skills that no
    credential proves. Limits that cannot all be met give an `explanation` and the best
    `partial` plan, not an error. A `role_profile` target needs a token of a member of the
    employer or of a consenting member of its team (404 for anyone else)."""
    return learning.plan_for_learner(db, issuing, actor, data)
