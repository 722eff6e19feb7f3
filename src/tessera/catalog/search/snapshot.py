"""The index's filter, facet and sort columns in memory, as of one generation.

A search filters and counts facets over every text match (tens of thousands of entries for a
common word); reading those rows back from the database for each search cost more than the
50 ms budget on SQLite (see docs/adr/0007).  So each process holds the `search_documents`
columns as numpy arrays, one row per entry in microcredential id order, and the database only
matches the text and ranks the page.

A snapshot is immutable and names the generation it reflects (see `generation`).  `load`
reads it whole; `refresh` brings an older snapshot up to date by reloading only the
entries changed since (see docs/adr/0007 for what each costs).
What depends on the columns alone (sort orders, the whole catalog's facet counts) is
computed once per snapshot, the first time a search needs it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import text
from sqlalchemy.orm import Session

from tessera.catalog.search import generation
from tessera.catalog.search.columns import Codes, Lists, Mask, Rows
from tessera.catalog.search.generation import Generation

T = TypeVar("T")


class Dialect(Protocol):
    """The SQL that differs per backend when reading the columns."""

    def cents(self, column: str) -> str: ...  # the price in cents
    def micros(self, column: str) -> str: ...  # a timestamp in microseconds since 1970
    def joined(self, expression: str, separator: str) -> str: ...  # aggregated as one text


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The index's columns; row i describes the entry of microcredential `ids[i]`."""

    generation: Generation
    ids: NDArray[np.int64]  # ascending
    provider: Codes  # provider ids
    provider_kind: Codes
    field: Codes
    eqf_level: Codes  # None: no level
    participation_mode: Codes
    language_set: Codes  # ",de,en,": few distinct sets, split when counting
    skill: Lists  # skill ids, as in the entry's skill_set
    cents: NDArray[np.int64]  # price
    hours: NDArray[np.int64]  # workload
    published: NDArray[np.int64]  # microseconds since 1970
    providers: dict[int, tuple[str, str]]  # provider id -> (slug, name)
    skills: dict[int, tuple[str, str]]  # skill id -> (uri, label)
    # What is derived from the columns alone (sort orders, whole-catalog counts), computed
    # the first time a search needs it: a snapshot never changes.
    derived: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def locate(self, microcredential_ids: NDArray[np.int64]) -> tuple[Rows, Mask]:
        """The row of each id, and which ids this snapshot has (the others' rows are junk)."""
        rows = np.searchsorted(self.ids, microcredential_ids)
        found = rows < len(self.ids)
        found[found] = self.ids[rows[found]] == microcredential_ids[found]
        return rows, found

    def rows_of(self, microcredential_ids: NDArray[np.int64]) -> Rows:
        """The rows of those ids that this snapshot has (others are left out), through a
        table from id to row (-1: none): one lookup per id, cheaper than a binary search
        for the tens of thousands of ids a common word matches."""
        table = self.derive("row of id", _rows_by_id)
        inside = microcredential_ids[(microcredential_ids >= 0)
                                     & (microcredential_ids < len(table))]
        rows = table[inside]
        return rows[rows >= 0]

    def derive(self, key: str, compute: Callable[[Snapshot], T]) -> T:
        """`compute(self)`, computed the first time `key` is asked for (two searches may
        both compute it: the result is the same)."""
        if key not in self.derived:
            self.derived[key] = compute(self)
        return cast(T, self.derived[key])


def _rows_by_id(snapshot: Snapshot) -> NDArray[np.intp]:
    table = np.full(int(snapshot.ids[-1]) + 1 if snapshot.size else 0, -1, dtype=np.intp)
    table[snapshot.ids] = np.arange(snapshot.size)
    return table


# What is read of each entry: integers (NULL levels as -1), and strings (the codes' values).
_INTEGERS = ("microcredential_id", "provider_id", "eqf_level", "price", "workload_hours",
             "published_at", "skill_count")
_STRINGS = ("provider_kind", "field", "participation_mode", "language_set")
_UNIT = "\x1f"  # joins strings, which never contain it (Unicode's unit separator)
_SKILL_SETS = "NULLIF(d.skill_set, '')"  # aggregates skip NULLs: only lists with ids


