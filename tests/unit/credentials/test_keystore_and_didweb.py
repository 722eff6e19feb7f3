"""Keys at rest, did:web identifiers and documents, and the guarded DID document fetcher."""

from __future__ import annotations

import pytest

from tessera.credentials.didkey import did_web_url
from tessera.credentials.didweb import (
    PublishedKey,
    did_document,
    organisation_did,
    platform_did,
)
from tessera.credentials.https_fetch import FetchRefused, check_url, fetch_https
from tessera.credentials.keystore import KeyDecryptionError, KeyVault

SEED = bytes(range(32))
PUBLIC = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


def test_a_key_round_trips_and_never_shows_in_the_stored_form() -> None:
    vault = KeyVault("s" * 40)
    stored = vault.encrypt(SEED, PUBLIC)
    assert SEED not in stored
    assert vault.decrypt(stored, PUBLIC) == SEED
    assert vault.encrypt(SEED, PUBLIC) != stored  # a fresh nonce every time
    assert "s" * 40 not in repr(vault)


def test_another_secret_or_another_row_does_not_decrypt() -> None:
    stored = KeyVault("s" * 40).encrypt(SEED, PUBLIC)
    with pytest.raises(KeyDecryptionError, match="TESSERA_SECRET_KEY"):
        KeyVault("t" * 40).decrypt(stored, PUBLIC)
    with pytest.raises(KeyDecryptionError):
        KeyVault("s" * 40).decrypt(stored, "z6MkOther")
    with pytest.raises(KeyDecryptionError, match="format"):
        KeyVault("s" * 40).decrypt(b"garbage", PUBLIC)


@pytest.mark.parametrize(
    ("base_url", "did", "url"),
    [
        ("https://tessera.example", "did:web:tessera.example",
         "https://tessera.example/.well-known/did.json"),
        ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000",
         "https://127.0.0.1:8000/.well-known/did.json"),
        ("https://example.org/tessera/", "did:web:example.org:tessera",
         "https://example.org/tessera/did.json"),
    ],
)  # fmt: skip
def test_platform_dids_follow_the_did_web_method(base_url: str, did: str, url: str) -> None:
    assert platform_did(base_url) == did
    assert did_web_url(did) == url


def test_organisation_dids_resolve_to_their_document_path() -> None:
    did = organisation_did("https://tessera.example", "aurora")
    assert did == "did:web:tessera.example:orgs:aurora"
    assert did_web_url(did) == "https://tessera.example/orgs/aurora/did.json"


def test_documents_list_every_key_for_assertion_and_mark_retired_ones() -> None:
    did = "did:web:tessera.example:orgs:aurora"
    document = did_document(
        did, [PublishedKey(PUBLIC, revoked="2026-01-01T00:00:00Z"), PublishedKey("z6MkNew")]
    )
    assert document["assertionMethod"] == [f"{did}#{PUBLIC}", f"{did}#z6MkNew"]
    first, second = document["verificationMethod"]
    assert first["revoked"] == "2026-01-01T00:00:00Z"
    assert "revoked" not in second
    assert {m["type"] for m in document["verificationMethod"]} == {"Multikey"}


@pytest.mark.parametrize(
    "url",
    [
        "http://issuer.example/did.json",  # not https
        "https://127.0.0.1/did.json",  # loopback
        "https://10.1.2.3/did.json",  # private
        "https://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
        "https://[::1]/did.json",
        "https://localhost/.well-known/did.json",
        "file:///etc/passwd",
    ],
)
def test_the_fetcher_refuses_what_could_reach_inside(url: str) -> None:
    with pytest.raises(FetchRefused):
        check_url(url)
    with pytest.raises(FetchRefused):
        fetch_https(url)
