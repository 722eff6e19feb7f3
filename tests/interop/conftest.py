"""The reference JavaScript implementation (Digital Bazaar's @digitalbazaar/vc and friends),
installed from the npm registry into a cache folder keyed by the lockfile, for cross-checks.

Skips (with the reason) where node/npm are missing or the registry cannot be reached; CI has
both, so there it runs. node_modules never enters the repository.
"""

from __future__ import annotations

import pytest
from tests.interop.node_env import Reference, ReferenceUnavailable, install_reference


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """Call as reference(command, payload) -> output of tests/interop/node/vc.mjs."""
    try:
        folder = install_reference()
    except ReferenceUnavailable as reason:
        pytest.skip(f"reference implementation unavailable: {reason}")
    return Reference(folder, tmp_path_factory.mktemp("interop"))