def _expressions(dialect: Dialect) -> dict[str, str]:
    """SQL for each of _INTEGERS and _STRINGS over `search_documents AS d`."""
    return {
        "microcredential_id": "d.microcredential_id", "provider_id": "d.provider_id",
        "eqf_level": "coalesce(d.eqf_level, -1)", "price": dialect.cents("d.price"),
        "workload_hours": "d.workload_hours", "published_at": dialect.micros("d.published_at"),
        "skill_count": "CASE WHEN d.skill_set = '' THEN 0 "
                       "ELSE length(d.skill_set) - length(replace(d.skill_set, ',', '')) + 1 END",
        **{name: f"d.{name}" for name in _STRINGS},
    }


_PROVIDERS = text("SELECT provider_id, slug, name FROM search_providers")
_SKILLS = text("SELECT skill_id, uri, label FROM search_skills")


def _numbers(joined: str | None) -> NDArray[np.int64]:
    """The integers of text such as "12,45,78" (None: none)."""
    return np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.zeros(0, np.int64)


@dataclass(frozen=True)
class _Columns:
    """Some entries' columns (in any order: `_build` sorts them by id)."""

    integers: dict[str, NDArray[np.int64]]
    strings: dict[str, list[str]]
    skills: NDArray[np.int64]  # every entry's skill ids, entry after entry (see skill_count)

    @classmethod
    def of_rows(cls, rows: Sequence[Sequence[Any]]) -> _Columns:
        """From rows of _INTEGERS, _STRINGS and skill_set."""
        width = len(_INTEGERS) + len(_STRINGS) + 1
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]
        integers = {name: np.array(columns[i], dtype=np.int64) for i, name in enumerate(_INTEGERS)}
        strings = {name: [str(value) for value in columns[len(_INTEGERS) + i]]
                   for i, name in enumerate(_STRINGS)}
        skills = _numbers(",".join(skill_set for skill_set in columns[-1] if skill_set))
        return cls(integers, strings, skills)

    @classmethod
    def of_everything(cls, db: Session, dialect: Dialect) -> _Columns:
        """Every entry, read as one string per column (half the time of reading 100,000
        rows as Python objects).  All the aggregates of one statement read the rows in the
        same order, so the columns line up."""
        expressions = _expressions(dialect)
        row = db.execute(text(
            f"SELECT {', '.join(dialect.joined(expressions[n], ',') for n in _INTEGERS)}, "  # noqa: S608 - constants
            f"{', '.join(dialect.joined(expressions[n], _UNIT) for n in _STRINGS)}, "
            f"{dialect.joined(_SKILL_SETS, ',')} FROM search_documents AS d"
        )).one()
        integers = {name: _numbers(row[i]) for i, name in enumerate(_INTEGERS)}
        entries = len(integers["microcredential_id"])  # "" is one empty string, or none
        strings = {name: str(row[len(_INTEGERS) + i]).split(_UNIT) if entries else []
                   for i, name in enumerate(_STRINGS)}
        return cls(integers, strings, _numbers(row[-1]))

    def skill_lengths(self) -> NDArray[np.int64]:
        return self.integers["skill_count"]

    def levels(self) -> list[int | None]:
        return [None if level < 0 else level for level in self.integers["eqf_level"].tolist()]


def _names(db: Session) -> tuple[dict[int, tuple[str, str]], dict[int, tuple[str, str]]]:
    """Providers (slug, name) and skills (URI, label) by id."""
    providers = {int(i): (str(slug), str(name)) for i, slug, name in db.execute(_PROVIDERS)}
    skills = {int(i): (str(uri), str(label)) for i, uri, label in db.execute(_SKILLS)}
    return providers, skills


def _coded(columns: _Columns) -> dict[str, Sequence[Any]]:
    """The values of each coded column (the Snapshot attribute names)."""
    return {**columns.strings, "eqf_level": columns.levels(),
            "provider": columns.integers["provider_id"].tolist()}


def _build(db: Session, at: Generation, columns: _Columns) -> Snapshot:
    """A snapshot of `columns` (every entry), in id order."""
    coded = {name: Codes.encode(values) for name, values in _coded(columns).items()}
    skill = Lists.encode(columns.skill_lengths(), columns.skills.tolist())
    numbers = {name: columns.integers[name] for name in _ATTRIBUTES}
    ids = numbers["microcredential_id"]
    if np.any(ids[1:] <= ids[:-1]):  # the database read them in another order
        order = np.argsort(ids, kind="stable")
        coded = {name: codes.take(order) for name, codes in coded.items()}
        skill = skill.take(order)
        numbers = {name: values[order] for name, values in numbers.items()}
    return _snapshot(db, at, coded, skill, numbers)


