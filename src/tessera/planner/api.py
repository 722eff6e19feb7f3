"""REST API of the planner: /api/v1/plans and /api/v1/skills/extract."""

from __future__ import annotations

from fastapi import APIRouter

from tessera.credentials.deps import IssuingDep
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
    learner holds (credentials issued to the token's user, plus `declared_skills`) and the
    target, in a week-by-week order, with up to 3 different alternatives. Limits that cannot
    all be met give an `explanation` and the best `partial` plan, not an error."""
    return services.plan_path(db, issuing, actor, data)
