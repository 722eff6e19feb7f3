"""REST API of the skills taxonomy: /api/v1/skills, /api/v1/occupations, /api/v1/skill-frameworks.

Read-only and public: a taxonomy is reference data, the same for every caller.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from tessera.taxonomy import services
from tessera.taxonomy.schemas import (
    FrameworkPublic,
    OccupationPage,
    OccupationPublic,
    SkillPage,
    SkillPublic,
)
from tessera.web.deps import DB

router = APIRouter(prefix="/api/v1", tags=["skills"])

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {"application/problem+json": {}}}
    for code, text in ((404, "Not found"), (422, "Invalid input"))
}

Text = Annotated[
    str, Query(max_length=200, description="Words to find in labels and alternative labels")
]
FrameworkSlug = Annotated[
    str | None, Query(max_length=32, description="Framework slug: esco, onet, tessera...")
]
Page = Annotated[int, Query(ge=1, le=10_000)]
PageSize = Annotated[int, Query(ge=1, le=100)]
# Integer ids are 32-bit on PostgreSQL: a larger one is invalid, not an error of ours.
OccupationId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Uri = Annotated[str, Query(min_length=1, max_length=500, description="The concept's URI")]


@router.get("/skills", response_model=SkillPage, responses=PROBLEM_RESPONSES)
def search_skills(
    db: DB, q: Text = "", framework: FrameworkSlug = None, page: Page = 1, page_size: PageSize = 20
) -> SkillPage:
    """Skills whose labels contain every word of `q`; exact and prefix matches first."""
    items, total = services.search_skills(db, q, framework, page, page_size)
    return SkillPage(items=items, total=total, page=page, page_size=page_size)


@router.get("/skills/lookup", response_model=SkillPublic, responses=PROBLEM_RESPONSES)
def lookup_skill(db: DB, uri: Uri) -> SkillPublic:
    """One skill by its URI (URIs contain slashes, so they travel as a query parameter)."""
    return services.get_skill(db, uri)


@router.get("/occupations", response_model=OccupationPage, responses=PROBLEM_RESPONSES)
def search_occupations(
    db: DB, q: Text = "", framework: FrameworkSlug = None, page: Page = 1, page_size: PageSize = 20
) -> OccupationPage:
    """Occupations whose labels contain every word of `q`; exact and prefix matches first."""
    items, total = services.search_occupations(db, q, framework, page, page_size)
    return OccupationPage(items=items, total=total, page=page, page_size=page_size)


@router.get("/occupations/lookup", response_model=OccupationPublic, responses=PROBLEM_RESPONSES)
def lookup_occupation(db: DB, uri: Uri) -> OccupationPublic:
    """One occupation by its URI, with its essential and optional skills."""
    return services.get_occupation(db, uri)


@router.get(
    "/occupations/{occupation_id}", response_model=OccupationPublic, responses=PROBLEM_RESPONSES
)
def get_occupation(db: DB, occupation_id: OccupationId) -> OccupationPublic:
    """One occupation with its essential and optional skills."""
    return services.get_occupation(db, occupation_id)


@router.get("/skill-frameworks", response_model=list[FrameworkPublic])
def list_frameworks(db: DB) -> list[FrameworkPublic]:
    """The skill frameworks held, with their versions and sizes."""
    return services.list_frameworks(db)
