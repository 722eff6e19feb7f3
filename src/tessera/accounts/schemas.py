"""Input and output shapes of the accounts feature."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, StringConstraints

from tessera.accounts.roles import OrgKind, Role
from tessera.validation import CountryCode, HttpUrlStr, Name, Paragraph, Slug

Password = Annotated[str, StringConstraints(min_length=10, max_length=200)]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: Password
    display_name: Name


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    display_name: str
    is_platform_admin: bool


class OrganisationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: Slug
    name: Name
    kind: OrgKind
    country: CountryCode
    region: Name | None = None
    website: HttpUrlStr | None = None
    description: Paragraph | None = None
    quality_assurance: Paragraph | None = None
    logo_url: HttpUrlStr | None = None


class OrganisationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str
    kind: OrgKind
    country: str
    region: str | None
    website: str | None
    description: str | None
    quality_assurance: str | None
    logo_url: str | None


class MembershipCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    organisation_slug: Slug
    role: Role


class TokenCreated(BaseModel):
    token: str
    prefix: str
    name: str
    created_at: datetime
