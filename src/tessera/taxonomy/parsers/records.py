"""What the parsers produce, and the checks every framework's values go through.

Records are plain frozen dataclasses, so the importers can validate a whole directory before
writing anything, and tests can build them without a database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tessera.errors import ImportFileError

ESSENTIAL = "essential"
OPTIONAL = "optional"
RELATIONS = (ESSENTIAL, OPTIONAL)

# Column sizes of the taxonomy tables: checked here so a long value is a clear error, not a
# database error on PostgreSQL (SQLite would silently store it).
MAX_URI = 500
MAX_LABEL = 300
MAX_CODE = 32

_URI = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?/\S*$")


@dataclass(frozen=True, slots=True)
class SkillRecord:
    uri: str
    label: str
    skill_type: str = ""
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    code: str | None = None


@dataclass(frozen=True, slots=True)
class OccupationRecord:
    uri: str
    label: str
    code: str | None = None
    group_code: str | None = None
    alt_labels: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class GroupRecord:
    code: str
    uri: str
    label: str
    parent_code: str | None = None


@dataclass(frozen=True, slots=True)
class RelationRecord:
    occupation_uri: str
    skill_uri: str
    relation: str  # ESSENTIAL or OPTIONAL
    importance: float | None = None


@dataclass
class Taxonomy:
    """Everything one import writes, already validated and cross-checked."""

    skills: list[SkillRecord] = field(default_factory=list)
    occupations: list[OccupationRecord] = field(default_factory=list)
    groups: list[GroupRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    # (narrower skill URI, broader skill URI); None when the source has no hierarchy, so the
    # stored one is left as it is.
    broader: list[tuple[str, str]] | None = None


def check_uri(file: str, line: int, column: str, value: str) -> str:
    if not value:
        raise ImportFileError(file, line, f"{column} is empty")
    if len(value) > MAX_URI or not _URI.match(value):
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise ImportFileError(file, line, f"{column} is not an http(s) URI: {shown!r}")
    return value


def check_label(file: str, line: int, column: str, value: str) -> str:
    if not value:
        raise ImportFileError(file, line, f"{column} is empty")
    if len(value) > MAX_LABEL:
        raise ImportFileError(file, line, f"{column} is longer than {MAX_LABEL} characters")
    return value


def check_code(file: str, line: int, column: str, value: str) -> str | None:
    if len(value) > MAX_CODE:
        raise ImportFileError(file, line, f"{column} is longer than {MAX_CODE} characters")
    return value or None


def split_labels(values: Iterable[str]) -> tuple[str, ...]:
    """Trimmed, non-empty, first occurrence only (sources repeat labels)."""
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def unique(file: str, line: int, seen: dict[str, int], key: str, what: str) -> None:
    """Refuse a second record with the same key: the source would be ambiguous."""
    first = seen.setdefault(key, line)
    if first != line:
        raise ImportFileError(file, line, f"duplicate {what} {key} (first on line {first})")


def merge_relation(
    relations: dict[tuple[str, str], RelationRecord], record: RelationRecord
) -> None:
    """Keep one relation per (occupation, skill); where a source lists a pair twice, the
    stronger claim wins (essential over optional, then the higher importance)."""
    key = (record.occupation_uri, record.skill_uri)
    old = relations.get(key)
    if old is None or _strength(record) > _strength(old):
        relations[key] = record


def _strength(record: RelationRecord) -> tuple[bool, float]:
    return record.relation == ESSENTIAL, record.importance or 0.0
