"""Migration 0003 (search generation) both ways on a populated index: downgrading brings back
and fills what 0002's code reads, upgrading again gives the same search results."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text
from tests.unit.catalog.search_fixtures import SKILL, publish, set_up

from tessera import migrate
from tessera.catalog import search as search_index
from tessera.catalog.search.query import SearchQuery
from tessera.db import make_engine, make_sessionmaker, transaction


def _to(url: str, revision: str, up: bool) -> None:
    engine = make_engine(url)
    config = migrate.alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.upgrade if up else command.downgrade)(config, revision)
    engine.dispose()


def test_downgrade_and_upgrade_keep_the_index(committed_database_url: str) -> None:
    url = committed_database_url
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as db:
        set_up(db)
        publish(db, "Migrated Anatomy", languages=["en", "de"], price="0.00")
        publish(db, "Migrated Botany", eqf_level=None, workload_hours=300)
        before = search_index.search(db, SearchQuery(text="migrated")).model_dump()
    engine.dispose()

    _to(url, "0002", up=False)
    engine = make_engine(url)
    with engine.connect() as connection:
        counts = dict(connection.execute(text(
            "SELECT facet || ':' || value, n FROM search_facet_counts"
        )).all())
        links = connection.execute(text("SELECT count(*) FROM search_document_skills")).scalar()
        if connection.dialect.name == "postgresql":
            missing = connection.execute(text(
                "SELECT count(*) FROM search_vectors WHERE field IS NULL"
            )).scalar()
            assert missing == 0
    engine.dispose()
    assert counts["_total:"] == 2
    assert counts["language:en"] == 2
    assert counts["language:de"] == 1
    assert counts["price:free"] == 1
    assert counts["price:paid"] == 1
    assert counts["workload:250+"] == 1
    assert counts["eqf_level:6"] == 1
    assert sum(n for key, n in counts.items() if key.startswith("skill:")) == links == 2

    _to(url, "head", up=True)
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as db:
        assert search_index.search(db, SearchQuery(text="migrated")).model_dump() == before
        assert search_index.search(db, SearchQuery(skills=(SKILL,))).total == 2
    engine.dispose()
