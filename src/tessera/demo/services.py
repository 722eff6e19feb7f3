"""Loading the demo: organisations, users, the built-in taxonomy, a published catalog, a few
issued credentials, employers' role profiles and teams, and demo exchange rates (so plans in
euros consider the catalog's prices in other currencies).

Idempotent: anything already there (by organisation slug, user email, provider + title,
microcredential + learner for a credential, organisation + name for a role profile,
organisation + email for a team member, or an exchange rate by currency, so imported real
rates are never replaced by demo ones) is left as it is, so `make run` can load it on every
start. A microcredential's required ones are linked when it is created.

The employer demo is made by the people who would make it: a role profile by the employer's
admin or verifier named in `created_by`, an invitation by the one named in `invited_by`, and
consent by the invited learner themselves (with the invitation's token, as on the consent page).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from tessera.accounts import services as accounts
from tessera.accounts.roles import Actor
from tessera.catalog import services as catalog
from tessera.credentials import services as credentials
from tessera.credentials.payloads import CredentialIssue
from tessera.employers import services as employers
from tessera.errors import NotFound
from tessera.exchange import services as exchange
from tessera.taxonomy import services as taxonomy

ACTOR = accounts.OPERATOR
# Keys of a demo microcredential that tell the loader what to do, not fields of the schema:
# `requires` names required microcredentials by provider and title (ids differ per database).
LOADER_ONLY_KEYS = frozenset({"status", "endorsements", "requires"})


@dataclass
class DemoSummary:
    organisations: int = 0
    users: int = 0
    skills: int = 0
    occupations: int = 0
    microcredentials: int = 0
    endorsements: int = 0
    credentials: int = 0
    role_profiles: int = 0
    team_members: int = 0
    exchange_rates: int = 0


def demo_catalog() -> dict[str, Any]:
    text = resources.files("tessera.demo").joinpath("data/catalog.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def demo_rates() -> dict[str, Any]:
    text = resources.files("tessera.demo").joinpath("data/exchange_rates.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _load_rates(db: Session, summary: DemoSummary) -> None:
    data = demo_rates()
    rates = [
        {"currency": code, "per_euro": value, "as_of": data["as_of"], "source": data["source"]}
        for code, value in data["per_euro"].items()
    ]
    summary.exchange_rates = exchange.set_rates(db, ACTOR, rates, replace=False).created


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

    known: dict[tuple[str, str], int] = {}  # (provider, title) -> microcredential id
    looked_up: set[str] = set()
    for entry in data["microcredentials"]:
        provider = entry["provider"]
        requires = entry.get("requires", [])
        for slug in {provider, *(r["provider"] for r in requires)} - looked_up:
            known.update(
                ((slug, v.title), v.microcredential_id)
                for v in catalog.provider_catalog(db, ACTOR, slug)
            )
            looked_up.add(slug)
        if (provider, entry["title"]) in known:
            continue
        fields = {k: v for k, v in entry.items() if k not in LOADER_ONLY_KEYS}
        # Required ones come earlier in the file, so they are loaded (and published) by now.
        fields["required_microcredentials"] = [known[r["provider"], r["title"]] for r in requires]
        version = catalog.create_microcredential(db, ACTOR, fields)
        known[provider, entry["title"]] = version.microcredential_id
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

    _load_employers(db, data, summary)
    _load_rates(db, summary)
    return summary


def _user_actor(db: Session, email: str) -> Actor:
    return accounts.actor_for_user(db, accounts.get_user_by_email(db, email).id)


def _load_employers(db: Session, data: dict[str, Any], summary: DemoSummary) -> None:
    for entry in data.get("role_profiles", []):
        manager = _user_actor(db, entry["created_by"])
        slug = entry["organisation"]
        if entry["name"] in {p.name for p in employers.list_role_profiles(db, manager, slug)}:
            continue
        fields = {k: v for k, v in entry.items() if k not in ("organisation", "created_by")}
        employers.create_role_profile(db, manager, slug, fields)
        summary.role_profiles += 1

    for team in data.get("teams", []):
        manager = _user_actor(db, team["invited_by"])
        slug = team["organisation"]
        # Anyone already on the team (invited, consented or withdrawn) keeps their answer.
        on_team = {member.email for member in employers.list_team(db, manager, slug)}
        for member in team["members"]:
            if member["email"].lower() in on_team:
                continue
            token, _public = employers.invite_member(db, manager, slug, {"email": member["email"]})
            summary.team_members += 1
            if member["consented"]:
                employers.consent(db, _user_actor(db, member["email"]), token)
