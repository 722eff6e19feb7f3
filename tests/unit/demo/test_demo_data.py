"""The demo data shipped in the package: the Tessera skills taxonomy and the demo catalog.

Both files are content, so these tests hold them to the rules the loaders and the schemas apply
(every microcredential validates, every reference resolves) and to the promises the demo makes
(every field, role and feature has something to show, every occupation of the built-in taxonomy
can be planned towards, the employer view has a team to report on).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from functools import cache
from importlib.resources import files
from typing import Any

import pytest

from tessera.accounts.roles import OrgKind, Role
from tessera.accounts.schemas import OrganisationCreate, UserCreate
from tessera.catalog.schemas import EndorsementCreate, MicrocredentialCreate
from tessera.catalog.vocab import Field, VersionStatus
from tessera.employers.schemas import RoleProfileCreate

HEADER = ["uri", "label", "field", "skill_type", "alt_labels", "description"]
FIELDS = {f.value for f in Field if f is not Field.OTHER}
ESCO_URI = re.compile(
    r"^http://data\.europa\.eu/esco/skill/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
TESSERA_URI = re.compile(r"^https://tessera\.eu/skills/[a-z0-9]+(?:-[a-z0-9]+)*$")
LOADER_ONLY_KEYS = {"status", "endorsements", "requires"}


@cache
def skills_text() -> str:
    resource = files("tessera") / "taxonomy" / "data" / "tessera_skills.csv"
    return resource.read_text(encoding="utf-8")


@cache
def skill_rows() -> tuple[dict[str, str], ...]:
    return tuple(csv.DictReader(io.StringIO(skills_text())))


@cache
def occupation_rows() -> tuple[dict[str, str], ...]:
    resource = files("tessera") / "taxonomy" / "data" / "tessera_occupations.csv"
    return tuple(csv.DictReader(io.StringIO(resource.read_text(encoding="utf-8"))))


@cache
def catalog() -> dict[str, Any]:
    resource = files("tessera") / "demo" / "data" / "catalog.json"
    return json.loads(resource.read_text(encoding="utf-8"))


def skill_fields() -> dict[str, str]:
    return {row["uri"]: row["field"] for row in skill_rows()}


def org_slugs() -> set[str]:
    return {org["slug"] for org in catalog()["organisations"]}


def microcredentials() -> list[dict[str, Any]]:
    return catalog()["microcredentials"]


# ------------------------------------------------------------------ skills taxonomy


def test_skills_csv_has_the_expected_header() -> None:
    header = next(csv.reader(io.StringIO(skills_text())))
    assert header == HEADER


def test_skills_csv_has_a_few_hundred_skills_across_all_fields() -> None:
    rows = skill_rows()
    assert 250 <= len(rows) <= 350
    per_field = Counter(row["field"] for row in rows)
    assert set(per_field) == FIELDS
    # Roughly even: no field has fewer than half the skills of the largest one.
    assert min(per_field.values()) * 2 >= max(per_field.values())


def test_every_skill_row_is_complete_and_well_formed() -> None:
    for row in skill_rows():
        assert row["field"] in FIELDS, row
        assert row["skill_type"] in {"skill/competence", "knowledge"}, row
        assert ESCO_URI.match(row["uri"]) or TESSERA_URI.match(row["uri"]), row
        assert row["label"], row
        assert row["label"].strip() == row["label"], row
        assert row["description"].strip().endswith("."), row
        if row["alt_labels"]:
            alts = row["alt_labels"].split("|")
            assert all(alt.strip() == alt and alt for alt in alts), row
            assert row["label"] not in alts, row


def test_skill_uris_and_labels_are_unique() -> None:
    rows = skill_rows()
    uris = Counter(row["uri"] for row in rows)
    labels = Counter(row["label"].casefold() for row in rows)
    assert [uri for uri, n in uris.items() if n > 1] == []
    assert [label for label, n in labels.items() if n > 1] == []


def test_most_skills_map_to_esco() -> None:
    rows = skill_rows()
    esco = sum(1 for row in rows if ESCO_URI.match(row["uri"]))
    assert esco / len(rows) >= 0.6


# ------------------------------------------------------------------ organisations and users


def test_organisations_validate_and_cover_every_kind_of_actor() -> None:
    orgs = catalog()["organisations"]
    for org in orgs:
        OrganisationCreate.model_validate(org)
        assert org["website"].startswith("https://"), org["slug"]
        assert org["logo_url"] is None or org["logo_url"].startswith("https://"), org["slug"]
    slugs = [org["slug"] for org in orgs]
    assert len(slugs) == len(set(slugs))
    kinds = Counter(org["kind"] for org in orgs)
    for kind in (OrgKind.UNIVERSITY, OrgKind.ONLINE_PLATFORM, OrgKind.PROFESSIONAL_BODY):
        assert kinds[kind] >= 1, kind
    # An employer academy, an industry partner and a hiring employer.
    assert kinds[OrgKind.EMPLOYER] >= 3


def test_users_validate_and_reference_existing_organisations() -> None:
    users = catalog()["users"]
    emails = [user["email"] for user in users]
    assert len(emails) == len(set(emails))
    roles = {role.value for role in Role}
    for user in users:
        UserCreate.model_validate({k: user[k] for k in ("email", "password", "display_name")})
        assert user["email"].endswith("@tessera-demo.org"), user["email"]
        assert isinstance(user["platform_admin"], bool)
        for membership in user["memberships"]:
            assert membership["organisation"] in org_slugs(), membership
            assert membership["role"] in roles, membership
            assert membership["role"] != Role.PLATFORM_ADMIN, membership


def test_every_role_has_a_demo_user() -> None:
    users = catalog()["users"]
    held = {m["role"] for user in users for m in user["memberships"]}
    organisation_roles = {role.value for role in Role} - {Role.PLATFORM_ADMIN.value}
    assert organisation_roles <= held
    admins = [user for user in users if user["platform_admin"]]
    assert admins
    assert all(admin["memberships"] == [] for admin in admins)
    # Learners who belong to no organisation, the usual case.
    assert sum(1 for user in users if not user["memberships"] and not user["platform_admin"]) >= 2


# ------------------------------------------------------------------ microcredentials


@pytest.mark.parametrize("item", microcredentials(), ids=[mc["title"] for mc in microcredentials()])
def test_microcredential_validates_and_its_references_resolve(item: dict[str, Any]) -> None:
    data = {k: v for k, v in item.items() if k not in LOADER_ONLY_KEYS}
    mc = MicrocredentialCreate.model_validate(data)

    assert item["status"] in {VersionStatus.PUBLISHED, VersionStatus.DRAFT}
    assert mc.provider in org_slugs()
    assert all(partner in org_slugs() and partner != mc.provider for partner in mc.partners)
    assert 3 <= len(mc.learning_outcomes) <= 6
    assert 2 <= len(mc.modules) <= 6
    # Modules account for most of the notional workload (the rest is the assessment).
    assert sum(m.estimated_hours for m in mc.modules) >= 0.8 * mc.workload_hours
    assert 3 <= len(mc.skills) <= 10
    known = skill_fields()
    for uri in mc.skills:
        assert uri in known, uri
    # Mostly skills of its own field; a data course may also teach presenting, say.
    assert sum(1 for uri in mc.skills if known[uri] == mc.field) * 2 >= len(mc.skills)
    for raw in item["endorsements"]:
        endorsement = EndorsementCreate.model_validate(raw)
        assert endorsement.endorser in org_slugs()
        assert endorsement.endorser != mc.provider
        assert endorsement.endorsed_on is not None


def test_catalog_has_enough_microcredentials_in_every_field() -> None:
    items = microcredentials()
    assert len(items) >= 50
    per_field = Counter(mc["field"] for mc in items)
    for field in FIELDS:
        assert per_field[field] >= 7, field
    titles = [mc["title"] for mc in items]
    assert len(titles) == len(set(titles))


def test_catalog_shows_drafts_co_issuing_and_endorsements() -> None:
    items = microcredentials()
    statuses = Counter(mc["status"] for mc in items)
    assert statuses[VersionStatus.DRAFT] >= 1
    assert statuses[VersionStatus.PUBLISHED] >= 48
    assert sum(1 for mc in items if mc["partners"]) == 1
    endorsed = [mc for mc in items if mc["endorsements"]]
    assert len(endorsed) >= 9
    assert all(mc["status"] == VersionStatus.PUBLISHED for mc in endorsed)
    assert any(mc["price"] == "0.00" for mc in items)
    assert any(mc["stackable"] for mc in items)


def test_required_microcredentials_are_earlier_published_entries() -> None:
    """The loader links `requires` by provider and title: each one must be loaded (and
    published) before the entry that requires it."""
    seen: dict[tuple[str, str], str] = {}
    chains = 0
    for mc in microcredentials():
        for required in mc.get("requires", []):
            key = (required["provider"], required["title"])
            assert seen.get(key) == VersionStatus.PUBLISHED, (mc["title"], key)
            chains += 1
        seen[mc["provider"], mc["title"]] = mc["status"]
    assert chains >= 5
    assert any(
        r["provider"] != mc["provider"] for mc in microcredentials() for r in mc.get("requires", [])
    ), "one requires another provider's microcredential"


def test_every_provider_offers_something() -> None:
    providers = {mc["provider"] for mc in microcredentials()}
    kinds = {org["kind"] for org in catalog()["organisations"] if org["slug"] in providers}
    assert {OrgKind.UNIVERSITY, OrgKind.ONLINE_PLATFORM, OrgKind.EMPLOYER} <= kinds


# ------------------------------------------------------------------ the planner's targets


def published_skills() -> set[str]:
    return {
        uri
        for mc in microcredentials()
        if mc["status"] == VersionStatus.PUBLISHED
        for uri in mc["skills"]
    }


def test_every_skill_uri_of_the_demo_is_in_the_taxonomy() -> None:
    known = skill_fields()
    used = {uri for mc in microcredentials() for uri in mc["skills"]}
    used |= {skill["uri"] for profile in catalog()["role_profiles"] for skill in profile["skills"]}
    for occupation in occupation_rows():
        used |= set(occupation["essential"].split("|")) | set(occupation["optional"].split("|"))
    assert sorted(used - set(known)) == []


@pytest.mark.parametrize("occupation", occupation_rows(), ids=lambda row: row["label"])
def test_the_published_catalog_teaches_most_essential_skills_of_every_occupation(
    occupation: dict[str, str],
) -> None:
    """The planner aims at the built-in occupations: each must be (nearly) reachable."""
    essential = occupation["essential"].split("|")
    labels = {row["uri"]: row["label"] for row in skill_rows()}
    untaught = [labels[uri] for uri in essential if uri not in published_skills()]
    assert len(untaught) <= 0.2 * len(essential), untaught


# ------------------------------------------------------------------ the employer demo


def users_by_email() -> dict[str, dict[str, Any]]:
    return {user["email"]: user for user in catalog()["users"]}


def manages(email: str, slug: str) -> bool:
    """Whether the demo user may manage the organisation's role profiles and team."""
    team_managers = {Role.ORG_ADMIN.value, Role.EMPLOYER_VERIFIER.value}
    return any(
        m["organisation"] == slug and m["role"] in team_managers
        for m in users_by_email()[email]["memberships"]
    )


