"""Install the reference JavaScript implementation (tests/interop/node) into a cache folder
keyed by its lockfile; shared by the interop tests and bench/bench_credentials.py."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tessera.credentials.contexts import CONTEXT_FILES

NODE_DIR = Path(__file__).resolve().parent / "node"
CONTEXTS_DIR = Path(__file__).resolve().parents[2] / "src/tessera/credentials/contexts/data"


class ReferenceUnavailable(RuntimeError):
    """node/npm missing or the npm registry unreachable: the reason is the message."""


def install_folder() -> Path:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((NODE_DIR / name).read_bytes())
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "tessera-interop-node" / digest.hexdigest()[:16]


def install_reference() -> Path:
    """The folder holding node_modules and vc.mjs, installing once per lockfile."""
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        raise ReferenceUnavailable("node and npm are needed (Node 20 is in CI)")
    folder = install_folder()
    folder.parent.mkdir(parents=True, exist_ok=True)
    # pytest-xdist workers start together: one installs, the others wait for it
    with (folder.parent / f"{folder.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _install(folder, npm)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


def _install(folder: Path, npm: str) -> None:
    marker = folder / "node_modules" / ".tessera-complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(NODE_DIR / name, folder / name)
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell, no user input
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ReferenceUnavailable("npm ci timed out (no registry access?)") from None
        if done.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            tail = done.stderr.strip()[-500:]
            raise ReferenceUnavailable(f"npm ci failed (no registry access?): {tail}")
        marker.touch()
    shutil.copy(NODE_DIR / "vc.mjs", folder / "vc.mjs")  # always the committed version


class Reference:
    """Runs `node vc.mjs COMMAND` with JSON in and out, contexts from our bundle."""

    def __init__(self, folder: Path, scratch: Path) -> None:
        self.folder = folder
        self.node = shutil.which("node") or "node"
        context_map = scratch / "tessera-contexts.json"
        context_map.write_text(json.dumps(CONTEXT_FILES))
        self.env = dict(
            os.environ,
            TESSERA_CONTEXTS_DIR=str(CONTEXTS_DIR),
            TESSERA_CONTEXT_MAP=str(context_map),
        )

    def __call__(self, command: str, payload: dict[str, Any]) -> dict[str, Any]:
        done = subprocess.run(  # noqa: S603 - fixed argv, no shell, no user input
            [self.node, str(self.folder / "vc.mjs"), command],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            env=self.env,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"vc.mjs {command} failed: {done.stderr[-2000:]}")
        result: dict[str, Any] = json.loads(done.stdout)
        return result
