"""Use cases of the skills taxonomy: look-ups used by other features, search, imports.

Imports live in importers.py (parse everything, then write the difference in bulk); they are
re-exported here, the one module other features and the interfaces call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from tessera.errors import FieldProblem, InvalidInput, NotFound
from tessera.taxonomy.bulk import Counts as Counts
from tessera.taxonomy.importers import BuiltinSummary as BuiltinSummary
from tessera.taxonomy.importers import ImportSummary as ImportSummary
from tessera.taxonomy.importers import import_esco as import_esco
from tessera.taxonomy.importers import import_onet as import_onet
from tessera.taxonomy.importers import load_builtin_taxonomy as load_builtin_taxonomy
from tessera.taxonomy.models import (
    Occupation,
    OccupationGroup,
    OccupationSkill,
    Relation,
    Skill,
    SkillFramework,
)
from tessera.taxonomy.parsers import Progress as Progress
from tessera.taxonomy.schemas import (
    FrameworkPublic,
    OccupationPublic,
    OccupationSkillPublic,
    OccupationSummary,
    SkillPublic,
)

MAX_QUERY_WORDS = 12


def skills_named(db: Session, names: Iterable[str]) -> dict[str, list[str]]:
    """For each name, the URIs of the skills labelled so (ignoring case): none, one, or
    several (frameworks may share a label)."""
    wanted = {name.casefold(): name for name in names}
    found: dict[str, list[str]] = {name: [] for name in wanted.values()}
    if not wanted:
        return found
    rows = db.execute(
        select(Skill.label, Skill.uri)
        .where(func.lower(Skill.label).in_([key.lower() for key in wanted]))
        .order_by(Skill.id)
    )
    for label, uri in rows:
        name = wanted.get(label.casefold())
        if name is not None:
            found[name].append(uri)
    return found


def skill_labels(db: Session, uris: Iterable[str]) -> dict[str, str]:
    """Label by URI of the skills the taxonomy knows, in one query; a URI it does not know
    (or no longer knows, after a re-import) is left out."""
    wanted = list(dict.fromkeys(uris))
    if not wanted:
        return {}
    # .all(): a Result has keys(), so dict() would read it as a mapping.
    return dict(db.execute(select(Skill.uri, Skill.label).where(Skill.uri.in_(wanted))).all())


def skills_by_uri(db: Session, uris: Iterable[str], field: str = "skills") -> list[Skill]:
    """The skills with these URIs, in the given order; InvalidInput names any unknown URI."""
    wanted = list(dict.fromkeys(uris))
    if not wanted:
        return []
    found = {s.uri: s for s in db.scalars(select(Skill).where(Skill.uri.in_(wanted)))}
    unknown = [uri for uri in wanted if uri not in found]
    if unknown:
        problems = [
            FieldProblem(field=field, message=f"unknown skill URI: {uri}") for uri in unknown
        ]
        raise InvalidInput(f"Unknown skill URI(s): {', '.join(unknown[:5])}", problems)
    return [found[uri] for uri in wanted]


def skill_summaries(db: Session, skill_ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """(uri, label, framework slug) for each skill id."""
    ids = set(skill_ids)
    if not ids:
        return {}
    rows = db.execute(
        select(Skill.id, Skill.uri, Skill.label, SkillFramework.slug)
        .join(SkillFramework, SkillFramework.id == Skill.framework_id)
        .where(Skill.id.in_(ids))
    )
    return {row.id: (row.uri, row.label, row.slug) for row in rows}


def list_frameworks(db: Session) -> list[FrameworkPublic]:
    """Every framework with how many skills and occupations it holds."""
    skills = dict(
        db.execute(select(Skill.framework_id, func.count()).group_by(Skill.framework_id)).all()
    )
    occupations = dict(
        db.execute(
            select(Occupation.framework_id, func.count()).group_by(Occupation.framework_id)
        ).all()
    )
    return [
        FrameworkPublic(
            slug=f.slug, name=f.name, version=f.version, uri=f.uri,
            skills=skills.get(f.id, 0), occupations=occupations.get(f.id, 0),
        )
        for f in db.scalars(select(SkillFramework).order_by(SkillFramework.slug))
    ]


def _framework_id(db: Session, slug: str | None) -> int | None:
    if slug is None:
        return None
    found = db.scalar(select(SkillFramework.id).where(SkillFramework.slug == slug))
    if found is None:
        known = ", ".join(db.scalars(select(SkillFramework.slug).order_by(SkillFramework.slug)))
        message = f"unknown skill framework {slug!r} (known: {known or 'none yet'})"
        raise InvalidInput(message.capitalize(), [FieldProblem("framework", message)])
    return found


def _like(text: str, prefix: str = "%", suffix: str = "%") -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{prefix}{escaped}{suffix}"


def _text_match(
    label_column: InstrumentedAttribute[str], alt_column: InstrumentedAttribute[str], text: str
) -> tuple[list[ColumnElement[bool]], ColumnElement[int]]:
    """Filters (every word in the label or an alternative label, ignoring case) and a rank:
    exact label, label prefix, exact alternative label, label containing the phrase, then the
    rest. Lower-casing on both sides works on both backends (SQLite folds ASCII only)."""
    phrase = " ".join(text.lower().split()[:MAX_QUERY_WORDS])
    if not phrase:
        return [], literal(0)
    label, alt = func.lower(label_column), func.lower(alt_column)
    filters: list[ColumnElement[bool]] = [
        or_(label.like(_like(word), escape="\\"), alt.like(_like(word), escape="\\"))
        for word in phrase.split()
    ]
    rank = case(
        (label == phrase, 0),
        (label.like(_like(phrase, prefix=""), escape="\\"), 1),
        # Alternative labels are stored one per line.
        (("\n" + alt + "\n").like(_like(f"\n{phrase}\n"), escape="\\"), 2),
        (label.like(_like(phrase), escape="\\"), 3),
        else_=4,
    )
    return filters, rank


def _page(page: int, page_size: int) -> tuple[int, int]:
    if page < 1 or not 1 <= page_size <= 100:
        raise InvalidInput("page must be >= 1 and page_size from 1 to 100")
    return (page - 1) * page_size, page_size


def _labels(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def search_skills(
    db: Session, text: str = "", framework: str | None = None, page: int = 1, page_size: int = 20
) -> tuple[list[SkillPublic], int]:
    """Skills whose label or alternative labels contain every word of `text` (all skills when
    empty), best matches first, and how many there are in all."""
    offset, limit = _page(page, page_size)
    filters, rank = _text_match(Skill.label, Skill.alt_labels, text)
    framework_id = _framework_id(db, framework)
    if framework_id is not None:
        filters.append(Skill.framework_id == framework_id)
    total = db.scalar(select(func.count()).select_from(Skill).where(*filters)) or 0
    rows = db.execute(
        select(Skill, SkillFramework.slug)
        .join(SkillFramework, SkillFramework.id == Skill.framework_id)
        .where(*filters)
        .order_by(rank, func.length(Skill.label), Skill.label, Skill.id)
        .offset(offset)
        .limit(limit)
    )
    return [_skill_public(skill, slug) for skill, slug in rows], total


def _skill_public(skill: Skill, framework: str) -> SkillPublic:
    return SkillPublic(
        uri=skill.uri, label=skill.label, framework=framework, skill_type=skill.skill_type,
        alt_labels=_labels(skill.alt_labels), description=skill.description,
    )


def get_skill(db: Session, uri: str) -> SkillPublic:
    row = db.execute(
        select(Skill, SkillFramework.slug)
        .join(SkillFramework, SkillFramework.id == Skill.framework_id)
        .where(Skill.uri == uri)
    ).first()
    if row is None:
        raise NotFound(f"No skill with URI {uri}")
    return _skill_public(*row)


def _occupation_query() -> Any:
    return (
        select(Occupation, SkillFramework.slug, OccupationGroup.label)
        .join(SkillFramework, SkillFramework.id == Occupation.framework_id)
        .outerjoin(
            OccupationGroup,
            and_(
                OccupationGroup.framework_id == Occupation.framework_id,
                OccupationGroup.code == Occupation.group_code,
            ),
        )
    )


def _occupation_summary(
    occupation: Occupation, framework: str, group_label: str | None
) -> OccupationSummary:
    return OccupationSummary(
        id=occupation.id, uri=occupation.uri, label=occupation.label, framework=framework,
        code=occupation.code, group_code=occupation.group_code, group_label=group_label,
        alt_labels=_labels(occupation.alt_labels), description=occupation.description,
    )


def search_occupations(
    db: Session, text: str = "", framework: str | None = None, page: int = 1, page_size: int = 20
) -> tuple[list[OccupationSummary], int]:
    """Occupations matched like skills (see search_skills), and how many there are in all."""
    offset, limit = _page(page, page_size)
    filters, rank = _text_match(Occupation.label, Occupation.alt_labels, text)
    framework_id = _framework_id(db, framework)
    if framework_id is not None:
        filters.append(Occupation.framework_id == framework_id)
    total = db.scalar(select(func.count()).select_from(Occupation).where(*filters)) or 0
    rows: Sequence[Any] = db.execute(
        _occupation_query()
        .where(*filters)
        .order_by(rank, func.length(Occupation.label), Occupation.label, Occupation.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return [_occupation_summary(*row) for row in rows], total


def get_occupation(db: Session, id_or_uri: int | str) -> OccupationPublic:
    """An occupation (by id or URI) with its essential and optional skills, most important
    first where the source rates importance, then by label."""
    key = Occupation.id == id_or_uri if isinstance(id_or_uri, int) else Occupation.uri == id_or_uri
    row = db.execute(_occupation_query().where(key)).first()
    if row is None:
        raise NotFound(f"No occupation {id_or_uri}")
    occupation, framework, group_label = row
    links = db.execute(
        select(Skill, SkillFramework.slug, OccupationSkill.relation, OccupationSkill.importance)
        .join(OccupationSkill, OccupationSkill.skill_id == Skill.id)
        .join(SkillFramework, SkillFramework.id == Skill.framework_id)
        .where(OccupationSkill.occupation_id == occupation.id)
    )
    skills: dict[Relation, list[OccupationSkillPublic]] = {r: [] for r in Relation}
    for skill, slug, relation, importance in links:
        skills[relation].append(
            OccupationSkillPublic(
                uri=skill.uri, label=skill.label, framework=slug,
                skill_type=skill.skill_type, importance=importance,
            )
        )
    for items in skills.values():
        items.sort(key=lambda s: (-(s.importance or 0.0), s.label.lower()))
    return OccupationPublic(
        **_occupation_summary(occupation, framework, group_label).model_dump(),
        essential_skills=skills[Relation.ESSENTIAL],
        optional_skills=skills[Relation.OPTIONAL],
    )


def skills_stamp(db: Session) -> tuple[int, int]:
    """(how many skills, the highest id): changes whenever skills are added or removed, so a
    process can tell whether what it built from the skills is still current."""
    count, highest = db.execute(select(func.count(), func.max(Skill.id))).one()
    return int(count or 0), int(highest or 0)


def all_skill_labels(db: Session) -> list[tuple[str, str, list[str]]]:
    """(uri, label, alternative labels) of every skill, for matching skills in text; ESCO's
    skill groups are headings ("skills", "knowledge"), not skills anyone asks for."""
    rows = db.execute(
        select(Skill.uri, Skill.label, Skill.alt_labels)
        .where(Skill.skill_type != "skill group")
        .order_by(Skill.id)
    )
    return [(uri, label, _labels(alt_labels)) for uri, label, alt_labels in rows]
