"""The in-memory snapshot behind search: the generation every index change bumps, refreshing
a snapshot from the changes, and searches in one session seeing what others committed (or
rolled back)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from tests.unit.catalog.search_fixtures import publish, set_up

from tessera.accounts import services as accounts
from tessera.catalog import search as search_index
from tessera.catalog import services as catalog
from tessera.catalog.search import cache, generation, snapshot
from tessera.catalog.search.query import SearchQuery, Sort
from tessera.catalog.search.snapshot import Snapshot
from tessera.db import make_engine, make_sessionmaker, transaction

OPERATOR = accounts.OPERATOR


def _titles(db: Session, text_: str = "") -> set[str]:
    return {item.title for item in search_index.search(db, SearchQuery(text=text_)).items}


def _rows(current: Snapshot) -> list[tuple[Any, ...]]:
    """Every row of a snapshot, decoded: what two snapshots of one state must agree on."""
    skill = current.skill
    return [
        (int(current.ids[row]), current.provider.values[current.provider.codes[row]],
         current.provider_kind.values[current.provider_kind.codes[row]],
         current.field.values[current.field.codes[row]],
         current.eqf_level.values[current.eqf_level.codes[row]],
         current.participation_mode.values[current.participation_mode.codes[row]],
         current.language_set.values[current.language_set.codes[row]],
         [skill.values[code] for code in skill.codes[skill.starts[row]:skill.starts[row + 1]]],
         int(current.cents[row]), int(current.hours[row]), int(current.published[row]))
        for row in range(current.size)
    ]


@pytest.fixture
def provider(db: Session) -> None:
    set_up(db)


def _index(db: Session) -> Any:
    return search_index.backend(db)


# --- the generation ------------------------------------------------------------------------


def test_every_index_change_bumps_the_generation(db: Session, provider: None) -> None:
    start = generation.head(db)
    first = publish(db, "Generation Basics")
    second = publish(db, "Generation Advanced")
    catalog.retire_microcredential(db, OPERATOR, first)
    search_index.rebuild_index(db)
    log = db.execute(text(
        "SELECT generation, microcredential_id FROM search_changes "
        "WHERE generation > :start ORDER BY generation"
    ), {"start": start.number}).all()
    assert [tuple(row) for row in log] == [
        (start.number + 1, first), (start.number + 2, second), (start.number + 3, first),
        (start.number + 4, None),
    ]
    head = generation.head(db)
    assert head.number == start.number + 4
    assert head.stamp != start.stamp


def test_the_change_log_keeps_the_latest_changes(
    db: Session, provider: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generation, "KEEP", 3)
    ids = [publish(db, f"Pruned Course {n}") for n in range(5)]
    log = db.execute(text("SELECT microcredential_id FROM search_changes ORDER BY generation"))
    assert list(log.scalars()) == ids[-3:]


# --- refreshing a snapshot -----------------------------------------------------------------


def test_a_refreshed_snapshot_equals_a_fresh_load(db: Session, provider: None) -> None:
    kept = publish(db, "Refresh Kept", languages=["en", "fr"])
    retired = publish(db, "Refresh Retired")
    changed = publish(db, "Refresh Changed", eqf_level=None)
    base = snapshot.load(db, _index(db))
    catalog.retire_microcredential(db, OPERATOR, retired)
    catalog.update_microcredential(db, OPERATOR, changed, {
        "languages": ["de"], "eqf_level": 7, "price": "12.50", "workload_hours": 300,
    })
    catalog.publish_microcredential(db, OPERATOR, changed)
    added = publish(db, "Refresh Added", price="0.00")

    refreshed = snapshot.refresh(db, [base], _index(db))
    loaded = snapshot.load(db, _index(db))
    assert refreshed.generation == loaded.generation == generation.head(db)
    assert _rows(refreshed) == _rows(loaded)
    assert {row[0] for row in _rows(refreshed)} >= {kept, changed, added}
    assert retired not in refreshed.ids
    assert _rows(base) != _rows(loaded)


def test_a_search_after_a_publication_reloads_only_what_changed(
    db: Session, provider: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(db, "Incremental One")
    assert _titles(db, "incremental") == {"Incremental One"}

    def whole(*_args: object) -> Snapshot:
        raise AssertionError("the whole index was read again")

    monkeypatch.setattr(snapshot, "load", whole)
    publish(db, "Incremental Two")
    assert _titles(db, "incremental") == {"Incremental One", "Incremental Two"}


def test_a_rebuild_means_reading_everything_again(
    db: Session, provider: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(db, "Rebuilt Course")
    assert _titles(db, "rebuilt") == {"Rebuilt Course"}
    loads = []
    original = snapshot.load

    def counted(*args: Any) -> Snapshot:
        loads.append(1)
        return original(*args)

    monkeypatch.setattr(snapshot, "load", counted)
    search_index.rebuild_index(db)
    assert _titles(db, "rebuilt") == {"Rebuilt Course"}
    assert loads == [1]


def test_a_snapshot_older_than_the_change_log_is_read_again(
    db: Session, provider: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generation, "KEEP", 2)
    base = snapshot.load(db, _index(db))
    for n in range(3):
        publish(db, f"Old Snapshot {n}")
    refreshed = snapshot.refresh(db, [base], _index(db))
    assert _rows(refreshed) == _rows(snapshot.load(db, _index(db)))


def test_a_process_keeps_a_few_snapshots(db: Session, provider: None) -> None:
    for n in range(cache.KEPT + 2):
        publish(db, f"Kept Snapshot {n}")
        assert _titles(db, "kept snapshot")
    held = cache.snapshots(db).held()
    assert len(held) == cache.KEPT
    assert held[-1] == generation.head(db)


# --- sessions and processes ----------------------------------------------------------------


@pytest.fixture
def committed(committed_database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions that commit, on a database of their own, with one published entry."""
    engine = make_engine(committed_database_url)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as db:
        set_up(db)
        publish(db, "Committed Anatomy")
    yield sessions
    engine.dispose()


