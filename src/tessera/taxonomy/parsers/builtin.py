"""Parser of Tessera's own skills file (`taxonomy/data/tessera_skills.csv`).

Columns: uri, label, field, skill_type, alt_labels (`|`-separated), description. Skills that
ESCO already names keep their ESCO URI, so credentials aligned to them stay ESCO-aligned.
"""

from __future__ import annotations

import re
from pathlib import Path

from tessera.errors import ImportFileError
from tessera.taxonomy.parsers.records import (
    SkillRecord,
    check_label,
    check_uri,
    split_labels,
    unique,
)
from tessera.taxonomy.parsers.tables import read_rows

SKILL_TYPES = ("skill/competence", "knowledge")
_FIELD = re.compile(r"^[a-z][a-z_]*$")


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
        if not _FIELD.match(field):
            raise ImportFileError(file, line, f"field is not a field slug: {field!r}")
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
