"""Warming a new process up: the search snapshot is read before the first search."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tessera.app import create_app
from tessera.catalog.search.cache import snapshots
from tessera.config import Environment, Settings
from tessera.db import make_engine, make_sessionmaker
from tessera.web.warm_up import warm_up


def test_warm_up_reads_the_snapshot_of_the_current_generation(
    committed_database_url: str,
) -> None:
    engine = make_engine(committed_database_url)
    sessions = make_sessionmaker(engine)
    try:
        with sessions() as db:
            assert snapshots(db).held() == []
        warm_up(sessions)
        with sessions() as db:
            assert len(snapshots(db).held()) == 1
    finally:
        engine.dispose()


def test_an_unmigrated_database_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        with caplog.at_level(logging.WARNING, logger="tessera.web.warm_up"):
            warm_up(make_sessionmaker(engine))
    finally:
        engine.dispose()
    assert "search warm-up skipped: OperationalError" in caplog.text


def test_a_process_warms_up_on_start_except_in_tests(committed_database_url: str) -> None:
    assert not Settings(env=Environment.TEST).warms_up
    assert Settings(env=Environment.DEVELOPMENT).warms_up
    settings = Settings(env=Environment.TEST, database_url=committed_database_url, warm_up=True)
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        for thread in threading.enumerate():
            if thread.name == "warm-up":
                thread.join(timeout=30)
        with app.state.sessionmaker() as db:
            assert len(snapshots(db).held()) == 1
    app.state.engine.dispose()
