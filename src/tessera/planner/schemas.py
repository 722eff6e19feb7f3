"""Input and output shapes of the planner's API, pages and CLI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tessera.catalog.schemas import Language, SkillUri
from tessera.catalog.vocab import ParticipationMode
from tessera.planner.extraction import MAX_TEXT_CHARS
from tessera.validation import CurrencyCode, Slug

ObjectiveName = Literal["cost", "hours", "time"]


class TargetSkillIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    uri: SkillUri
    essential: bool = True


TARGET_KINDS = ("occupation", "posting", "skills", "role_profile")


class PlanRequest(BaseModel):
    """A target (exactly one of `occupation`, `posting`, `skills`, `role_profile`) and the
    learner's limits."""

    model_config = ConfigDict(extra="forbid")

    occupation: Annotated[str, Field(min_length=2, max_length=500)] | None = Field(
        default=None, description="An occupation's id, URI or name (the best match is taken)"
    )
    posting: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)] | None = Field(
        default=None, description="A job posting in English: its skills are extracted"
    )
    skills: Annotated[list[TargetSkillIn], Field(min_length=1, max_length=300)] | None = None
    role_profile: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = Field(
        default=None,
        description="A role profile of your employer (you are a member of the organisation, "
        "or a consenting member of its team): its skills, essential or nice to have, and its "
        "minimum EQF level unless `min_eqf` is given",
    )
    declared_skills: Annotated[list[SkillUri], Field(max_length=300)] = Field(
        default_factory=list, description="Skills the learner says they have (unverified)"
    )
    budget: Annotated[Decimal, Field(ge=0, le=1_000_000)] | None = None
    max_hours: Annotated[int, Field(ge=1, le=20_000)] | None = None
    deadline_weeks: Annotated[int, Field(ge=1, le=520)] | None = None
    weekly_hours: Annotated[int, Field(ge=1, le=80)] = 10
    languages: Annotated[list[Language], Field(max_length=20)] = Field(default_factory=list)
    modes: Annotated[list[ParticipationMode], Field(max_length=3)] = Field(default_factory=list)
    max_eqf: Annotated[int, Field(ge=1, le=8)] | None = None
    min_eqf: Annotated[int, Field(ge=1, le=8)] | None = Field(
        default=None,
        description="A role's level: microcredentials whose stated EQF level is lower teach "
        "none of the target's skills, though they may be taken as prerequisites (those that "
        "state no level count)",
    )
    providers: Annotated[list[Slug], Field(max_length=50)] = Field(default_factory=list)
    exclude_providers: Annotated[list[Slug], Field(max_length=50)] = Field(default_factory=list)
    objective: ObjectiveName = "cost"
    nice_to_have_value: Annotated[float, Field(ge=0, le=1_000_000)] = Field(
        default=0.0, description="What covering one nice-to-have skill is worth, in the "
        "objective's unit (currency, hours or weeks); 0 ignores nice-to-have skills"
    )
    currency: CurrencyCode = Field(
        default="EUR",
        description="The plan's currency: prices in others are converted at the stored "
        "exchange rates (offers in a currency without a rate are left out)",
    )
    alternatives: Annotated[int, Field(ge=0, le=3)] = 3

    @model_validator(mode="after")
    def _one_target(self) -> PlanRequest:
        given = [n for n in TARGET_KINDS if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one target: occupation, posting, skills or role_profile"
            )
        if self.min_eqf is not None and self.max_eqf is not None and self.min_eqf > self.max_eqf:
            raise ValueError("min_eqf must not be above max_eqf")
        return self


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]


class SkillOut(BaseModel):
    uri: str
    label: str
    essential: bool = True


class ExtractedSkillOut(BaseModel):
    uri: str
    label: str
    confidence: float
    phrase: str
    start: int
    end: int
    method: str


class PlanItemOut(BaseModel):
    microcredential_id: int
    title: str
    provider: str  # slug
    provider_name: str = ""  # empty in plans saved before names were kept
    price: Decimal  # in the plan's currency (converted when the provider's differs)
    # The provider's own price; None in plans saved before prices were converted.
    listed_price: Decimal | None = None
    listed_currency: str | None = None
    hours: int
    weeks: int
    start_week: int
    end_week: int
    stage: int
    covers: list[SkillOut]


class PlanOut(BaseModel):
    items: list[PlanItemOut]
    price: Decimal
    currency: str
    hours: int
    weeks: int
    ects: Decimal | None
    essential_covered: list[SkillOut]
    essential_missing: list[SkillOut]
    nice_to_have_covered: list[SkillOut]
    pathways: list[str]
    optimal: bool


class LimitOut(BaseModel):
    limit: str
    value: Decimal
    needed: Decimal
    message: str


class ExplanationOut(BaseModel):
    message: str
    binding: list[LimitOut]


class TargetOut(BaseModel):
    source: Literal["occupation", "posting", "skills", "role_profile"]
    label: str
    skills: list[SkillOut]


class PlanResultOut(BaseModel):
    target: TargetOut
    # Target skills the learner holds: proven by their credentials, or declared.
    already_held: list[SkillOut]
    # Those of `already_held` the learner only declared (no credential of theirs proves them).
    already_declared: list[SkillOut] = Field(default_factory=list)
    uncoverable: list[SkillOut]
    plan: PlanOut | None
    alternatives: list[PlanOut]
    explanation: ExplanationOut | None
    partial: PlanOut | None
    candidates_considered: int
    # Offers priced in a currency without an exchange rate: not considered.
    left_out_no_rate: int = 0
    # Whether prices in other currencies were converted, and at which rates (the oldest date
    # of the rates used, and their source). Defaults keep plans saved earlier loading.
    converted: bool = False
    rates_as_of: date | None = None
    rates_source: str | None = None