def _patch(
    db: Session, at: Generation, base: Snapshot, keep: Mask, columns: _Columns
) -> Snapshot:
    """`base`'s `keep`-masked rows with the entries of `columns` put in their place by id:
    a pass or two over each array, so that a publication costs milliseconds."""
    order = np.argsort(columns.integers["microcredential_id"], kind="stable")
    ids = columns.integers["microcredential_id"][order]
    at_rows = np.searchsorted(base.ids[keep], ids)
    coded = {name: getattr(base, name).patch(keep, at_rows, [values[i] for i in order])
             for name, values in _coded(columns).items()}
    lengths = columns.skill_lengths()
    starts = np.concatenate([[0], np.cumsum(lengths)])
    skill = base.skill.patch(keep, at_rows, lengths[order], [
        value for i in order for value in columns.skills[starts[i]:starts[i + 1]].tolist()
    ])
    numbers = {name: np.insert(getattr(base, attribute)[keep], at_rows,
                               columns.integers[name][order])
               for name, attribute in _ATTRIBUTES.items()}
    return _snapshot(db, at, coded, skill, numbers)


def _snapshot(
    db: Session, at: Generation, coded: dict[str, Codes], skill: Lists,
    numbers: dict[str, NDArray[np.int64]],
) -> Snapshot:
    providers, skills = _names(db)
    return Snapshot(
        generation=at, ids=numbers["microcredential_id"], provider=coded["provider"],
        provider_kind=coded["provider_kind"], field=coded["field"],
        eqf_level=coded["eqf_level"], participation_mode=coded["participation_mode"],
        language_set=coded["language_set"], skill=skill, cents=numbers["price"],
        hours=numbers["workload_hours"], published=numbers["published_at"],
        providers=providers, skills=skills,
    )


# Snapshot attribute of each number column.
_ATTRIBUTES = {"microcredential_id": "ids", "price": "cents", "workload_hours": "hours",
               "published_at": "published"}


def load(db: Session, dialect: Dialect) -> Snapshot:
    """The whole index, as this session sees it."""
    at = generation.head(db)  # first: the rows read next are at least this new
    return _build(db, at, _Columns.of_everything(db, dialect))


def refresh(db: Session, bases: Sequence[Snapshot], dialect: Dialect) -> Snapshot:
    """The newest of `bases` that is in this database's history, brought up to date: only
    the entries changed since are read again.

    A snapshot is in the history if the change log still has its generation with its stamp
    (one made from changes that were rolled back is not, nor one older than the log).  The
    changes and the changed entries come from one statement, so they agree with each other.
    No such base, or a rebuild since, means reading the index whole.
    """
    if not bases:
        return load(db, dialect)
    expressions = _expressions(dialect)
    rows = db.execute(
        text(
            "SELECT c.generation, c.stamp, c.microcredential_id, d.microcredential_id, "  # noqa: S608 - constants
            f"{', '.join(expressions[name] for name in (*_INTEGERS, *_STRINGS))}, "
            "d.skill_set FROM search_changes AS c "
            "LEFT JOIN search_documents AS d ON d.microcredential_id = c.microcredential_id "
            "WHERE c.generation >= :since ORDER BY c.generation"
        ),
        {"since": min(base.generation.number for base in bases)},
    ).all()
    history = {Generation(int(row[0]), int(row[1])) for row in rows}
    base = max((base for base in bases if base.generation in history),
               key=lambda base: base.generation.number, default=None)
    if base is None:
        return load(db, dialect)
    changes = [row for row in rows if int(row[0]) > base.generation.number]
    if not changes:
        return base
    if any(row[2] is None for row in changes):
        return load(db, dialect)
    latest = Generation(int(changes[-1][0]), int(changes[-1][1]))
    changed = np.array(sorted({int(row[2]) for row in changes}), dtype=np.int64)
    present = {int(row[3]): tuple(row[4:]) for row in changes if row[3] is not None}
    keep = ~np.isin(base.ids, changed)
    return _patch(db, latest, base, keep, _Columns.of_rows(list(present.values())))
