"""VC-JWT for Open Badges 3.0 (section 8.2): JWS compact serialization, sign and verify.

Header: `alg` (EdDSA or ES256), `typ: JWT`, `kid` = the verification method. Payload: the
credential's own members with the registered claims added, `iss` (issuer id), `jti`
(credential id), `sub` (subject id), `nbf` (validFrom) and `exp` (validUntil) as NumericDates:
the shape the 1EdTech validator's 3.0 samples use. Verification also accepts the older
VC-JWT shape with the credential under a `vc` claim, and keys given as a `jwk` header (RS256
too, for others' badges); such a key is not tied to the issuer, which the verifier reports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

import orjson

from tessera.credentials.keys import Signer, verify_p256, verify_rs256, verify_signature
from tessera.credentials.multibase import MultibaseError, b64url_decode, b64url_encode
from tessera.credentials.multikey import PublicKey

__all__ = [
    "JwtError",
    "VerifiedJwt",
    "credential_of",
    "decode_unverified",
    "sign_jwt",
    "verify_jwt",
]

REGISTERED_CLAIMS: Final = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
_ALGORITHMS: Final = {"Ed25519": "EdDSA", "P-256": "ES256"}

KeyLookup = Callable[[str], PublicKey]


class JwtError(ValueError):
    """Not a JWT we can read or trust."""


def _numeric_date(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return int(moment.timestamp())


def _id_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def sign_jwt(credential: Mapping[str, Any], signer: Signer) -> str:
    """The credential as a compact JWS (VC-JWT), signed by `signer` (Ed25519 or P-256)."""
    algorithm = _ALGORITHMS[signer.public_key.key_type]
    header = {"alg": algorithm, "typ": "JWT", "kid": signer.key_id}
    claims: dict[str, Any] = dict(credential)
    issuer = _id_of(credential.get("issuer"))
    if issuer:
        claims["iss"] = issuer
    if isinstance(credential.get("id"), str):
        claims["jti"] = credential["id"]
    subject = credential.get("credentialSubject")
    subject_id = _id_of(subject) if isinstance(subject, Mapping) else None
    if subject_id:
        claims["sub"] = subject_id
    nbf = _numeric_date(credential.get("validFrom") or credential.get("issuanceDate"))
    if nbf is not None:
        claims["nbf"] = nbf
    exp = _numeric_date(credential.get("validUntil") or credential.get("expirationDate"))
    if exp is not None:
        claims["exp"] = exp
    signing_input = b64url_encode(orjson.dumps(header)) + "." + b64url_encode(orjson.dumps(claims))
    signature = signer.sign(signing_input.encode("ascii"))
    return signing_input + "." + b64url_encode(signature)


@dataclass(frozen=True)
class VerifiedJwt:
    header: dict[str, Any]
    claims: dict[str, Any]
    credential: dict[str, Any]
    key_source: str  # "kid" (resolved) or "jwk" (taken from the header: not tied to the issuer)
    warnings: list[str] = field(default_factory=list)


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """(header, claims, signing input, signature) of a compact JWS, unverified."""
    if not isinstance(token, str):
        raise JwtError("a JWT is a string")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise JwtError("a compact JWT has three dot-separated parts")
    try:
        header = orjson.loads(b64url_decode(parts[0]))
        claims = orjson.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except (MultibaseError, orjson.JSONDecodeError):
        raise JwtError("the JWT's parts are not base64url-encoded JSON") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise JwtError("the JWT header and payload must be JSON objects")
    return header, claims, f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def credential_of(claims: Mapping[str, Any]) -> dict[str, Any]:
    """The credential carried by JWT claims (`vc` claim, or the claims minus JWT ones)."""
    if isinstance(claims.get("vc"), dict):
        return dict(claims["vc"])
    return {k: v for k, v in claims.items() if k not in REGISTERED_CLAIMS}


def verify_jwt(token: str, key_lookup: KeyLookup) -> VerifiedJwt:
    """Check the signature (and claim consistency) of a VC-JWT; raises `JwtError`."""
    header, claims, signing_input, signature = decode_unverified(token)
    algorithm = header.get("alg")
    if algorithm not in ("EdDSA", "ES256", "RS256"):
        raise JwtError(f"unsupported JWT algorithm {algorithm!r} (EdDSA, ES256, RS256)")
    if "crit" in header:
        raise JwtError("the JWT has critical header parameters we do not understand")
    kid, jwk = header.get("kid"), header.get("jwk")
    if isinstance(kid, str):
        try:
            key: PublicKey | tuple[int, int] = key_lookup(kid)
        except Exception as error:  # resolvers are pluggable: any failure means "no key"
            raise JwtError(f"the key {kid} could not be obtained: {error}") from None
        source = "kid"
    elif isinstance(jwk, dict):
        key = _key_from_jwk(jwk)
        source = "jwk"
    else:
        raise JwtError("the JWT names no key (neither `kid` nor `jwk` header)")
    if not _check(algorithm, key, signing_input, signature):
        raise JwtError("the JWT signature does not match: it was changed or the key is wrong")
    credential = credential_of(claims)
    return VerifiedJwt(header, claims, credential, source, _claim_warnings(claims, credential))


def _check(algorithm: str, key: PublicKey | tuple[int, int], data: bytes, signature: bytes) -> bool:
    if isinstance(key, tuple):
        return algorithm == "RS256" and verify_rs256(key[0], key[1], data, signature)
    if algorithm == "EdDSA" and key.key_type == "Ed25519":
        return verify_signature(key, data, signature)
    if algorithm == "ES256" and key.key_type == "P-256":
        return verify_p256(key.raw, data, signature)
    raise JwtError(f"a {key.key_type} key cannot check an {algorithm} signature")


def _key_from_jwk(jwk: Mapping[str, Any]) -> PublicKey | tuple[int, int]:
    try:
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return PublicKey("Ed25519", b64url_decode(jwk["x"]))
        if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
            x, y = b64url_decode(jwk["x"]), b64url_decode(jwk["y"])
            return PublicKey("P-256", bytes([2 + (y[-1] & 1)]) + x)
        if jwk.get("kty") == "RSA":
            n = int.from_bytes(b64url_decode(jwk["n"]), "big")
            e = int.from_bytes(b64url_decode(jwk["e"]), "big")
            return (n, e)
    except (KeyError, MultibaseError, IndexError, TypeError):
        pass
    raise JwtError("the `jwk` header is not a usable Ed25519, P-256 or RSA public key")


def _claim_warnings(claims: Mapping[str, Any], credential: Mapping[str, Any]) -> list[str]:
    """JWT claims that contradict the credential they carry."""
    warnings = []
    issuer = _id_of(credential.get("issuer"))
    if "iss" in claims and issuer is not None and claims["iss"] != issuer:
        warnings.append(f"iss {claims['iss']!r} is not the credential's issuer {issuer!r}")
    if "jti" in claims and "id" in credential and claims["jti"] != credential["id"]:
        warnings.append("jti is not the credential id")
    subject = credential.get("credentialSubject")
    subject_id = _id_of(subject) if isinstance(subject, Mapping) else None
    if "sub" in claims and subject_id is not None and claims["sub"] != subject_id:
        warnings.append("sub is not the credential subject's id")
    return warnings
