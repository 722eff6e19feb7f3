"""Pydantic output schemas of the skills taxonomy (it takes no input besides imports)."""

from __future__ import annotations

from pydantic import BaseModel


class FrameworkPublic(BaseModel):
    slug: str
    name: str
    version: str
    uri: str
    skills: int
    occupations: int


class SkillPublic(BaseModel):
    uri: str
    label: str
    framework: str
    skill_type: str
    alt_labels: list[str]
    description: str


class SkillPage(BaseModel):
    items: list[SkillPublic]
    total: int
    page: int
    page_size: int


class OccupationSkillPublic(BaseModel):
    """A skill as an occupation needs it; importance (1-5) where the source rates it (O*NET)."""

    uri: str
    label: str
    framework: str
    skill_type: str
    importance: float | None


class OccupationSummary(BaseModel):
    id: int
    uri: str
    label: str
    framework: str
    code: str | None
    group_code: str | None
    group_label: str | None
    alt_labels: list[str]
    description: str


class OccupationPublic(OccupationSummary):
    essential_skills: list[OccupationSkillPublic]
    optional_skills: list[OccupationSkillPublic]


class OccupationPage(BaseModel):
    items: list[OccupationSummary]
    total: int
    page: int
    page_size: int
