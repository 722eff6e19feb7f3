"""The verifier: every check reported separately; the 1EdTech examples; never a crash."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.credentials.support import (
    EXAMPLES,
    example_resolver,
    fetcher_for,
    make_credential,
    needs_standards,
)
from tests.unit.credentials.test_credentials_baking import SVG, tiny_png

from tessera.credentials.baking import bake
from tessera.credentials.dataintegrity import add_proof
from tessera.credentials.didkey import StandardDidResolver
from tessera.credentials.jwt import sign_jwt
from tessera.credentials.keys import Ed25519Signer
from tessera.credentials.verifier import CHECK_IDS, verify

NOW = datetime(2026, 1, 1, tzinfo=UTC)
OB3 = EXAMPLES / "ob3-validator"
CLR = EXAMPLES / "clr2-validator"


def statuses(report: Any) -> dict[str, str]:
    return {c.id: c.status for c in report.checks}


# the 1EdTech validator examples ----------------------------------------------------------

VALID = {
    # example: checks expected to be "warning" rather than "passed" (with the reason)
    "simple.json": {},
    "complete.json": {},
    "endorsement-valid.json": {},
    "simple-did-web-method.json": {},  # controller document served by the injected fetcher
    "simple-json.png": {},
    "simple-json.svg": {},
    # a second proof of a made-up type is not checked (the 1EdTech validator ignores it too)
    "simple-multiple-proofs.json": {"proof": "warning"},
    # issuer is a urn:uuid, signed by a did:key: nothing links the two
    "simple-did-key-method.json": {"verification_method": "warning"},
    # RS256 JWTs whose key is only in the `jwk` header: valid signature, key not tied to issuer
    "simple-jwt.png": {"verification_method": "warning"},
    "simple-jwt.svg": {"verification_method": "warning"},
    # VCDM 1.1 credentials: the OB 3.0 schema describes VCDM 2.0 (1EdTech also only warns)
    "simple_v1.json": {"json_schema": "warning"},  # Ed25519Signature2020
    "simple-eddsa-2022.json": {"json_schema": "warning"},  # pre-standard cryptosuite name
}


@needs_standards
@pytest.mark.parametrize(("name", "warnings"), VALID.items())
def test_valid_1edtech_examples_verify(name: str, warnings: dict[str, str]) -> None:
    report = verify((OB3 / name).read_bytes(), resolver=example_resolver(), now=NOW)
    assert report.verified, report.to_dict()
    expected = dict.fromkeys(CHECK_IDS, "passed") | {"status": "skipped", "issuer_trust": "skipped"}
    expected |= warnings
    assert statuses(report) == expected, report.to_dict()


@needs_standards
@pytest.mark.parametrize("name", ["simple.json", "complex.json"])
def test_valid_clr_examples_verify(name: str) -> None:
    report = verify((CLR / name).read_bytes(), resolver=example_resolver(), now=NOW)
    assert report.verified, report.to_dict()


@needs_standards
@pytest.mark.parametrize(
    ("name", "check", "words"),
    [
        ("simple-err-proof-value.json", "proof", "signature does not match"),
        ("simple-err-context.json", "contexts_and_terms", "first @context"),
        ("simple-err-expired.json", "validity", "Expired"),
        ("simple-err-type.json", "contexts_and_terms", "undefined type 'OtherCredential'"),
        ("simple-noproof.json", "proof", "no proof"),
    ],
)
def test_broken_1edtech_examples_fail_the_right_check(name: str, check: str, words: str) -> None:
    report = verify((OB3 / name).read_bytes(), resolver=example_resolver(), now=NOW)
    assert not report.verified
    assert report.check(check).status == "failed"
    assert words in report.check(check).message


@needs_standards
def test_simple_jwt_cannot_be_verified_offline_and_says_why() -> None:
    """simple.jwt is an RS256 JWT with neither `kid` nor `jwk`: its key is nowhere to be found
    (the 1EdTech validator does not test it either), and its @context names a draft URL
    (imsglobal.github.io/.../context.json) that no bundle contains."""
    report = verify((OB3 / "simple.jwt").read_text(), resolver=example_resolver(), now=NOW)
    assert report.format == "jwt"
    assert report.check("proof").status == "failed"
    assert "names no key" in report.check("proof").message
    assert "unknown JSON-LD context" in report.check("contexts_and_terms").message


# our own credentials ---------------------------------------------------------------------


@pytest.mark.parametrize("form", ["rdfc", "jcs", "jwt", "png", "svg"])
def test_our_credentials_verify_in_every_form(
    credential: dict[str, Any], issuer_key: Ed25519Signer, form: str
) -> None:
    if form == "jcs":
        data: Any = add_proof(credential, issuer_key, suite="eddsa-jcs-2022")
    elif form == "jwt":
        data = sign_jwt(credential, issuer_key)
    else:
        data = add_proof(credential, issuer_key)
    if form == "png":
        data = bake(tiny_png(), data)
    elif form == "svg":
        data = bake(SVG, sign_jwt(credential, issuer_key))
    report = verify(data, now=NOW)
    assert report.verified, report.to_dict()
    assert {c.id: c.status for c in report.checks if c.status != "passed"} == {
        "status": "skipped",
        "issuer_trust": "skipped",
    }
    assert report.to_dict()["verified"] is True


def test_did_web_issuer_key_must_be_listed_by_the_issuer() -> None:
    did = "did:web:tessera.example:orgs:uni-x"
    key = Ed25519Signer(bytes(range(1, 33)), f"{did}#key-1")
    document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": "#key-1",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key.public_key.multibase,
            }
        ],
        "assertionMethod": ["#key-1"],
    }
    url = "https://tessera.example/orgs/uni-x/did.json"
    signed = add_proof(make_credential(did), key)
    report = verify(signed, resolver=StandardDidResolver(fetcher_for({url: document})), now=NOW)
    assert statuses(report)["verification_method"] == "passed", report.to_dict()

    not_for_assertion = copy.deepcopy(document) | {"assertionMethod": []}
    report = verify(signed, resolver=StandardDidResolver(fetcher_for({url: not_for_assertion})))
    assert report.check("verification_method").status == "failed"
    assert not report.verified

    other_issuer = add_proof(make_credential("did:web:someone-else.example"), key)
    report = verify(other_issuer, resolver=StandardDidResolver(fetcher_for({url: document})))
    assert report.check("verification_method").status == "failed"
    assert "not to the issuer" in report.check("verification_method").message

    offline = verify(signed, now=NOW)  # no fetcher: the key cannot be found at all
    assert offline.check("proof").status == "failed"


def test_validity_window_uses_the_injected_clock(
    credential: dict[str, Any], issuer_key: Ed25519Signer
) -> None:
    signed = add_proof(credential, issuer_key)
    early = verify(signed, now=datetime(2025, 1, 1, tzinfo=UTC))
    assert early.check("validity").status == "failed"
    assert "Not valid yet" in early.check("validity").message
    late = verify(signed, now=datetime(2040, 1, 1, tzinfo=UTC))
    assert late.check("validity").status == "failed"
    assert "Expired" in late.check("validity").message


def test_status_and_trust_are_placeholders(
    credential: dict[str, Any], issuer_key: Ed25519Signer
) -> None:
    report = verify(add_proof(credential, issuer_key), now=NOW)
    assert report.check("status").message == "Checked by a later feature"
    assert report.check("issuer_trust").status == "skipped"


# never a crash ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xfe\x00",
        "not json",
        "[1, 2]",
        "{}",
        '{"@context": 5}',
        '{"@context": ["https://www.w3.org/ns/credentials/v2"], "proof": 7}',
        "a.b.c",
        "[" * 5000 + "]" * 5000,
        json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"], "x": {"y": [{}] * 3}}),
    ],
)
def test_malformed_input_gets_a_failed_report(data: Any) -> None:
    report = verify(data, now=NOW)
    assert not report.verified
    assert [c.id for c in report.checks if c.id != "internal"] == list(CHECK_IDS)


@settings(max_examples=150, deadline=None)
@given(
    st.binary(max_size=300)
    | st.text(max_size=300)
    | st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
        max_leaves=10,
    ).map(lambda v: {"@context": ["https://www.w3.org/ns/credentials/v2"], "proof": v, "x": v})
)
def test_random_input_never_raises(data: Any) -> None:
    report = verify(data, now=NOW)
    assert not report.verified
    assert "internal" not in {c.id for c in report.checks}, report.to_dict()
