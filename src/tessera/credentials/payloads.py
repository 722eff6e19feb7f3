"""Input and output shapes of issuing (`schemas/` holds the standards' JSON Schemas)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from tessera.validation import Name

#: Data Integrity suites a stored credential may be signed with (a VC-JWT is made as well).
IssueSuite = Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"]
Did = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=500, pattern=r"^did:[a-z0-9]+:\S+$"),
]
IdempotencyKey = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100, pattern=r"^[A-Za-z0-9._:-]*$")
]


class CredentialIssue(BaseModel):
    """Issue a credential for a published microcredential to a learner."""

    model_config = ConfigDict(extra="forbid")

    microcredential_id: int = Field(ge=1)
    recipient_name: Name
    recipient_email: EmailStr
    recipient_did: Did | None = Field(
        default=None, description="The learner's DID; without it the credential names the "
        "learner by a salted hash of the email address"
    )
    valid_until: datetime | None = Field(
        default=None, description="Expiry (date-time with a time zone); none: never expires"
    )
    suite: IssueSuite = "eddsa-rdfc-2022"
    idempotency_key: IdempotencyKey = Field(
        default="", description="Issuing again with the same microcredential version, learner "
        "and key returns the credential already issued"
    )


class IssuedCredentialPublic(BaseModel):
    id: str
    url: str
    microcredential_id: int
    version: int
    title: str
    issuer_slug: str
    issuer_name: str
    issuer_did: str
    recipient_name: str
    issued_at: datetime
    valid_from: datetime
    valid_until: datetime | None
    suite: str
    verification_method: str
    downloads: dict[str, str] = Field(description="json, jwt, png and svg download URLs")


class IssuerKeyPublic(BaseModel):
    """A signing key as anyone may see it: never the secret."""

    verification_method: str
    public_key_multibase: str
    key_type: str
    created_at: datetime
    retired_at: datetime | None
    retired_reason: str | None
    current: bool


class KeyRetire(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]
    retired_at: datetime | None = Field(
        default=None, description="When the key stopped being trustworthy (default: now); "
        "proofs it made from then on fail verification"
    )


IssuedFormat = Literal["json", "jwt", "png", "svg"]
