"""What every CLI command needs: settings, a database transaction, one-line failures."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from rich.console import Console
from sqlalchemy.orm import Session

from tessera.config import ConfigurationError, Settings
from tessera.db import make_engine, make_sessionmaker, transaction
from tessera.errors import TesseraError

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    sys.exit(code)


def load_settings() -> Settings:
    try:
        return Settings()
    except (ConfigurationError, ValueError) as error:
        fail(f"configuration: {error}")


@contextmanager
def database() -> Iterator[Session]:
    """One transaction for the command: committed at the end, nothing written on error."""
    settings = load_settings()
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            yield session
    except TesseraError as error:
        fail(error.detail)
    finally:
        engine.dispose()
