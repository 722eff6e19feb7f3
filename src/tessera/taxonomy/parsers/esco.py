"""Parser of the official ESCO CSV export (v1.x, English: the `*_en.csv` files).

Required: `skills_en.csv`, `occupations_en.csv`, `occupationSkillRelations_en.csv`.
Used when present: `ISCOGroups_en.csv` (occupation groups), `skillGroups_en.csv` (the skill
groups, imported as skills of type "skill group" so the hierarchy has both ends) and
`broaderRelationsSkillPillar_en.csv` (skill -> broader skill or group).

Every relation must name a skill of the skills file and an occupation of the occupations file:
a reference to anything else means the export is incomplete or mixed from two versions.
"""

from __future__ import annotations

import re
from pathlib import Path

from tessera.errors import ImportFileError
from tessera.taxonomy.parsers.records import (
    RELATIONS,
    GroupRecord,
    OccupationRecord,
    RelationRecord,
    SkillRecord,
    Taxonomy,
    check_code,
    check_label,
    check_uri,
    merge_relation,
    split_labels,
    unique,
)
from tessera.taxonomy.parsers.tables import (
    Progress,
    counted,
    find_file,
    no_progress,
    read_rows,
    require_file,
)

SKILLS = "skills_en"
OCCUPATIONS = "occupations_en"
RELATIONS_FILE = "occupationSkillRelations_en"
ISCO_GROUPS = "ISCOGroups_en"
SKILL_GROUPS = "skillGroups_en"
BROADER = "broaderRelationsSkillPillar_en"

SKILL_GROUP_TYPE = "skill group"
MAX_SKILL_TYPE = 40
_ISCO_CODE = re.compile(r"^\d{1,4}$")


def parse_esco(directory: Path, progress: Progress = no_progress) -> Taxonomy:
    """Read and cross-check an ESCO export directory; raise ImportFileError on any problem."""
    skills_path = require_file(directory, SKILLS)
    occupations_path = require_file(directory, OCCUPATIONS)
    relations_path = require_file(directory, RELATIONS_FILE)
    data = Taxonomy()

    seen: dict[str, int] = {}
    data.skills = _skills(skills_path, seen, progress)
    skill_uris = set(seen)
    groups_path = find_file(directory, SKILL_GROUPS)
    if groups_path is not None:
        # Groups share the URI space with skills: a clash would make one row two things.
        data.skills += _skill_groups(groups_path, seen, progress)

    data.occupations = _occupations(occupations_path, progress)
    isco_path = find_file(directory, ISCO_GROUPS)
    if isco_path is not None:
        data.groups = _isco_groups(isco_path, progress)

    occupation_uris = {o.uri for o in data.occupations}
    data.relations = _relations(relations_path, skill_uris, occupation_uris, progress)
    broader_path = find_file(directory, BROADER)
    if broader_path is not None:
        data.broader = _broader(broader_path, set(seen), progress)
    return data


def _alt_labels(value: str) -> tuple[str, ...]:
    # ESCO separates alternative labels with newlines inside one quoted field.
    return split_labels(value.splitlines())


def _skills(path: Path, seen: dict[str, int], progress: Progress) -> list[SkillRecord]:
    file = str(path)
    records = []
    rows = read_rows(
        path, ["conceptUri", "preferredLabel", "skillType", "altLabels", "description"],
        ["definition"],
    )
    for line, (uri, label, skill_type, alt, description, definition) in counted(
        rows, f"Reading {path.name}", progress
    ):
        check_uri(file, line, "conceptUri", uri)
        unique(file, line, seen, uri, "skill")
        if len(skill_type) > MAX_SKILL_TYPE:
            raise ImportFileError(file, line, f"skillType is longer than {MAX_SKILL_TYPE}")
        records.append(
            SkillRecord(
                uri=uri,
                label=check_label(file, line, "preferredLabel", label),
                skill_type=skill_type,
                alt_labels=_alt_labels(alt),
                description=description or definition,
            )
        )
    return records


