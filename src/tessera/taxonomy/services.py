"""Use cases of the skills taxonomy: look-ups used by other features, search, imports."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tessera.errors import FieldProblem, InvalidInput
from tessera.taxonomy.models import Skill, SkillFramework


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
