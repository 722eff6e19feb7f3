"""Input and output shapes of the learner's record (API and pages)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from tessera.catalog.schemas import SkillUri
from tessera.planner.schemas import PlanRequest, PlanResultOut
from tessera.validation import Name

EnrolmentStatusName = Literal["enrolled", "withdrawn"]
MAX_DECLARED = 300  # skills a learner may declare in all
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


class DeclaredSkillsUpdate(BaseModel):
    """The whole set of skills the learner declares (replaces the stored one)."""

    model_config = ConfigDict(extra="forbid")

    skills: Annotated[list[SkillUri], Field(max_length=MAX_DECLARED)]


class DeclaredSkillOut(BaseModel):
    uri: str
    label: str
    declared_at: datetime


class SavedPlanCreate(BaseModel):
    """A planning request to plan again and keep; the title defaults to the target's name."""

    model_config = ConfigDict(extra="forbid")

    title: Name | None = None
    request: PlanRequest


class SavedPlanSummary(BaseModel):
    id: int
    title: str
    target_label: str
    created_at: datetime
    # Of the plan (or of the best partial plan when the limits could not all be met).
    items: int
    price: Decimal | None
    currency: str
    hours: int | None
    weeks: int | None


class SavedPlanPublic(BaseModel):
    id: int
    title: str
    target_label: str
    created_at: datetime
    request: PlanRequest
    result: PlanResultOut  # exactly as planned when saved


class EnrolmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    microcredential_id: Id
    saved_plan_id: Id | None = Field(
        default=None, description="One of your saved plans this enrolment follows"
    )


class EnrolmentPublic(BaseModel):
    id: int
    microcredential_id: int
    title: str
    provider: str  # slug
    provider_name: str
    status: EnrolmentStatusName
    saved_plan_id: int | None
    enrolled_at: datetime
    withdrawn_at: datetime | None
