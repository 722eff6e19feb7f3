"""Use cases of the catalog: describe, version, publish and retire microcredentials; search.

Authorization lives here: `access_*` functions load with a permission check, so the API,
the pages and the CLI all enforce the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tessera.accounts import services as accounts
from tessera.accounts.roles import CATALOG_EDITORS, CATALOG_READERS, Actor, Role, require_role
from tessera.catalog import prerequisites, relations
from tessera.catalog import search as search_index
from tessera.catalog.models import (
    Endorsement,
    Microcredential,
    MicrocredentialVersion,
    VersionSkill,
)
from tessera.catalog.schemas import (
    EndorsementCreate,
    EndorsementPublic,
    MicrocredentialCreate,
    MicrocredentialPublic,
    MicrocredentialRef,
    MicrocredentialUpdate,
    ModulePublic,
    OrganisationRef,
    PublicHeading,
    PublishedOffer,
    SearchResults,
    SkillRef,
)
from tessera.catalog.search.query import SearchQuery
from tessera.catalog.vocab import VersionStatus
from tessera.db import utcnow
from tessera.errors import (
    AuthenticationRequired,
    Conflict,
    FieldProblem,
    NotFound,
    PermissionDenied,
)
from tessera.taxonomy import services as taxonomy
from tessera.validation import parse

# Fields of a version copied into a new draft; `relations` copies the rest.
_COPIED = (
    "title",
    "country",
    "region",
    "learning_outcomes",
    "workload_hours",
    "ects_credits",
    "eqf_level",
    "assessment_type",
    "assessment_description",
    "participation_mode",
    "pacing",
    "quality_assurance",
    "prerequisites",
    "supervision",
    "grading_scheme",
    "stackable",
    "stackable_towards",
    "further_information",
    "short_description",
    "field",
    "languages",
    "price",
    "currency",
    "duration_weeks",
    "image_url",
)


# --- permissions ---------------------------------------------------------------------------


def can_edit(actor: Actor, provider_id: int) -> bool:
    return actor.is_platform_admin or actor.has_any_role(provider_id, CATALOG_EDITORS)


def can_read_unpublished(actor: Actor, provider_id: int) -> bool:
    return actor.is_platform_admin or actor.has_any_role(provider_id, CATALOG_READERS)


def _require_edit(actor: Actor, provider_id: int, provider_slug: str) -> None:
    require_role(
        actor, provider_id, CATALOG_EDITORS, sign_in="Sign in to edit microcredentials",
        denied=f"You are not issuer staff or admin of '{provider_slug}'",
    )  # fmt: skip


def access_provider_for_edit(db: Session, actor: Actor, provider_slug: str) -> Any:
    """The provider, if the actor may describe microcredentials for it."""
    provider = accounts.get_organisation(db, provider_slug)
    _require_edit(actor, provider.id, provider.slug)
    return provider


def access_for_edit(db: Session, actor: Actor, microcredential_id: int) -> MicrocredentialVersion:
    """The latest version, for an editor; drafts stay hidden (404) from those who may not see
    them, and a retired microcredential can no longer be edited."""
    if not actor.is_authenticated and not actor.is_platform_admin:
        raise AuthenticationRequired("Sign in to edit microcredentials")
    version = access_microcredential(db, actor, microcredential_id, latest=True)
    if not can_edit(actor, version.microcredential.provider_id):
        raise PermissionDenied("You may view this microcredential but not edit it")
    if version.status is VersionStatus.RETIRED:
        raise Conflict("This microcredential is retired; it can no longer be edited")
    return version


def editable_providers(db: Session, actor: Actor) -> list[OrganisationRef]:
    """Providers whose catalog the actor may see unpublished (staff, admins, assessors);
    every organisation for platform admins. `can_edit` tells which of them they may change."""
    if actor.is_platform_admin:
        orgs = accounts.list_organisations(db)
    else:
        orgs = list(
            accounts.organisations_by_id(db, actor.organisations_with(CATALOG_READERS)).values()
        )
    return sorted((_org_ref(org) for org in orgs), key=lambda ref: ref.name)


# --- loading -------------------------------------------------------------------------------


def _load(db: Session, microcredential_id: int) -> Microcredential:
    microcredential = db.scalar(
        select(Microcredential)
        .where(Microcredential.id == microcredential_id)
        .options(selectinload(Microcredential.versions))
    )
    if microcredential is None:
        raise NotFound(f"No microcredential {microcredential_id}")
    return microcredential


def _public_version(microcredential: Microcredential) -> MicrocredentialVersion | None:
    """What the public sees: the published version, else the last retired one."""
    for status in (VersionStatus.PUBLISHED, VersionStatus.RETIRED):
        versions = [v for v in microcredential.versions if v.status is status]
        if versions:
            return versions[-1]
    return None


def access_microcredential(
    db: Session,
    actor: Actor,
    microcredential_id: int,
    version: int | None = None,
    *,
    latest: bool = False,
) -> MicrocredentialVersion:
    """A version the actor may see: the public one, or (staff) a given or the latest version.

    Someone who may not see unpublished versions gets NotFound, never a hint that a draft exists.
    """
    microcredential = _load(db, microcredential_id)
    staff = can_read_unpublished(actor, microcredential.provider_id)
    if version is not None:
        chosen = next((v for v in microcredential.versions if v.number == version), None)
        if chosen is None or (chosen.status is VersionStatus.DRAFT and not staff):
            raise NotFound(f"No version {version} of microcredential {microcredential_id}")
        return chosen
    if latest and staff:
        return microcredential.versions[-1]
    public = _public_version(microcredential)
    if public is not None:
        return public
    if staff:
        return microcredential.versions[-1]
    raise NotFound(f"No microcredential {microcredential_id}")


def public_headings(db: Session, microcredential_ids: Iterable[int]) -> dict[int, PublicHeading]:
    """Title, status and provider of the public version of each microcredential (as
    `access_microcredential` shows it to anyone), by id, in two queries however many there
    are; those with no public version (drafts only, or none at all) are left out."""
    wanted = set(microcredential_ids)
    if not wanted:
        return {}
    rows = db.execute(
        select(
            MicrocredentialVersion.microcredential_id,
            MicrocredentialVersion.status,
            MicrocredentialVersion.title,
            Microcredential.provider_id,
        )
        .join(Microcredential, Microcredential.id == MicrocredentialVersion.microcredential_id)
        .where(
            MicrocredentialVersion.microcredential_id.in_(wanted),
            MicrocredentialVersion.status.in_((VersionStatus.PUBLISHED, VersionStatus.RETIRED)),
        )
        .order_by(MicrocredentialVersion.microcredential_id, MicrocredentialVersion.number)
    ).all()
    chosen: dict[int, tuple[VersionStatus, str, int]] = {}
    for mc_id, status, title, provider_id in rows:
        held = chosen.get(mc_id)
        if held is None or held[0] is not VersionStatus.PUBLISHED:  # else the last retired
            chosen[mc_id] = (status, title, provider_id)
    providers = accounts.organisations_by_id(db, list({p for _s, _t, p in chosen.values()}))
    return {
        mc_id: PublicHeading(
            id=mc_id,
            title=title,
            status=status,
            provider=providers[provider_id].slug,
            provider_name=providers[provider_id].name,
        )
        for mc_id, (status, title, provider_id) in chosen.items()
    }


def version_field(db: Session, version_id: int) -> str:
    """The field of study of a version (e.g. for the colour of a badge)."""
    found = db.scalar(
        select(MicrocredentialVersion.field).where(MicrocredentialVersion.id == version_id)
    )
    if found is None:
        raise NotFound(f"No microcredential version {version_id}")
    return found.value


def access_version(db: Session, actor: Actor, version_id: int) -> MicrocredentialVersion:
    version = db.get(MicrocredentialVersion, version_id)
    if version is None:
        raise NotFound(f"No microcredential version {version_id}")
    return access_microcredential(db, actor, version.microcredential_id, version.number)


# --- writing -------------------------------------------------------------------------------


def create_microcredential(
    db: Session, actor: Actor, data: MicrocredentialCreate | dict[str, Any]
) -> MicrocredentialVersion:
    """A new microcredential with version 1 as a draft."""
    raw = data.model_dump() if isinstance(data, MicrocredentialCreate) else dict(data)
    provider = accounts.get_organisation(db, str(raw.get("provider", "")))
    _require_edit(actor, provider.id, provider.slug)
    parsed, given = relations.validate(db, MicrocredentialCreate, raw, provider.id)
    data = cast(MicrocredentialCreate, parsed)
    microcredential = Microcredential(provider_id=provider.id)
    db.add(microcredential)
    values = data.model_dump(exclude={"provider", *relations.NAMES})
    values["country"] = values["country"] or provider.country
    if values["region"] is None and values["country"] == provider.country:
        values["region"] = provider.region
    version = MicrocredentialVersion(number=1, status=VersionStatus.DRAFT, **values)
    microcredential.versions.append(version)
    db.flush()
    relations.apply(db, version, given)
    db.flush()
    return version


def _new_draft_from(db: Session, source: MicrocredentialVersion) -> MicrocredentialVersion:
    draft = MicrocredentialVersion(
        number=source.number + 1,
        status=VersionStatus.DRAFT,
        **{name: getattr(source, name) for name in _COPIED},
    )
    source.microcredential.versions.append(draft)
    db.flush()
    relations.copy_onto(draft, source)
    db.flush()
    return draft


def update_microcredential(
    db: Session,
    actor: Actor,
    microcredential_id: int,
    data: MicrocredentialUpdate | dict[str, Any],
) -> MicrocredentialVersion:
    """Change the draft; a published version is immutable, so editing it starts a new draft."""
    raw = data.model_dump(exclude_unset=True) if isinstance(data, MicrocredentialUpdate) else data
    microcredential = _load(db, microcredential_id)
    provider = accounts.get_organisation_by_id(db, microcredential.provider_id)
    _require_edit(actor, provider.id, provider.slug)
    latest = microcredential.versions[-1]
    if latest.status is VersionStatus.RETIRED:
        raise Conflict("This microcredential is retired; it can no longer be edited")
    parsed, given = relations.validate(
        db, MicrocredentialUpdate, raw, provider.id, microcredential.id
    )
    update = cast(MicrocredentialUpdate, parsed)
    changes = update.model_dump(exclude_unset=True, exclude=set(relations.NAMES))
    if "country" in changes and changes["country"] is None:
        changes["country"] = provider.country  # the issuer's country is mandatory
    modules = update.modules
    # Re-check the whole description so that cross-field rules hold after a partial update.
    current_modules = [
        ModulePublic.model_validate(m).model_dump(exclude={"position"}) for m in latest.modules
    ]
    parse(
        MicrocredentialCreate,
        {name: getattr(latest, name) for name in _COPIED}
        | changes
        | {
            "provider": provider.slug,
            "modules": current_modules if modules is None else [m.model_dump() for m in modules],
        },
    )
    draft = latest if latest.status is VersionStatus.DRAFT else _new_draft_from(db, latest)
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.updated_at = utcnow()
    relations.apply(db, draft, given)
    db.flush()
    return draft


def publish_microcredential(
    db: Session, actor: Actor, microcredential_id: int
) -> MicrocredentialVersion:
    """Publish the draft; the previously published version becomes superseded."""
    microcredential = _load(db, microcredential_id)
    provider = accounts.get_organisation_by_id(db, microcredential.provider_id)
    _require_edit(actor, provider.id, provider.slug)
    draft = microcredential.versions[-1]
    if draft.status is not VersionStatus.DRAFT:
        raise Conflict(f"There is no draft to publish (version {draft.number} is {draft.status})")
    if not draft.skill_links:
        raise Conflict("Add at least one skill before publishing")
    unmet = prerequisites.check(
        db,
        provider_id=provider.id,
        microcredential_id=microcredential.id,
        required=[link.required_id for link in draft.prerequisite_links],
        for_publishing=True,
    )
    if unmet:
        reasons = "; ".join(problem.message for problem in unmet)
        raise Conflict(f"Cannot publish yet because of the required microcredentials: {reasons}")
    now = utcnow()
    for version in microcredential.versions[:-1]:
        if version.status is VersionStatus.PUBLISHED:
            version.status = VersionStatus.SUPERSEDED
    draft.status = VersionStatus.PUBLISHED
    draft.published_at = now
    db.flush()
    search_index.index_version(db, draft)
    return draft


def retire_microcredential(
    db: Session, actor: Actor, microcredential_id: int
) -> MicrocredentialVersion:
    """Withdraw from the catalog; the description stays readable for credentials issued."""
    microcredential = _load(db, microcredential_id)
    provider = accounts.get_organisation_by_id(db, microcredential.provider_id)
    _require_edit(actor, provider.id, provider.slug)
    published = next(
        (v for v in microcredential.versions if v.status is VersionStatus.PUBLISHED), None
    )
    if published is None:
        raise Conflict("Only a published microcredential can be retired")
    published.status = VersionStatus.RETIRED
    published.retired_at = utcnow()
    # An unpublished draft of a retired microcredential can never be published: drop it.
    for version in list(microcredential.versions):
        if version.status is VersionStatus.DRAFT:
            microcredential.versions.remove(version)
    db.flush()
    search_index.unindex_microcredential(db, microcredential.id)
    return published


def add_endorsement(
    db: Session, actor: Actor, microcredential_id: int, data: EndorsementCreate | dict[str, Any]
) -> Endorsement:
    """An organisation endorses a published microcredential (its admins, or a platform admin)."""
    data = parse(EndorsementCreate, data) if isinstance(data, dict) else data
    microcredential = _load(db, microcredential_id)
    endorser = accounts.get_organisation(db, data.endorser)
    if not (actor.is_platform_admin or Role.ORG_ADMIN in actor.roles_in(endorser.id)):
        raise PermissionDenied(f"Only admins of '{endorser.slug}' may endorse on its behalf")
    if endorser.id == microcredential.provider_id:
        raise Conflict("A provider cannot endorse its own microcredential")
    if _public_version(microcredential) is None:
        raise Conflict("Only published microcredentials can be endorsed")
    existing = db.scalar(
        select(Endorsement).where(
            Endorsement.microcredential_id == microcredential.id,
            Endorsement.endorser_id == endorser.id,
        )
    )
    if existing is not None:
        raise Conflict(f"'{endorser.slug}' already endorses this microcredential")
    endorsement = Endorsement(
        endorser_id=endorser.id,
        comment=data.comment,
        endorsed_on=data.endorsed_on or date.today(),  # noqa: DTZ011 - a calendar date
    )
    microcredential.endorsements.append(endorsement)
    db.flush()
    return endorsement


# --- reading -------------------------------------------------------------------------------


def _org_ref(org: Any) -> OrganisationRef:
    return OrganisationRef(slug=org.slug, name=org.name, kind=org.kind, country=org.country)


def to_public(db: Session, version: MicrocredentialVersion) -> MicrocredentialPublic:
    microcredential = version.microcredential
    partner_ids = [link.organisation_id for link in version.partner_links]
    endorser_ids = [e.endorser_id for e in microcredential.endorsements]
    orgs = accounts.organisations_by_id(
        db, [microcredential.provider_id, *partner_ids, *endorser_ids]
    )
    links = sorted(version.skill_links, key=lambda link: link.position)
    skills = taxonomy.skill_summaries(db, [link.skill_id for link in links])
    values = {name: getattr(version, name) for name in _COPIED}
    required = prerequisites.refs(db, [link.required_id for link in version.prerequisite_links])
    return MicrocredentialPublic(
        id=microcredential.id,
        version=version.number,
        version_id=version.id,
        status=version.status,
        provider=_org_ref(orgs[microcredential.provider_id]),
        partners=[_org_ref(orgs[i]) for i in partner_ids],
        required_microcredentials=required,
        modules=[ModulePublic.model_validate(m) for m in version.modules],
        skills=[
            SkillRef(uri=uri, label=label, framework=framework)
            for uri, label, framework in (skills[link.skill_id] for link in links)
        ],
        endorsements=[
            EndorsementPublic(
                endorser=_org_ref(orgs[e.endorser_id]), comment=e.comment, endorsed_on=e.endorsed_on
            )
            for e in microcredential.endorsements
        ],
        created_at=version.created_at,
        updated_at=version.updated_at,
        published_at=version.published_at,
        retired_at=version.retired_at,
        **values,
    )


def version_history(
    db: Session, actor: Actor, microcredential_id: int
) -> list[MicrocredentialVersion]:
    microcredential = _load(db, microcredential_id)
    if can_read_unpublished(actor, microcredential.provider_id):
        return list(microcredential.versions)
    return [v for v in microcredential.versions if v.status is not VersionStatus.DRAFT]


def provider_catalog(db: Session, actor: Actor, provider_slug: str) -> list[MicrocredentialVersion]:
    """Each of a provider's microcredentials, at the latest version the actor may see."""
    provider = accounts.get_organisation(db, provider_slug)
    staff = can_read_unpublished(actor, provider.id)
    microcredentials = db.scalars(
        select(Microcredential)
        .where(Microcredential.provider_id == provider.id)
        .options(selectinload(Microcredential.versions))
        .order_by(Microcredential.id)
    )
    result = []
    for microcredential in microcredentials:
        version = microcredential.versions[-1] if staff else _public_version(microcredential)
        if version is not None and (staff or version.status is VersionStatus.PUBLISHED):
            result.append(version)
    return result


