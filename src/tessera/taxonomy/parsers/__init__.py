"""Pure parsers of taxonomy files: no database, no web; every problem is an ImportFileError.

    tables   reading CSV / tab-separated text (optionally gzipped) and .xlsx, with line numbers
    records  the records the importers write, and the value checks they share
    esco     the official ESCO CSV export
    onet     the O*NET database files
    builtin  Tessera's own skills and occupations files
"""

from __future__ import annotations

from tessera.taxonomy.parsers.builtin import parse_builtin, parse_builtin_occupations
from tessera.taxonomy.parsers.esco import parse_esco
from tessera.taxonomy.parsers.onet import parse_onet
from tessera.taxonomy.parsers.records import (
    ESSENTIAL,
    OPTIONAL,
    GroupRecord,
    OccupationRecord,
    RelationRecord,
    SkillRecord,
    Taxonomy,
)
from tessera.taxonomy.parsers.tables import Progress, no_progress

__all__ = [
    "ESSENTIAL",
    "OPTIONAL",
    "GroupRecord",
    "OccupationRecord",
    "Progress",
    "RelationRecord",
    "SkillRecord",
    "Taxonomy",
    "no_progress",
    "parse_builtin",
    "parse_builtin_occupations",
    "parse_esco",
    "parse_onet",
]
