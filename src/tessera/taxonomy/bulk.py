"""Set-based writes for the importers: compare with what is stored, then write only the
difference in batches (no ORM object per row), so a re-import writes nothing at all.

All statements run in the caller's transaction; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from tessera.taxonomy.models import Occupation, OccupationGroup, Skill, SkillFramework
from tessera.taxonomy.parsers import Progress, no_progress

T = TypeVar("T")
# Rows per statement: large enough to amortise round trips, small enough for SQLite's
# parameter limit in IN lists and for a responsive progress bar.
BATCH = 5_000


@dataclass
class Counts:
    """What an import did to one kind of row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def __str__(self) -> str:
        text = f"{self.created:,} created, {self.updated:,} updated, {self.unchanged:,} unchanged"
        return text + (f", {self.removed:,} removed" if self.removed else "")


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert(db: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT many rows in the session's transaction.

    PostgreSQL gets COPY: psycopg's executemany costs a round trip per row, and SQLAlchemy's
    multi-row VALUES spends its time building and parsing huge statements; COPY writes the
    129k ESCO relations in a second instead of 15-20 s. SQLite's executemany is fast as it is.
    """
    if not rows:
        return
    if db.get_bind().dialect.name != "postgresql":
        db.execute(insert(model), list(rows))
        return
    table = model.__table__
    names = list(rows[0])
    columns = ", ".join(table.c[name].name for name in names)
    # The DBAPI connection of this session, so COPY runs inside the same transaction.
    driver: Any = db.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(
        f"COPY {table.name} ({columns}) FROM STDIN"
    ) as copy:
        for row in rows:
            # psycopg dumps an Enum by member name; the tables store the value.
            copy.write_row([_plain(row[name]) for name in names])


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def sync_framework(
    db: Session, slug: str, name: str, version: str, uri: str
) -> tuple[SkillFramework, Counts]:
    framework = db.scalar(select(SkillFramework).where(SkillFramework.slug == slug))
    if framework is None:
        framework = SkillFramework(slug=slug, name=name, version=version, uri=uri)
        db.add(framework)
        db.flush()
        return framework, Counts(created=1)
    if (framework.name, framework.version, framework.uri) == (name, version, uri):
        return framework, Counts(unchanged=1)
    framework.name, framework.version, framework.uri = name, version, uri
    db.flush()
    return framework, Counts(updated=1)


def upsert_by_uri(
    db: Session,
    model: type[Skill] | type[Occupation],
    rows: list[dict[str, Any]],
    *,
    keep_other_frameworks: bool = False,
    stage: str = "Writing",
    progress: Progress = no_progress,
) -> tuple[Counts, dict[str, int]]:
    """Insert new URIs, update rows that differ, leave equal rows alone; return the ids by URI.

    A URI stored under another framework is moved to this one (ESCO takes over the ESCO URIs
    of the built-in taxonomy), unless `keep_other_frameworks` (the built-in loader must never
    take a skill back from ESCO).
    """
    counts = Counts()
    if not rows:
        return counts, {}
    columns = [name for name in rows[0] if name != "uri"]
    selected = [model.id, model.uri, *(getattr(model, name) for name in columns)]
    existing: dict[str, Any] = {}
    for chunk in chunks([row["uri"] for row in rows]):
        for found in db.execute(select(*selected).where(model.uri.in_(chunk))):
            existing[found.uri] = found
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in rows:
        old = existing.get(row["uri"])
        if old is None:
            inserts.append(row)
        elif keep_other_frameworks and old.framework_id != row["framework_id"]:
            counts.unchanged += 1
        elif any(getattr(old, name) != row[name] for name in columns):
            updates.append({"id": old.id, **{name: row[name] for name in columns}})
        else:
            counts.unchanged += 1
    counts.created, counts.updated = len(inserts), len(updates)
    total, done = len(inserts) + len(updates), 0
    progress(stage, 0, total)
    for batch in chunks(inserts):
        _insert(db, model, batch)
        done += len(batch)
        progress(stage, done, total)
    for batch in chunks(updates):
        # ORM bulk UPDATE by primary key: one executemany per batch.
        db.execute(update(model), list(batch))
        done += len(batch)
        progress(stage, done, total)
    ids = {uri: found.id for uri, found in existing.items()}
    for chunk in chunks([row["uri"] for row in inserts]):
        query = select(model.uri, model.id).where(model.uri.in_(chunk))
        ids.update(db.execute(query).all())
    return counts, ids


def sync_groups(db: Session, framework_id: int, rows: list[dict[str, Any]]) -> Counts:
    """Occupation groups, keyed by code within the framework (a few hundred rows at most)."""
    counts = Counts()
    existing = {
        group.code: group
        for group in db.scalars(
            select(OccupationGroup).where(OccupationGroup.framework_id == framework_id)
        )
    }
    for row in rows:
        group = existing.get(row["code"])
        if group is None:
            db.add(OccupationGroup(framework_id=framework_id, **row))
            counts.created += 1
        elif any(getattr(group, name) != value for name, value in row.items()):
            for name, value in row.items():
                setattr(group, name, value)
            counts.updated += 1
        else:
            counts.unchanged += 1
    db.flush()
    return counts


# A link table, its parent and child columns, and the columns that describe a link.
LinkTable = tuple[Any, str, str, tuple[str, ...]]


def sync_links(
    db: Session,
    table: LinkTable,
    wanted: dict[int, dict[int, tuple[Any, ...]]],
    *,
    stage: str = "Writing links",
    progress: Progress = no_progress,
) -> Counts:
    """Make each parent's links equal `wanted[parent]` ({child: values}).

    A parent whose links already match is not touched; one that differs has all its links
    replaced, which is simpler and no slower than patching pair by pair. Parents absent from
    `wanted` are not this import's business and keep their links.
    """
    model, parent, child, values = table
    parent_col, child_col = getattr(model, parent), getattr(model, child)
    have: dict[int, dict[int, tuple[Any, ...]]] = {}
    value_cols = [getattr(model, name) for name in values]
    for chunk in chunks(list(wanted)):
        query = select(parent_col, child_col, *value_cols).where(parent_col.in_(chunk))
        for found in db.execute(query):
            have.setdefault(found[0], {})[found[1]] = tuple(found[2:])

    counts = Counts()
    changed: list[int] = []
    for owner, links in wanted.items():
        current = have.get(owner, {})
        if current == links:
            counts.unchanged += len(links)
            continue
        changed.append(owner)
        counts.removed += len(current.keys() - links.keys())
        for key, value in links.items():
            if key not in current:
                counts.created += 1
            elif current[key] != value:
                counts.updated += 1
            else:
                counts.unchanged += 1

    rows = [
        {parent: owner, child: key, **dict(zip(values, value, strict=True))}
        for owner in changed
        for key, value in wanted[owner].items()
    ]
    progress(stage, 0, len(rows))
    for chunk in chunks(changed):
        db.execute(
            delete(model).where(parent_col.in_(chunk)),
            execution_options={"synchronize_session": False},
        )
    done = 0
    for batch in chunks(rows):
        _insert(db, model, batch)
        done += len(batch)
        progress(stage, done, len(rows))
    return counts
