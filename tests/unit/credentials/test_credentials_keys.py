"""Multikey, did:key and did:web."""

from __future__ import annotations

import pytest
from tests.unit.credentials.support import VECTORS, fetcher_for, load, needs_standards

from tessera.credentials.didkey import (
    DidResolutionError,
    StandardDidResolver,
    did_key_document,
    did_web_url,
)
from tessera.credentials.keys import generate_ed25519_key, generate_p256_key, verify_signature
from tessera.credentials.multibase import b58decode, b58encode, b64url_decode
from tessera.credentials.multikey import MultikeyError, decode_public_key


@needs_standards
def test_did_key_vectors() -> None:
    vectors = load(VECTORS / "did-key" / "ed25519-x25519.json")
    for did, vector in vectors.items():
        seed = bytes.fromhex(vector["seed"])
        from tessera.credentials.keys import Ed25519Signer

        assert f"did:key:{Ed25519Signer(seed).public_key.multibase}" == did
        method = did_key_document(did)["verificationMethod"][0]
        pair = vector["verificationKeyPair"]
        if "publicKeyBase58" in pair:
            raw = b58decode(pair["publicKeyBase58"])
        else:
            raw = b64url_decode(pair["publicKeyJwk"]["x"])
        assert decode_public_key(method["publicKeyMultibase"]).raw == raw
        assert method["id"].endswith(pair["id"].rpartition("#")[2])


def test_multikeys_round_trip_and_sign() -> None:
    for signer in (generate_ed25519_key(), generate_p256_key()):
        key = decode_public_key(signer.public_key.multibase)
        assert key == signer.public_key
        assert verify_signature(key, b"data", signer.sign(b"data"))
        assert not verify_signature(key, b"datb", signer.sign(b"data"))
    assert generate_ed25519_key().public_key.multibase.startswith("z6Mk")
    assert generate_p256_key().public_key.multibase.startswith("zDn")
    assert b58encode(b"\0\0\x01") == "112"
    assert b58decode("112") == b"\0\0\x01"


@pytest.mark.parametrize("bad", ["", "z", "abc", "z6MkBAD0OIl", "zQ3s" + "1" * 40])
def test_bad_multikeys_are_refused(bad: str) -> None:
    with pytest.raises(MultikeyError):
        decode_public_key(bad)


def test_did_web_urls() -> None:
    assert did_web_url("did:web:tessera.example") == "https://tessera.example/.well-known/did.json"
    assert (
        did_web_url("did:web:tessera.example:orgs:uni-x")
        == "https://tessera.example/orgs/uni-x/did.json"
    )
    assert did_web_url("did:web:localhost%3A8443") == "https://localhost:8443/.well-known/did.json"
    with pytest.raises(DidResolutionError):
        did_web_url("did:web:")


def test_did_web_resolution_goes_through_the_injected_fetcher() -> None:
    did = "did:web:tessera.example:orgs:uni-x"
    document = {"id": did, "verificationMethod": []}
    resolver = StandardDidResolver(
        fetcher_for({"https://tessera.example/orgs/uni-x/did.json": document})
    )
    assert resolver.resolve(did) == document
    with pytest.raises(DidResolutionError, match="no fetcher"):
        StandardDidResolver().resolve(did)
    with pytest.raises(DidResolutionError, match="could not fetch"):
        resolver.resolve("did:web:elsewhere.example")
    impostor = StandardDidResolver(
        fetcher_for({"https://tessera.example/.well-known/did.json": document})
    )
    with pytest.raises(DidResolutionError, match="not the one"):
        impostor.resolve("did:web:tessera.example")
    with pytest.raises(DidResolutionError, match="unsupported"):
        resolver.resolve("did:example:123")
