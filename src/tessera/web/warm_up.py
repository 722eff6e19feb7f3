"""Work a new process does before its first request would have to: read the search snapshot
(~0.5 s at 100,000 published microcredentials).  Runs on a background thread so the server
accepts requests at once; a search arriving meanwhile simply reads its own snapshot."""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tessera.catalog import services as catalog

log = logging.getLogger(__name__)


def warm_up(sessions: sessionmaker[Session]) -> None:
    started = time.perf_counter()
    try:
        with sessions() as db:
            entries = catalog.warm_search(db)
    except SQLAlchemyError as error:  # e.g. not migrated yet: the first search will say so
        log.warning("search warm-up skipped: %s", type(error).__name__)
        return
    log.info("search snapshot of %d entries read in %.0f ms",
             entries, (time.perf_counter() - started) * 1000)


def start_warm_up(sessions: sessionmaker[Session]) -> threading.Thread:
    thread = threading.Thread(target=warm_up, args=(sessions,), name="warm-up", daemon=True)
    thread.start()
    return thread