def list_providers(db: Session) -> list[tuple[OrganisationRef, int]]:
    """Organisations with the number of microcredentials they have published."""
    rows = db.execute(
        select(Microcredential.provider_id, func.count(MicrocredentialVersion.id))
        .join(MicrocredentialVersion)
        .where(MicrocredentialVersion.status == VersionStatus.PUBLISHED)
        .group_by(Microcredential.provider_id)
    )
    # Not dict(rows): a SQLAlchemy 2.1 Result has keys(), so dict() would read it as a mapping.
    counts = {provider_id: count for provider_id, count in rows}  # noqa: C416
    return [(_org_ref(org), counts.get(org.id, 0)) for org in accounts.list_organisations(db)]


def get_provider(db: Session, slug: str) -> Any:
    return accounts.get_organisation(db, slug)


def search(db: Session, query: SearchQuery) -> SearchResults:
    return search_index.search(db, query)


def rebuild_search_index(db: Session) -> int:
    return search_index.rebuild_index(db)


def resolve_skill_names(
    db: Session, entries: Sequence[str]
) -> tuple[list[str], list[FieldProblem]]:
    """Skills as typed in a form, URIs or names, as URIs: a name must be the label of exactly
    one skill (a problem on `skills` otherwise); URIs are checked when the version is saved."""
    names = [entry for entry in entries if "://" not in entry]
    found = taxonomy.skills_named(db, names)
    uris: list[str] = []
    problems: list[FieldProblem] = []
    for entry in entries:
        matches = found.get(entry, [entry])
        if len(matches) == 1:
            uris.append(matches[0])
        elif not matches:
            problems.append(FieldProblem("skills", f"no skill is called “{entry}”"))
        else:
            problems.append(
                FieldProblem("skills", f"several skills are called “{entry}”: give its URI")
            )
    return list(dict.fromkeys(uris)), problems


