"""Loading the demo: organisations, users, the built-in taxonomy, a published catalog and a
few issued credentials.

Idempotent: anything already there (by organisation slug, user email, provider + title, or
microcredential + learner for a credential) is left as it is, so `make run` can load it on
every start.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from tessera.accounts import services as accounts
from tessera.catalog import services as catalog
from tessera.credentials import services as credentials
from tessera.credentials.payloads import CredentialIssue
from tessera.errors import NotFound
from tessera.taxonomy import services as taxonomy

ACTOR = accounts.OPERATOR


@dataclass
class DemoSummary:
    organisations: int = 0
    users: int = 0
    skills: int = 0
    occupations: int = 0
    microcredentials: int = 0
    endorsements: int = 0
    credentials: int = 0


def demo_catalog() -> dict[str, Any]:
    text = resources.files("tessera.demo").joinpath("data/catalog.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _exists(lookup: Any, *args: Any) -> bool:
    try:
        lookup(*args)
    except NotFound:
        return False
    return True


def load_demo(db: Session, issuing: credentials.Issuing) -> DemoSummary:
    data = demo_catalog()
    summary = DemoSummary()
    builtin = taxonomy.load_builtin_taxonomy(db)
    summary.skills = builtin.created
    summary.occupations = builtin.occupations.created

    for org in data["organisations"]:
        if not _exists(accounts.get_organisation, db, org["slug"]):
            accounts.create_organisation(db, ACTOR, org)
            summary.organisations += 1

    for user in data["users"]:
        if not _exists(accounts.get_user_by_email, db, user["email"]):
            accounts.create_user(
                db,
                ACTOR,
                {k: user[k] for k in ("email", "password", "display_name")},
                platform_admin=user.get("platform_admin", False),
            )
            summary.users += 1
        for membership in user.get("memberships", []):
            accounts.add_membership(
                db,
                ACTOR,
                {
                    "email": user["email"],
                    "organisation_slug": membership["organisation"],
                    "role": membership["role"],
                },
            )

    existing: dict[str, set[str]] = {}
    for entry in data["microcredentials"]:
        provider = entry["provider"]
        if provider not in existing:
            existing[provider] = {v.title for v in catalog.provider_catalog(db, ACTOR, provider)}
        if entry["title"] in existing[provider]:
            continue
        fields = {k: v for k, v in entry.items() if k not in ("status", "endorsements")}
        version = catalog.create_microcredential(db, ACTOR, fields)
        summary.microcredentials += 1
        if entry.get("status", "published") == "published":
            catalog.publish_microcredential(db, ACTOR, version.microcredential_id)
            for endorsement in entry.get("endorsements", []):
                catalog.add_endorsement(db, ACTOR, version.microcredential_id, endorsement)
                summary.endorsements += 1

    providers = {entry["provider"] for entry in data["credentials"]}
    ids = {
        (provider, version.title): version.microcredential_id
        for provider in providers
        for version in catalog.provider_catalog(db, ACTOR, provider)
    }
    for entry in data["credentials"]:
        request = CredentialIssue(
            microcredential_id=ids[entry["provider"], entry["title"]],
            recipient_name=entry["recipient_name"],
            recipient_email=entry["recipient_email"],
            idempotency_key="demo",
        )
        _row, created = credentials.issue_credential(db, issuing, ACTOR, request)
        summary.credentials += created
    return summary
