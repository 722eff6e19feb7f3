"""The search index's generation: how every process learns that its columns are out of date.

Each process keeps the index's filter and facet columns in memory (see `snapshot`), so the
database must say, on every search, which state of the index it holds.  Every index change
bumps the one row of `search_generation` inside the writer's transaction and logs what it
changed in `search_changes`:

- The row lock on `search_generation` makes concurrent writers take numbers in the order in
  which they commit, so a reader that sees generation N also sees every change up to N.
- Each generation gets a random stamp: a transaction that bumps to N and rolls back leaves
  no trace, and the next writer's N has another stamp, so a copy made from the rolled-back
  state (a session searching its own uncommitted changes) is never taken for the new one.
- A change names the microcredential whose entry it replaced or removed (NULL: a rebuild,
  anything may have changed), so a copy a few generations old reloads those entries only.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

KEEP = 1_000  # changes kept in the log; a copy older than that is reloaded whole

_BUMP = text(
    "UPDATE search_generation SET generation = generation + 1 WHERE id = 1 RETURNING generation"
)
_LOG = text(
    "INSERT INTO search_changes (generation, stamp, microcredential_id) "
    "VALUES (:generation, :stamp, :microcredential_id)"
)
_PRUNE = text("DELETE FROM search_changes WHERE generation <= :oldest")
_HEAD = text("SELECT generation, stamp FROM search_changes ORDER BY generation DESC LIMIT 1")


@dataclass(frozen=True)
class Generation:
    """One state of the index: its number and the stamp it was given."""

    number: int
    stamp: int


def bump(db: Session, microcredential_id: int | None) -> Generation:
    """Record an index change (None: any entry may have changed) in the caller's transaction."""
    number = int(db.execute(_BUMP).scalar_one())
    generation = Generation(number, secrets.randbits(63))
    db.execute(_LOG, {"generation": number, "stamp": generation.stamp,
                      "microcredential_id": microcredential_id})
    db.execute(_PRUNE, {"oldest": number - KEEP})
    return generation


def head(db: Session) -> Generation:
    """The index's current generation, as this session sees it."""
    number, stamp = db.execute(_HEAD).one()
    return Generation(int(number), int(stamp))