def _other_process(sessions: sessionmaker[Session]) -> Engine:
    """Another engine on the same database: its own snapshots, as in another process."""
    bind = sessions.kw["bind"]
    return make_engine(bind.url.render_as_string(hide_password=False))


def test_searches_see_what_other_sessions_commit(committed: sessionmaker[Session]) -> None:
    other = _other_process(committed)
    try:
        with transaction(committed) as db:
            assert _titles(db, "committed") == {"Committed Anatomy"}
        with Session(other) as reader:
            assert _titles(reader, "committed") == {"Committed Anatomy"}
        with transaction(committed) as db:
            botany = publish(db, "Committed Botany")
        with transaction(committed) as db:
            assert _titles(db, "committed") == {"Committed Anatomy", "Committed Botany"}
        with Session(other) as reader:
            assert _titles(reader, "committed") == {"Committed Anatomy", "Committed Botany"}
        with transaction(committed) as db:
            catalog.retire_microcredential(db, OPERATOR, botany)
        with transaction(committed) as db:
            assert _titles(db, "committed") == {"Committed Anatomy"}
        with Session(other) as reader:
            assert _titles(reader, "committed") == {"Committed Anatomy"}
            assert search_index.search(reader, SearchQuery()).total == 1
    finally:
        other.dispose()


def test_a_rolled_back_publication_never_shows(committed: sessionmaker[Session]) -> None:
    """A session that searches its own uncommitted publication leaves a snapshot of it in
    the process; once rolled back, a publication committed elsewhere takes the same
    generation number, and every search must see that one, not the rolled-back one."""
    db = committed()
    before = generation.head(db)
    publish(db, "Committed Chemistry")
    assert _titles(db, "committed") == {"Committed Anatomy", "Committed Chemistry"}
    db.rollback()
    db.close()
    with transaction(committed) as writer:
        publish(writer, "Committed Dentistry")
        assert generation.head(writer).number == before.number + 1
    with transaction(committed) as reader:
        assert _titles(reader, "committed") == {"Committed Anatomy", "Committed Dentistry"}
        assert search_index.search(reader, SearchQuery()).total == 2


def test_searching_leaves_the_planner_settings_as_it_found_them(
    db: Session, provider: None
) -> None:
    """PostgreSQL text matches change planner settings for themselves (see postgres_fts);
    the caller's own settings must come back.  (SQLite has none to change.)"""
    postgresql = db.get_bind().dialect.name == "postgresql"
    settings = ("enable_seqscan", "plan_cache_mode") if postgresql else ()
    if postgresql:
        db.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
    before = [db.execute(text(f"SHOW {name}")).scalar() for name in settings]
    publish(db, "Planner Course")
    for query in (SearchQuery(text="planner"), SearchQuery(text="planner", sort=Sort.TITLE),
                  SearchQuery()):
        assert search_index.search(db, query).total == 1
        assert [db.execute(text(f"SHOW {name}")).scalar() for name in settings] == before


def test_snapshot_columns_are_numpy_arrays_in_id_order(db: Session, provider: None) -> None:
    for n in range(3):
        publish(db, f"Ordered {n}")
    current = snapshot.load(db, _index(db))
    assert np.all(np.diff(current.ids) > 0)
    assert len(current.cents) == len(current.hours) == len(current.published) == current.size
