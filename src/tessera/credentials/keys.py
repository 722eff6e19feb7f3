"""Signing keys behind a small `Signer` protocol, so a key can live anywhere (an encrypted
column, a KMS) as long as it can say who it is and sign bytes.

Ed25519 uses PyNaCl (libsodium, ~1.6x faster signing than `cryptography`); P-256 (ES256) uses
`cryptography`. Signatures are raw bytes: Ed25519 64 bytes, P-256 `r || s` (64 bytes, the JOSE
and Data Integrity form, not DER).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import nacl.bindings
import nacl.exceptions
import nacl.signing
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from tessera.credentials.multikey import KeyType, PublicKey, encode_secret_key

__all__ = [
    "Ed25519Signer",
    "P256Signer",
    "Signer",
    "generate_ed25519_key",
    "generate_p256_key",
    "verify_signature",
]


@runtime_checkable
class Signer(Protocol):
    """Anything that can sign for a verification method."""

    @property
    def key_id(self) -> str:
        """The verification method id (e.g. `did:key:z6Mk...#z6Mk...`)."""
        ...

    @property
    def public_key(self) -> PublicKey: ...

    def sign(self, data: bytes) -> bytes: ...


@dataclass(frozen=True)
class Ed25519Signer:
    """An Ed25519 key in memory. `repr` never shows the secret."""

    seed: bytes = field(repr=False)
    key_id: str = ""
    _signing: nacl.signing.SigningKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.seed) != 32:
            raise ValueError("an Ed25519 seed is 32 bytes")
        object.__setattr__(self, "_signing", nacl.signing.SigningKey(self.seed))

    @property
    def public_key(self) -> PublicKey:
        return PublicKey("Ed25519", bytes(self._signing.verify_key))

    def sign(self, data: bytes) -> bytes:
        # the binding directly: SigningKey.sign also builds a SignedMessage we do not need
        signed: bytes = nacl.bindings.crypto_sign(data, self._signing._signing_key)
        return signed[:64]

    @property
    def secret_multibase(self) -> str:
        return encode_secret_key("Ed25519", self.seed)

    def with_key_id(self, key_id: str) -> Ed25519Signer:
        return Ed25519Signer(self.seed, key_id)


@dataclass(frozen=True)
class P256Signer:
    """A P-256 (ES256) key in memory."""

    private_value: int = field(repr=False)
    key_id: str = ""
    _key: ec.EllipticCurvePrivateKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_key", ec.derive_private_key(self.private_value, ec.SECP256R1()))

    @property
    def public_key(self) -> PublicKey:
        point = self._key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )
        return PublicKey("P-256", point)

    def sign(self, data: bytes) -> bytes:
        r, s = decode_dss_signature(self._key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def with_key_id(self, key_id: str) -> P256Signer:
        return P256Signer(self.private_value, key_id)


def generate_ed25519_key(key_id: str = "") -> Ed25519Signer:
    """A new random Ed25519 key (pass `key_id`, or use `didkey.signer_for_did_key`)."""
    return Ed25519Signer(bytes(nacl.signing.SigningKey.generate()), key_id)


def generate_p256_key(key_id: str = "") -> P256Signer:
    private = ec.generate_private_key(ec.SECP256R1())
    return P256Signer(private.private_numbers().private_value, key_id)


def verify_signature(key: PublicKey, data: bytes, signature: bytes) -> bool:
    """True if `signature` (raw form) is valid for `data` under `key`."""
    if key.key_type == "Ed25519":
        try:
            nacl.signing.VerifyKey(key.raw).verify(data, signature)
        except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
            return False
        return True
    return verify_p256(key.raw, data, signature)


def verify_p256(point: bytes, data: bytes, signature: bytes) -> bool:
    if len(signature) != 64:
        return False
    try:
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public.verify(der, data, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True


def verify_rs256(modulus: int, exponent: int, data: bytes, signature: bytes) -> bool:
    """RSA PKCS#1 v1.5 with SHA-256: verification only, for JWTs others issued."""
    try:
        public = rsa.RSAPublicNumbers(exponent, modulus).public_key()
        public.verify(signature, data, PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def key_type_of(signer: Signer) -> KeyType:
    return signer.public_key.key_type
