"""Compose an Open Badges 3.0 `OpenBadgeCredential` for a micro-credential: pure data in, JSON out.

The EU Council Recommendation's elements map to OB 3.0 fields where one fits (title -> name,
ECTS -> creditsAvailable, EQF level and skills -> alignment, grading -> resultDescription,
languages -> inLanguage, awarding body -> issuer, learner -> credentialSubject, date of issue
-> validFrom/awardedDate); the rest go in an `EUMicroCredentialDetails` node under
`achievement.euMicroCredential`, defined by our extension context (TESSERA_CONTEXT_URL).
Co-issuing partners are named in `achievement.creator` (the first partner) and listed in
`euMicroCredential.awardingBody` together with the issuer. The output validates against the
OB 3.0 AchievementCredential JSON Schema and passes the strict JSON-LD check (tested).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from tessera.credentials.contexts import CREDENTIALS_V2_URL, OB_V3P0_URL, TESSERA_CONTEXT_URL

__all__ = [
    "Achievement",
    "IssuerProfile",
    "Recipient",
    "Skill",
    "compose_achievement_credential",
    "identity_hash",
]

CONTEXT: Final = [CREDENTIALS_V2_URL, OB_V3P0_URL, TESSERA_CONTEXT_URL]
EQF_URI: Final = "http://data.europa.eu/snb/eqf/"
EQF_FRAMEWORK: Final = "European Qualifications Framework"
#: EU element keys accepted in `Achievement.eu_elements` (terms of the extension context)
EU_ELEMENT_TERMS: Final = frozenset(
    {
        "workloadHours", "eqfLevel", "nqfLevel", "assessmentType", "participationMode", "pacing",
        "qualityAssurance", "supervisionLevel", "identityVerification", "prerequisites",
        "gradingScheme", "stackable", "stackableTowards", "learningOutcomes", "awardingBody",
        "countryOfIssuer", "furtherInformation",
    }
)  # fmt: skip


class CompositionError(ValueError):
    """The inputs cannot make a valid credential (the message says which field)."""


@dataclass(frozen=True)
class IssuerProfile:
    id: str  # the provider's DID
    name: str
    url: str | None = None
    image: str | None = None
    email: str | None = None
    address_country: str | None = None  # ISO 3166-1 alpha-2, e.g. "NL"


@dataclass(frozen=True)
class Skill:
    uri: str  # ESCO (or O*NET) URI
    label: str
    framework_name: str = "ESCO"
    code: str | None = None


@dataclass(frozen=True)
class Achievement:
    id: str
    name: str
    description: str
    criteria_narrative: str
    image: str | None = None
    skills: Sequence[Skill] = ()
    eqf_level: int | None = None
    ects: float | None = None
    field_of_study: str | None = None
    languages: Sequence[str] = ()  # BCP 47, e.g. "en", "nl"
    human_code: str | None = None
    grading: str | None = None  # how results are expressed, e.g. "Pass/fail"
    grading_values: Sequence[str] = ()  # allowed values, e.g. ("Pass", "Fail")
    eu_elements: Mapping[str, Any] = field(default_factory=dict)
    partners: Sequence[IssuerProfile] = ()  # co-issuers


@dataclass(frozen=True)
class Recipient:
    """A learner: a DID, or an email address that goes into the credential only hashed."""

    did: str | None = None
    email: str | None = None
    salt: str | None = None  # random if not given; keep it to prove the email later


def identity_hash(identity: str, salt: str) -> str:
    """OB 3.0 IdentityHash: `sha256$` + hex SHA-256 of identity + salt (UTF-8)."""
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


def _profile(profile: IssuerProfile) -> dict[str, Any]:
    out: dict[str, Any] = {"id": profile.id, "type": ["Profile"], "name": profile.name}
    if profile.url:
        out["url"] = profile.url
    if profile.image:
        out["image"] = {"id": profile.image, "type": "Image"}
    if profile.email:
        out["email"] = profile.email
    if profile.address_country:
        out["address"] = {"type": ["Address"], "addressCountryCode": profile.address_country}
    return out


def _subject(recipient: Recipient) -> dict[str, Any]:
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if recipient.did:
        subject["id"] = recipient.did
    elif recipient.email:
        salt = recipient.salt or secrets.token_hex(16)
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(recipient.email.strip().lower(), salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }
        ]
    else:
        raise CompositionError("recipient: give a DID or an email address")
    return subject


def _alignments(achievement: Achievement) -> list[dict[str, Any]]:
    alignments = []
    for skill in achievement.skills:
        alignment: dict[str, Any] = {
            "type": ["Alignment"],
            "targetName": skill.label,
            "targetUrl": skill.uri,
            "targetFramework": skill.framework_name,
            "targetType": "ceasn:Competency",
        }
        if skill.code:
            alignment["targetCode"] = skill.code
        alignments.append(alignment)
    if achievement.eqf_level is not None:
        alignments.append(
            {
                "type": ["Alignment"],
                "targetName": f"EQF level {achievement.eqf_level}",
                "targetUrl": f"{EQF_URI}{achievement.eqf_level}",
                "targetFramework": EQF_FRAMEWORK,
                "targetCode": str(achievement.eqf_level),
            }
        )
    return alignments


def _eu_details(achievement: Achievement, issuer: IssuerProfile) -> dict[str, Any] | None:
    unknown = set(achievement.eu_elements) - EU_ELEMENT_TERMS
    if unknown:
        raise CompositionError(f"eu_elements: unknown element(s) {sorted(unknown)}")
    details: dict[str, Any] = {"type": "EUMicroCredentialDetails"}
    details.update({k: v for k, v in achievement.eu_elements.items() if v not in (None, "", [])})
    if achievement.eqf_level is not None:
        details.setdefault("eqfLevel", achievement.eqf_level)
    if issuer.address_country:
        details.setdefault("countryOfIssuer", issuer.address_country)
    if achievement.partners and "awardingBody" not in details:
        details["awardingBody"] = [issuer.id, *(p.id for p in achievement.partners)]
    return details if len(details) > 1 else None


def _achievement(achievement: Achievement, issuer: IssuerProfile) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": achievement.id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria_narrative},
    }
    if achievement.image:
        out["image"] = {"id": achievement.image, "type": "Image"}
    alignments = _alignments(achievement)
    if alignments:
        out["alignment"] = alignments
    if achievement.ects is not None:
        if achievement.ects < 0:
            raise CompositionError("ects: must not be negative")
        out["creditsAvailable"] = achievement.ects
    if achievement.field_of_study:
        out["fieldOfStudy"] = achievement.field_of_study
    if achievement.languages:
        # OB 3.0 has one inLanguage per achievement: the first is the language of instruction.
        out["inLanguage"] = achievement.languages[0]
    if achievement.human_code:
        out["humanCode"] = achievement.human_code
    if achievement.grading:
        description: dict[str, Any] = {
            "id": f"{achievement.id}#result",
            "type": ["ResultDescription"],
            "name": achievement.grading,
            "resultType": "LetterGrade" if achievement.grading_values else "Status",
        }
        if achievement.grading_values:
            description["allowedValue"] = list(achievement.grading_values)
        out["resultDescription"] = [description]
    if achievement.partners:
        out["creator"] = _profile(achievement.partners[0])
    details = _eu_details(achievement, issuer)
    if details is not None:
        out["euMicroCredential"] = details
    return out


def compose_achievement_credential(
    *,
    credential_id: str,
    issuer: IssuerProfile,
    achievement: Achievement,
    recipient: Recipient,
    valid_from: str,
    valid_until: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential (JSON-ready dict) for `recipient` earning `achievement`.

    `valid_from` / `valid_until` are ISO 8601 date-times with a time zone (e.g. ...Z).
    """
    for label, value in (("credential_id", credential_id), ("issuer.id", issuer.id),
                         ("achievement.id", achievement.id)):  # fmt: skip
        if ":" not in value:
            raise CompositionError(f"{label}: {value!r} is not an absolute IRI")
    credential: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name or achievement.name,
        "issuer": _profile(issuer),
        "validFrom": valid_from,
    }
    if valid_until:
        credential["validUntil"] = valid_until
    subject = _subject(recipient)
    subject["achievement"] = _achievement(achievement, issuer)
    credential["credentialSubject"] = subject
    credential["awardedDate"] = valid_from
    return credential
