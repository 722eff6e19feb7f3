"""What a version holds besides its own columns: modules, skills, co-issuing partners and
required microcredentials.

`validate` parses a create or update payload and resolves its relations, reporting every
problem at once (field rules, unknown skills and partners, unacceptable required
microcredentials); `apply` writes the relations that were given; `copy_onto` carries them
into a new draft. Only the catalog services call this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from tessera.accounts import services as accounts
from tessera.catalog import prerequisites
from tessera.catalog.models import (
    MicrocredentialVersion,
    Module,
    VersionPartner,
    VersionPrerequisite,
    VersionSkill,
)
from tessera.catalog.schemas import (
    MAX_REQUIRED,
    MicrocredentialCreate,
    MicrocredentialId,
    MicrocredentialUpdate,
    ModuleIn,
    RequiredIds,
)
from tessera.errors import FieldProblem, InvalidInput
from tessera.taxonomy import services as taxonomy
from tessera.validation import parse

# Payload fields that are relations, not columns of the version.
NAMES = ("modules", "skills", "partners", "required_microcredentials")


@dataclass(frozen=True)
class Relations:
    """Relations resolved and checked before anything is written (None: not given, so the
    version keeps what it has)."""

    modules: list[ModuleIn] | None
    skill_ids: list[int] | None
    partner_ids: list[int] | None
    required_ids: list[int] | None


def _skill_ids(
    db: Session, skills: list[str] | None, problems: list[FieldProblem]
) -> list[int] | None:
    if skills is None:
        return None
    try:
        return [s.id for s in taxonomy.skills_by_uri(db, skills)]
    except InvalidInput as error:
        problems.extend(error.problems)
        return None


def _partner_ids(
    db: Session, partners: list[str] | None, provider_id: int, problems: list[FieldProblem]
) -> list[int] | None:
    if partners is None:
        return None
    found = accounts.organisations_by_slug(db, partners)
    problems.extend(
        FieldProblem("partners", f"no organisation '{slug}'")
        for slug in partners
        if slug not in found
    )
    if any(org.id == provider_id for org in found.values()):
        problems.append(
            FieldProblem("partners", "the provider cannot be its own co-issuing partner")
        )
    return [found[slug].id for slug in partners if slug in found]


def _has_problem(name: str, problems: list[FieldProblem]) -> bool:
    return any(p.field.split(".")[0] == name for p in problems)


def _string_list(data: dict[str, Any], name: str, problems: list[FieldProblem]) -> list[str] | None:
    """A raw relation list worth looking up even though other fields failed validation."""
    value = data.get(name)
    if name not in data or _has_problem(name, problems) or not isinstance(value, list):
        return None
    return [item for item in value if isinstance(item, str)]


_REQUIRED_IDS: TypeAdapter[list[int]] = TypeAdapter(RequiredIds)
_ID: TypeAdapter[int] = TypeAdapter(MicrocredentialId)


def _entry(value: object) -> int | None:
    try:
        return _ID.validate_python(value)
    except ValidationError:
        return None


def _required_ids(
    db: Session,
    data: dict[str, Any],
    provider_id: int,
    microcredential_id: int | None,
    problems: list[FieldProblem],
) -> list[int] | None:
    """The required microcredentials if given, each well-formed entry checked against the
    catalog even when the list as a whole or other fields failed, so that every problem is
    reported at once."""
    name = "required_microcredentials"
    if name not in data:
        return None
    value = data[name] or []
    if isinstance(value, list) and len(value) <= MAX_REQUIRED:
        problems.extend(
            prerequisites.check(
                db,
                provider_id=provider_id,
                microcredential_id=microcredential_id,
                required=[_entry(item) for item in value],
            )
        )
    try:
        return _REQUIRED_IDS.validate_python(value)
    except ValidationError:
        return None  # parsing the payload reported it


def validate(
    db: Session,
    model: type[MicrocredentialCreate] | type[MicrocredentialUpdate],
    data: dict[str, Any],
    provider_id: int,
    microcredential_id: int | None = None,
) -> tuple[Any, Relations]:
    """The parsed input and its relations, or InvalidInput listing every problem at once.
    `microcredential_id` is None while creating."""
    problems: list[FieldProblem] = []
    parsed = None
    try:
        parsed = parse(model, data)
    except InvalidInput as error:
        problems.extend(error.problems)
    skill_ids = _skill_ids(db, _string_list(data, "skills", problems), problems)
    partner_ids = _partner_ids(db, _string_list(data, "partners", problems), provider_id, problems)
    required_ids = _required_ids(db, data, provider_id, microcredential_id, problems)
    if problems:
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems[:5])
        raise InvalidInput(f"Invalid microcredential: {summary}", problems)
    assert parsed is not None  # no problems means it parsed
    return parsed, Relations(parsed.modules, skill_ids, partner_ids, required_ids)


def apply(db: Session, version: MicrocredentialVersion, relations: Relations) -> None:
    """Replace each relation that was given."""
    if relations.modules is not None:
        version.modules.clear()
        db.flush()  # free the (version, position) slots before reusing them
        version.modules.extend(
            Module(
                position=index,
                title=module.title,
                summary=module.summary,
                learning_outcomes=list(module.learning_outcomes),
                estimated_hours=module.estimated_hours,
            )
            for index, module in enumerate(relations.modules, start=1)
        )
    if relations.skill_ids is not None:
        version.skill_links.clear()
        db.flush()
        version.skill_links.extend(
            VersionSkill(skill_id=skill_id, position=index)
            for index, skill_id in enumerate(relations.skill_ids)
        )
    if relations.partner_ids is not None:
        version.partner_links.clear()
        db.flush()
        version.partner_links.extend(
            VersionPartner(organisation_id=i) for i in relations.partner_ids
        )
    if relations.required_ids is not None:
        version.prerequisite_links.clear()
        db.flush()
        version.prerequisite_links.extend(
            VersionPrerequisite(required_id=required_id, position=index)
            for index, required_id in enumerate(relations.required_ids)
        )


def copy_onto(draft: MicrocredentialVersion, source: MicrocredentialVersion) -> None:
    """A new draft starts with every relation of the version it was made from."""
    draft.modules.extend(
        Module(
            position=m.position,
            title=m.title,
            summary=m.summary,
            learning_outcomes=list(m.learning_outcomes),
            estimated_hours=m.estimated_hours,
        )
        for m in source.modules
    )
    draft.skill_links.extend(
        VersionSkill(skill_id=link.skill_id, position=link.position) for link in source.skill_links
    )
    draft.partner_links.extend(
        VersionPartner(organisation_id=link.organisation_id) for link in source.partner_links
    )
    draft.prerequisite_links.extend(
        VersionPrerequisite(required_id=link.required_id, position=link.position)
        for link in source.prerequisite_links
    )
