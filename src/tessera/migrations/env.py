"""Alembic environment: the URL comes from the caller's Config (see tessera.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, pool

from tessera.db import Base, import_all_models, make_engine

import_all_models()
config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # Search indexes (FTS5 tables, tsvector columns) are managed by hand in migrations.
        include_object=lambda obj, name, type_, reflected, compare_to: (
            not (name is not None and str(name).startswith(("search_", "ix_search_")))
        ),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "", poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection)


run_migrations()
