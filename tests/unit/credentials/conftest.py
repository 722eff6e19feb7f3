"""Fixtures for the credential engine tests."""

from __future__ import annotations

from typing import Any

import pytest
from tests.unit.credentials.support import make_credential

from tessera.credentials.didkey import did_key_signer
from tessera.credentials.keys import Ed25519Signer


@pytest.fixture(scope="session")
def issuer_key() -> Ed25519Signer:
    signer = did_key_signer(Ed25519Signer(bytes(range(32))))
    assert isinstance(signer, Ed25519Signer)
    return signer


@pytest.fixture
def credential(issuer_key: Ed25519Signer) -> dict[str, Any]:
    return make_credential(issuer_key.key_id.partition("#")[0])
