"""Parsers of Tessera's own taxonomy files (`taxonomy/data/`).

tessera_skills.csv: uri, label, field, skill_type, alt_labels (`|`-separated), description.
tessera_occupations.csv: uri, label, field, alt_labels, description, essential and optional
(`|`-separated skill URIs of the skills file), and optionally group_code (ISCO-08 unit group).
Concepts that ESCO already names keep their ESCO URI, so what is aligned to them stays
ESCO-aligned.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from tessera.errors import ImportFileError
from tessera.taxonomy.parsers.records import (
    ESSENTIAL,
    OPTIONAL,
    OccupationRecord,
    RelationRecord,
    SkillRecord,
    check_label,
    check_uri,
    split_labels,
    unique,
)
from tessera.taxonomy.parsers.tables import read_rows

SKILL_TYPES = ("skill/competence", "knowledge")
_FIELD = re.compile(r"^[a-z][a-z_]*$")
_ISCO = re.compile(r"^[0-9]{1,4}$")  # ISCO-08: major group (1 digit) to unit group (4)
OCCUPATION_COLUMNS = ["uri", "label", "field", "alt_labels", "description", "essential", "optional"]


def parse_builtin(path: Path) -> list[SkillRecord]:
    file = str(path)
    seen: dict[str, int] = {}
    records = []
    rows = read_rows(path, ["uri", "label", "field", "skill_type", "alt_labels", "description"])
    for line, (uri, label, field, skill_type, alt, description) in rows:
        check_uri(file, line, "uri", uri)
        unique(file, line, seen, uri, "skill")
        # The field is checked (a typo would be a content bug) though not stored: skills
        # carry no field of their own, the microcredentials that teach them do.
        _check_field(file, line, field)
        if skill_type not in SKILL_TYPES:
            raise ImportFileError(
                file, line, f"skill_type must be one of {', '.join(SKILL_TYPES)}: {skill_type!r}"
            )
        records.append(
            SkillRecord(
                uri=uri,
                label=check_label(file, line, "label", label),
                skill_type=skill_type,
                alt_labels=split_labels(alt.split("|")),
                description=description,
            )
        )
    return records


def _check_field(file: str, line: int, field: str) -> None:
    if not _FIELD.match(field):
        raise ImportFileError(file, line, f"field is not a field slug: {field!r}")


def parse_builtin_occupations(
    path: Path, skill_uris: Collection[str]
) -> tuple[list[OccupationRecord], list[RelationRecord]]:
    """The occupations and their skill relations; every skill must be one of `skill_uris`
    (the built-in skills), so loading never depends on what else the database holds."""
    file = str(path)
    seen: dict[str, int] = {}
    labels: dict[str, int] = {}
    occupations: list[OccupationRecord] = []
    relations: list[RelationRecord] = []
    for line, cells in read_rows(path, OCCUPATION_COLUMNS, ["group_code"]):
        uri, label, field, alt, description, essential, optional, group_code = cells
        check_uri(file, line, "uri", uri)
        unique(file, line, seen, uri, "occupation")
        # Two occupations named alike would be indistinguishable in search and the planner.
        unique(file, line, labels, label.casefold(), "occupation label")
        _check_field(file, line, field)
        if group_code and not _ISCO.match(group_code):
            raise ImportFileError(file, line, f"group_code is not an ISCO-08 code: {group_code!r}")
        links = {
            ESSENTIAL: _skill_list(file, line, ESSENTIAL, essential, skill_uris),
            OPTIONAL: _skill_list(file, line, OPTIONAL, optional, skill_uris),
        }
        if not links[ESSENTIAL]:
            raise ImportFileError(file, line, "essential lists no skills")
        both = set(links[ESSENTIAL]) & set(links[OPTIONAL])
        if both:
            raise ImportFileError(file, line, f"skill both essential and optional: {min(both)}")
        occupations.append(
            OccupationRecord(
                uri=uri,
                label=check_label(file, line, "label", label),
                group_code=group_code or None,
                alt_labels=split_labels(alt.split("|")),
                description=description,
            )
        )
        relations += [
            RelationRecord(occupation_uri=uri, skill_uri=skill, relation=relation)
            for relation, skills in links.items()
            for skill in skills
        ]
    return occupations, relations


def _skill_list(
    file: str, line: int, column: str, value: str, skill_uris: Collection[str]
) -> list[str]:
    uris = [uri.strip() for uri in value.split("|") if uri.strip()]
    for uri in uris:
        if uri not in skill_uris:
            raise ImportFileError(file, line, f"{column}: not a built-in skill: {uri}")
    if len(set(uris)) != len(uris):
        repeated = next(uri for uri in uris if uris.count(uri) > 1)
        raise ImportFileError(file, line, f"{column}: skill listed twice: {repeated}")
    return uris