def test_role_profiles_validate_and_are_made_by_a_team_manager() -> None:
    profiles = catalog()["role_profiles"]
    names = [(p["organisation"], p["name"]) for p in profiles]
    assert len(names) == len(set(names))
    for profile in profiles:
        assert manages(profile["created_by"], profile["organisation"]), profile["name"]
        RoleProfileCreate.model_validate(
            {k: v for k, v in profile.items() if k not in ("organisation", "created_by")}
        )
        essential = [s["uri"] for s in profile["skills"] if s["essential"]]
        assert essential, profile["name"]
        # Every essential skill of a demo role can be planned for: some published offer
        # teaches it.
        assert set(essential) <= published_skills(), profile["name"]
    employers = {org["slug"] for org in catalog()["organisations"] if org["kind"] == "employer"}
    assert {p["organisation"] for p in profiles} <= employers
    assert sum(1 for p in profiles if p["organisation"] == "kestrel-financial") >= 2


def test_teams_invite_demo_learners_and_some_consent() -> None:
    teams = catalog()["teams"]
    for team in teams:
        assert manages(team["invited_by"], team["organisation"]), team["organisation"]
        emails = [member["email"] for member in team["members"]]
        assert len(emails) == len(set(emails))
        assert set(emails) <= set(users_by_email())
        assert all(isinstance(member["consented"], bool) for member in team["members"])
    members = [member for team in teams for member in team["members"]]
    # Consented members appear in team reports; an invited one shows that consent is needed.
    assert any(member["consented"] for member in members)
    assert any(not member["consented"] for member in members)
    with_profiles = {profile["organisation"] for profile in catalog()["role_profiles"]}
    assert {team["organisation"] for team in teams} <= with_profiles
