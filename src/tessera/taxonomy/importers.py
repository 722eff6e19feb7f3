"""Importing whole taxonomies: parse and cross-check every file first, then write the
difference with set-based statements (see bulk.py).

Because nothing is written until all files have been read and checked, a malformed file
leaves the database as it was; a database error mid-way propagates to the caller, whose
transaction (the CLI command's, or the request's) rolls everything back.

Concepts that a later release drops are kept, not deleted: microcredentials and credentials
may be aligned to them. An occupation in the files gets exactly the relations the files give.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tessera import __version__
from tessera.errors import FieldProblem, ImportFileError, InvalidInput
from tessera.taxonomy import bulk
from tessera.taxonomy.bulk import Counts
from tessera.taxonomy.models import Occupation, OccupationSkill, Relation, Skill, SkillBroader
from tessera.taxonomy.parsers import (
    Progress,
    SkillRecord,
    Taxonomy,
    no_progress,
    parse_builtin,
    parse_builtin_occupations,
    parse_esco,
    parse_onet,
)

BUILTIN_FILE = Path(__file__).parent / "data" / "tessera_skills.csv"
# Read from beside the skills file, so a test's own skills file comes without occupations.
BUILTIN_OCCUPATIONS = "tessera_occupations.csv"
RELATIONS: bulk.LinkTable = (
    OccupationSkill, "occupation_id", "skill_id", ("relation", "importance"),
)
HIERARCHY: bulk.LinkTable = (SkillBroader, "skill_id", "broader_id", ())
MAX_VERSION = 32  # skill_frameworks.version


@dataclass(frozen=True)
class Framework:
    slug: str
    name: str
    uri: str


ESCO = Framework("esco", "ESCO", "https://esco.ec.europa.eu/")
ONET = Framework("onet", "O*NET", "https://www.onetcenter.org/database.html")
TESSERA = Framework("tessera", "Tessera skills", "https://tessera.eu/skills/")


@dataclass
class ImportSummary:
    """What one import did, per kind of row."""

    framework: str
    version: str
    counts: dict[str, Counts] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.counts.values())

    def __str__(self) -> str:
        parts = "; ".join(f"{kind}: {counts}" for kind, counts in self.counts.items())
        return f"{self.framework} {self.version}: {parts}"


@dataclass
class BuiltinSummary(Counts):
    """What loading the built-in taxonomy did: the skills' counts (inherited, so callers that
    read `created` keep counting skills), then the occupations' and their skill links'."""

    occupations: Counts = field(default_factory=Counts)
    relations: Counts = field(default_factory=Counts)

    @property
    def changed(self) -> bool:
        return super().changed or self.occupations.changed or self.relations.changed

    def __str__(self) -> str:
        return (
            f"skills: {super().__str__()}; occupations: {self.occupations}; "
            f"relations: {self.relations}"
        )


def _checked(directory: Path, version: str) -> Path:
    if not 1 <= len(version) <= MAX_VERSION or not version.isprintable():
        message = f"version must be 1 to {MAX_VERSION} printable characters"
        raise InvalidInput(message, [FieldProblem("version", message)])
    if not directory.is_dir():
        raise ImportFileError(str(directory), None, "no such directory")
    return directory


def import_esco(
    db: Session, directory: Path, *, version: str = "1.2.0", progress: Progress = no_progress
) -> ImportSummary:
    """Import an ESCO CSV export (see parsers/esco.py for the files and checks)."""
    data = parse_esco(_checked(directory, version), progress)
    return write_taxonomy(db, ESCO, version, data, progress)


def import_onet(
    db: Session, directory: Path, *, version: str = "29.2", progress: Progress = no_progress
) -> ImportSummary:
    """Import O*NET database files (see parsers/onet.py for identifiers and relations)."""
    data = parse_onet(_checked(directory, version), progress)
    return write_taxonomy(db, ONET, version, data, progress)


def load_builtin_taxonomy(db: Session, path: Path = BUILTIN_FILE) -> BuiltinSummary:
    """Load Tessera's own skills, and the occupations in the file beside them (if any), into
    the `tessera` framework.

    A URI already held by another framework (ESCO imported first) is left to that framework,
    an occupation with the skills that framework gives it: the official source is the better
    authority on its own concepts.
    """
    data = Taxonomy(skills=parse_builtin(path))
    occupations = path.with_name(BUILTIN_OCCUPATIONS)
    if occupations.exists():
        data.occupations, data.relations = parse_builtin_occupations(
            occupations, {skill.uri for skill in data.skills}
        )
    summary = write_taxonomy(db, TESSERA, __version__, data, keep_other_frameworks=True)
    return BuiltinSummary(
        **asdict(summary.counts["skills"]),
        occupations=summary.counts["occupations"],
        relations=summary.counts["relations"],
    )


def _skill_row(framework_id: int, record: SkillRecord) -> dict[str, Any]:
    return {
        "uri": record.uri,
        "framework_id": framework_id,
        "label": record.label,
        "alt_labels": "\n".join(record.alt_labels),
        "description": record.description,
        "skill_type": record.skill_type,
        "code": record.code,
    }


def write_taxonomy(
    db: Session,
    source: Framework,
    version: str,
    data: Taxonomy,
    progress: Progress = no_progress,
    *,
    keep_other_frameworks: bool = False,
) -> ImportSummary:
    """Write a parsed taxonomy: upsert by URI, relations replaced only where they differ.

    With `keep_other_frameworks`, concepts another framework holds are left as they are, and
    so are the relations of its occupations (see bulk.upsert_by_uri)."""
    summary = ImportSummary(framework=source.name, version=version)
    framework, summary.counts["frameworks"] = bulk.sync_framework(
        db, source.slug, source.name, version, source.uri
    )
    summary.counts["groups"] = bulk.sync_groups(
        db, framework.id,
        [{"code": g.code, "uri": g.uri, "label": g.label, "parent_code": g.parent_code}
         for g in data.groups],
    )
    summary.counts["skills"], skill_ids = bulk.upsert_by_uri(
        db, Skill, [_skill_row(framework.id, s) for s in data.skills],
        keep_other_frameworks=keep_other_frameworks, stage="Writing skills", progress=progress,
    )
    occupation_rows = [
        {
            "uri": o.uri,
            "framework_id": framework.id,
            "label": o.label,
            "alt_labels": "\n".join(o.alt_labels),
            "description": o.description,
            "code": o.code,
            "group_code": o.group_code,
        }
        for o in data.occupations
    ]
    summary.counts["occupations"], occupation_ids = bulk.upsert_by_uri(
        db, Occupation, occupation_rows, keep_other_frameworks=keep_other_frameworks,
        stage="Writing occupations", progress=progress,
    )
    if keep_other_frameworks:
        occupation_ids = _owned(db, framework.id, occupation_ids)

    # Every imported occupation is listed, so one whose relations were all dropped upstream
    # loses them here too.
    relations: dict[int, dict[int, tuple[Any, ...]]] = {i: {} for i in occupation_ids.values()}
    for r in data.relations:
        if r.occupation_uri in occupation_ids:
            relations[occupation_ids[r.occupation_uri]][skill_ids[r.skill_uri]] = (
                Relation(r.relation), r.importance,
            )
    summary.counts["relations"] = bulk.sync_links(
        db, RELATIONS, relations, stage="Writing relations", progress=progress
    )
    if data.broader is not None:
        hierarchy: dict[int, dict[int, tuple[Any, ...]]] = {i: {} for i in skill_ids.values()}
        for narrower, broader in data.broader:
            hierarchy[skill_ids[narrower]][skill_ids[broader]] = ()
        summary.counts["hierarchy"] = bulk.sync_links(
            db, HIERARCHY, hierarchy, stage="Writing skill hierarchy", progress=progress
        )
    # Bulk statements bypass the identity map: make loaded objects reload what was written.
    db.expire_all()
    return summary


def _owned(db: Session, framework_id: int, ids: dict[str, int]) -> dict[str, int]:
    """The ids among `ids` (by URI) of rows the framework holds."""
    owned: set[int] = set()
    for chunk in bulk.chunks(list(ids.values())):
        query = select(Occupation.id).where(
            Occupation.framework_id == framework_id, Occupation.id.in_(chunk)
        )
        owned.update(db.scalars(query))
    return {uri: id_ for uri, id_ in ids.items() if id_ in owned}
