"""Throw-away databases for benchmarks: a temporary SQLite file, or a dedicated PostgreSQL
database created and dropped around the run."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tessera.db import make_engine


@contextmanager
def sqlite_database(prefix: str) -> Iterator[Engine]:
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def postgres_database(url: str, name: str) -> Iterator[Engine]:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(url).set(database=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_reachable(url: str, console: Console) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception as error:  # any failure means "not available here"
        console.print(f"[yellow]PostgreSQL not reachable ({type(error).__name__}); skipped[/]")
        return False
    finally:
        engine.dispose()
