"""Each process's snapshots of the index (see `snapshot`), checked on every search.

The application stays stateless between requests: a search first reads the index's current
generation (one indexed row), and uses a snapshot only if it reflects exactly that
generation; otherwise the newest snapshot this process has of an earlier generation (of
this database's history: see `snapshot.refresh`) is brought up to date, or the index is
read whole.  Snapshots are kept per engine (gone with it) and only a few of them:
different sessions may see different generations for a moment (one that has not committed
its publication yet sees its own), and each finds its own here rather than reloading.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tessera.catalog.search import snapshot
from tessera.catalog.search.generation import Generation
from tessera.catalog.search.snapshot import Dialect, Snapshot

KEPT = 3  # snapshots per engine (a few MB each for 100,000 entries)


class Snapshots:
    """The snapshots of one database, most recently used last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_generation: OrderedDict[Generation, Snapshot] = OrderedDict()

    def held(self) -> list[Generation]:
        """The generations held, least recently used first."""
        with self._lock:
            return list(self._by_generation)

    def current(self, db: Session, at: Generation, dialect: Dialect) -> Snapshot:
        """The snapshot of generation `at` (or newer, if changes committed meanwhile)."""
        with self._lock:
            found = self._by_generation.get(at)
            if found is not None:
                self._by_generation.move_to_end(at)
                return found
            bases = [kept for kept in self._by_generation.values()
                     if kept.generation.number <= at.number]
        # Read outside the lock: other searches go on meanwhile (two may both read).
        fresh = snapshot.refresh(db, bases, dialect)
        with self._lock:
            self._by_generation[fresh.generation] = fresh
            self._by_generation.move_to_end(fresh.generation)
            while len(self._by_generation) > KEPT:
                self._by_generation.popitem(last=False)
        return fresh


_LOCK = threading.Lock()
# Per engine, so that a disposed engine's snapshots go with it and tests' databases never mix.
_ENGINES: WeakKeyDictionary[Engine, Snapshots] = WeakKeyDictionary()


def snapshots(db: Session) -> Snapshots:
    engine = db.get_bind().engine
    with _LOCK:
        found = _ENGINES.get(engine)
        if found is None:
            found = _ENGINES[engine] = Snapshots()
        return found
