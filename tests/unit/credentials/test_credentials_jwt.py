"""VC-JWT (OB 3.0 section 8.2): EdDSA and ES256 sign and verify."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from tests.unit.credentials.support import TRICKY_TEXT, make_credential

from tessera.credentials.didkey import did_key_signer
from tessera.credentials.jwt import JwtError, decode_unverified, sign_jwt, verify_jwt
from tessera.credentials.keys import Ed25519Signer, generate_p256_key
from tessera.credentials.multibase import b64url_encode
from tessera.credentials.multikey import decode_public_key


def lookup(method: str) -> Any:
    return decode_public_key(method.partition("#")[2])


@pytest.mark.parametrize("algorithm", ["EdDSA", "ES256"])
def test_sign_and_verify(algorithm: str) -> None:
    signer = did_key_signer() if algorithm == "EdDSA" else did_key_signer(generate_p256_key())
    credential = make_credential(signer.key_id.partition("#")[0], TRICKY_TEXT)
    token = sign_jwt(credential, signer)
    header, claims, _, _ = decode_unverified(token)
    assert header == {"alg": algorithm, "typ": "JWT", "kid": signer.key_id}
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]
    assert claims["nbf"] == 1740819600  # 2025-03-01T09:00:00Z
    assert claims["exp"] == 2056352400
    assert "sub" not in claims  # the learner is identified by a hashed email, not an id
    verified = verify_jwt(token, lookup)
    assert verified.credential == credential
    assert verified.key_source == "kid"
    assert not verified.warnings


def test_tampering_breaks_the_signature(issuer_key: Ed25519Signer) -> None:
    token = sign_jwt(make_credential("did:example:x"), issuer_key)
    _, claims, _, _ = decode_unverified(token)
    claims["name"] = "Something else"
    forged = ".".join(
        [token.split(".")[0], b64url_encode(orjson.dumps(claims)), token.split(".")[2]]
    )
    with pytest.raises(JwtError, match="does not match"):
        verify_jwt(forged, lookup)
    other = did_key_signer()
    with pytest.raises(JwtError, match="does not match"):
        verify_jwt(token, lambda method: other.public_key)


def test_refuses_alg_none_and_garbage(issuer_key: Ed25519Signer) -> None:
    token = sign_jwt(make_credential("did:example:x"), issuer_key)
    none_header = b64url_encode(orjson.dumps({"alg": "none", "kid": issuer_key.key_id}))
    with pytest.raises(JwtError, match="unsupported JWT algorithm"):
        verify_jwt(f"{none_header}.{token.split('.')[1]}.", lookup)
    for bad in ["", "a.b", "a.b.c", "!!.??.**", token + "x=="]:
        with pytest.raises(JwtError):
            verify_jwt(bad, lookup)


def test_legacy_vc_claim_and_header_jwk_are_read(issuer_key: Ed25519Signer) -> None:
    credential = make_credential("did:example:x")
    x = b64url_encode(issuer_key.public_key.raw)
    header = {"alg": "EdDSA", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": x}}
    claims = {"vc": credential, "iss": "did:example:other", "jti": credential["id"]}
    signing_input = f"{b64url_encode(orjson.dumps(header))}.{b64url_encode(orjson.dumps(claims))}"
    token = signing_input + "." + b64url_encode(issuer_key.sign(signing_input.encode()))
    verified = verify_jwt(token, lookup)
    assert verified.credential == credential
    assert verified.key_source == "jwk"
    assert any("iss" in w for w in verified.warnings)
