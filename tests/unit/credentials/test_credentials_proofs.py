"""Data Integrity proofs on our own credentials: round trips, tampering, batches."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.unit.credentials.support import TRICKY_TEXT, make_credential

from tessera.credentials.canonical import rdfc
from tessera.credentials.dataintegrity import (
    ProofError,
    ProofOptions,
    add_proof,
    sign_many,
    verify_proofs,
)
from tessera.credentials.didkey import StandardDidResolver, did_key_signer
from tessera.credentials.keys import Ed25519Signer, generate_p256_key
from tessera.credentials.multikey import decode_public_key

SUITES = ["eddsa-rdfc-2022", "eddsa-jcs-2022"]


def lookup(method: str) -> Any:
    return decode_public_key(method.partition("#")[2])


def statuses(document: dict[str, Any]) -> list[str]:
    return [r.status for r in verify_proofs(document, lookup)]


@pytest.mark.parametrize("suite", SUITES)
def test_sign_then_verify(
    credential: dict[str, Any], issuer_key: Ed25519Signer, suite: str
) -> None:
    signed = add_proof(credential, issuer_key, suite=suite)  # type: ignore[arg-type]
    assert signed["proof"]["cryptosuite"] == suite
    assert signed["proof"]["verificationMethod"] == issuer_key.key_id
    assert signed["proof"]["proofValue"].startswith("z")
    assert statuses(signed) == ["passed"]
    assert "proof" not in credential  # the input is not modified


@pytest.mark.parametrize("suite", SUITES)
def test_tricky_text_round_trips(issuer_key: Ed25519Signer, suite: str) -> None:
    credential = make_credential(issuer_key.key_id.partition("#")[0], text=TRICKY_TEXT)
    signed = add_proof(credential, issuer_key, suite=suite)  # type: ignore[arg-type]
    assert statuses(signed) == ["passed"]
    assert "\\u0001" in rdfc(credential)
    assert "😀" in rdfc(credential)
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["achievement"]["name"] = TRICKY_TEXT.replace("\x01", "\x02")
    assert statuses(changed) == ["failed"]


def test_challenge_domain_and_purpose_are_signed_and_checked(
    credential: dict[str, Any], issuer_key: Ed25519Signer
) -> None:
    options = ProofOptions(
        created="2025-01-01T00:00:00Z", challenge="c-123", domain="verifier.example"
    )
    signed = add_proof(credential, issuer_key, options=options)
    ok = verify_proofs(signed, lookup, challenge="c-123", domain="verifier.example")
    assert [r.status for r in ok] == ["passed"]
    assert verify_proofs(signed, lookup, challenge="other")[0].status == "failed"
    assert verify_proofs(signed, lookup, expected_purpose="authentication")[0].status == "failed"


def test_multiple_proofs_must_all_verify(
    credential: dict[str, Any], issuer_key: Ed25519Signer
) -> None:
    second = did_key_signer()
    signed = add_proof(add_proof(credential, issuer_key), second, suite="eddsa-jcs-2022")
    assert statuses(signed) == ["passed", "passed"]
    signed["proof"][1]["proofValue"] = signed["proof"][0]["proofValue"]
    assert statuses(signed) == ["passed", "failed"]


def test_sign_many_shares_one_created_time(issuer_key: Ed25519Signer) -> None:
    documents = [
        make_credential(issuer_key.key_id.partition("#")[0], f"Course {i}") for i in range(5)
    ]
    signed = sign_many(documents, issuer_key)
    assert len({d["proof"]["created"] for d in signed}) == 1
    assert all(statuses(d) == ["passed"] for d in signed)
    assert [d["name"] for d in signed] == [f"Course {i}" for i in range(5)]


def test_signing_refuses_what_would_not_be_covered(
    credential: dict[str, Any], issuer_key: Ed25519Signer
) -> None:
    credential["credentialSubject"]["achievement"]["undefinedThing"] = "x"
    with pytest.raises(ProofError, match="undefinedThing"):
        add_proof(credential, issuer_key)
    with pytest.raises(ProofError, match="Ed25519"):
        add_proof(credential, did_key_signer(generate_p256_key()))
    with pytest.raises(ProofError, match="key id"):
        add_proof(credential, Ed25519Signer(bytes(32)))


def test_verification_never_raises_on_garbage_proofs(credential: dict[str, Any]) -> None:
    for proof in [
        "x",
        {},
        {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"},
        {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "zzz",
         "verificationMethod": "did:key:bad#bad", "proofPurpose": "assertionMethod"},
        {"type": "Unknown"},
    ]:  # fmt: skip
        results = verify_proofs({**credential, "proof": proof}, lookup)
        assert results[0].status in ("failed", "unsupported")


def _leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaf_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaf_paths(v, (*path, i))]
    return [path]


_SIGNED: dict[str, dict[str, Any]] = {}


def _signed(suite: str) -> dict[str, Any]:
    if suite not in _SIGNED:
        key = did_key_signer(Ed25519Signer(bytes(range(32))))
        credential = make_credential(key.key_id.partition("#")[0])
        _SIGNED[suite] = add_proof(credential, key, suite=suite)  # type: ignore[arg-type]
    return _SIGNED[suite]


@pytest.mark.parametrize("suite", SUITES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_change_to_any_signed_field_breaks_verification(
    suite: str, data: st.DataObject
) -> None:
    signed = copy.deepcopy(_signed(suite))
    path = data.draw(st.sampled_from(_leaf_paths(signed)), label="path")
    parent = signed
    for key in path[:-1]:
        parent = parent[key]
    old = parent[path[-1]]
    if data.draw(st.booleans(), label="delete") and isinstance(parent, dict):
        del parent[path[-1]]
    elif isinstance(old, bool):
        parent[path[-1]] = not old
    elif isinstance(old, int | float):
        parent[path[-1]] = old + data.draw(st.integers(1, 10**6), label="delta")
    else:
        new = data.draw(st.text(min_size=1, max_size=20).filter(lambda s: s != old), label="new")
        parent[path[-1]] = new
    assert "passed" not in statuses(signed), path


def test_resolver_gives_the_did_key_document() -> None:
    signer = did_key_signer()
    did = signer.key_id.partition("#")[0]
    document = StandardDidResolver().resolve(did)
    assert document["assertionMethod"] == [signer.key_id]
    assert document["verificationMethod"][0]["publicKeyMultibase"] == signer.public_key.multibase