def warm_search(db: Session) -> int:
    """Load this process's search snapshot now (see search.warm); how many entries it holds."""
    return search_index.warm(db)


def requirable_microcredentials(
    db: Session, actor: Actor, provider_slug: str, exclude: int | None = None
) -> list[tuple[MicrocredentialRef, bool]]:
    """The provider's own microcredentials a version of it may require (those not retired,
    except `exclude`), each with whether it is published, for an editor to choose from."""
    result = []
    for version in provider_catalog(db, actor, provider_slug):
        microcredential = version.microcredential
        if microcredential.id == exclude or version.status is VersionStatus.RETIRED:
            continue
        live = any(v.status is VersionStatus.PUBLISHED for v in microcredential.versions)
        result.append((MicrocredentialRef(id=microcredential.id, title=version.title), live))
    return result


def published_offers(db: Session) -> list[PublishedOffer]:
    """Every published microcredential with what a planner needs, in a few queries (none per
    offer: the planner loads the whole catalog)."""
    versions = db.execute(
        select(MicrocredentialVersion, Microcredential.provider_id)
        .join(Microcredential, Microcredential.id == MicrocredentialVersion.microcredential_id)
        .where(MicrocredentialVersion.status == VersionStatus.PUBLISHED)
        .order_by(MicrocredentialVersion.microcredential_id)
    ).all()
    links = db.execute(
        select(VersionSkill.version_id, VersionSkill.skill_id)
        .join(MicrocredentialVersion, MicrocredentialVersion.id == VersionSkill.version_id)
        .where(MicrocredentialVersion.status == VersionStatus.PUBLISHED)
    ).all()
    uris = {
        skill_id: uri
        for skill_id, (uri, _label, _framework) in taxonomy.skill_summaries(
            db, {skill_id for _version, skill_id in links}
        ).items()
    }
    skills_of: dict[int, set[str]] = {}
    for version_id, skill_id in links:
        skills_of.setdefault(version_id, set()).add(uris[skill_id])
    providers = accounts.organisations_by_id(db, list({p for _v, p in versions}))
    required = prerequisites.published_requirements(db)
    return [
        PublishedOffer(
            id=version.microcredential_id,
            title=version.title,
            provider=providers[provider_id].slug,
            provider_name=providers[provider_id].name,
            skills=frozenset(skills_of.get(version.id, ())),
            price=version.price,
            currency=version.currency,
            workload_hours=version.workload_hours,
            duration_weeks=version.duration_weeks,
            languages=frozenset(version.languages),
            participation_mode=version.participation_mode.value,
            eqf_level=version.eqf_level,
            ects_credits=version.ects_credits,
            stackable_towards=frozenset(version.stackable_towards),
            prerequisites=required.get(version.id, frozenset()),
        )
        for version, provider_id in versions
    ]