def _skill_groups(path: Path, seen: dict[str, int], progress: Progress) -> list[SkillRecord]:
    file = str(path)
    records = []
    rows = read_rows(path, ["conceptUri", "preferredLabel", "altLabels", "description"], ["code"])
    for line, (uri, label, alt, description, code) in counted(
        rows, f"Reading {path.name}", progress
    ):
        check_uri(file, line, "conceptUri", uri)
        unique(file, line, seen, uri, "skill or skill group")
        records.append(
            SkillRecord(
                uri=uri,
                label=check_label(file, line, "preferredLabel", label),
                skill_type=SKILL_GROUP_TYPE,
                alt_labels=_alt_labels(alt),
                description=description,
                code=check_code(file, line, "code", code),
            )
        )
    return records


def _occupations(path: Path, progress: Progress) -> list[OccupationRecord]:
    file = str(path)
    seen: dict[str, int] = {}
    records = []
    rows = read_rows(
        path, ["conceptUri", "preferredLabel", "iscoGroup", "altLabels", "description"],
        ["code", "definition"],
    )
    for line, (uri, label, isco, alt, description, code, definition) in counted(
        rows, f"Reading {path.name}", progress
    ):
        check_uri(file, line, "conceptUri", uri)
        unique(file, line, seen, uri, "occupation")
        if isco and not _ISCO_CODE.match(isco):
            raise ImportFileError(file, line, f"iscoGroup is not an ISCO-08 code: {isco!r}")
        records.append(
            OccupationRecord(
                uri=uri,
                label=check_label(file, line, "preferredLabel", label),
                code=check_code(file, line, "code", code),
                group_code=isco or None,
                alt_labels=_alt_labels(alt),
                description=description or definition,
            )
        )
    return records


def _isco_groups(path: Path, progress: Progress) -> list[GroupRecord]:
    file = str(path)
    seen: dict[str, int] = {}
    records = []
    rows = read_rows(path, ["conceptUri", "code", "preferredLabel"])
    for line, (uri, code, label) in counted(rows, f"Reading {path.name}", progress):
        check_uri(file, line, "conceptUri", uri)
        if not _ISCO_CODE.match(code):
            raise ImportFileError(file, line, f"code is not an ISCO-08 code: {code!r}")
        unique(file, line, seen, code, "ISCO group code")
        records.append(
            GroupRecord(
                code=code,
                uri=uri,
                label=check_label(file, line, "preferredLabel", label),
                # ISCO-08 codes nest by prefix: 2654 is in 265, which is in 26, then 2.
                parent_code=code[:-1] or None,
            )
        )
    return records


def _relations(
    path: Path, skill_uris: set[str], occupation_uris: set[str], progress: Progress
) -> list[RelationRecord]:
    file = str(path)
    relations: dict[tuple[str, str], RelationRecord] = {}
    rows = read_rows(path, ["occupationUri", "relationType", "skillUri"])
    for line, (occupation, relation, skill) in counted(rows, f"Reading {path.name}", progress):
        # A URI found among the occupations or skills was checked there; only an unknown one
        # is checked here, so a malformed URI gets the more precise message.
        if occupation not in occupation_uris:
            check_uri(file, line, "occupationUri", occupation)
            raise ImportFileError(file, line, f"occupation {occupation} is not in {OCCUPATIONS}")
        if skill not in skill_uris:
            check_uri(file, line, "skillUri", skill)
            raise ImportFileError(file, line, f"skill {skill} is not in {SKILLS}")
        if relation not in RELATIONS:
            raise ImportFileError(
                file, line, f"relationType must be essential or optional, not {relation!r}"
            )
        merge_relation(relations, RelationRecord(occupation, skill, relation))
    return list(relations.values())


def _broader(path: Path, known: set[str], progress: Progress) -> list[tuple[str, str]]:
    """Hierarchy links whose two ends were imported; others point at concepts of pillars or
    collections this import does not hold, and are left out rather than refused."""
    file = str(path)
    pairs: dict[tuple[str, str], None] = {}
    rows = read_rows(path, ["conceptUri", "broaderUri"])
    for line, (narrower, broader) in counted(rows, f"Reading {path.name}", progress):
        check_uri(file, line, "conceptUri", narrower)
        check_uri(file, line, "broaderUri", broader)
        if narrower in known and broader in known and narrower != broader:
            pairs[(narrower, broader)] = None
    return list(pairs)
