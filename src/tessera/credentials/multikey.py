"""Multikey encoding of public (and secret) keys: multibase base58btc over multicodec bytes.

Ed25519 public keys are `z6Mk...` (multicodec 0xed01 + 32 bytes); P-256 public keys are
`zDn...` (0x1200 + 33-byte compressed SEC1 point). Secret keys use 0x1300 (Ed25519 seed) and
0x1306 (P-256 scalar), as in the W3C vc-di-eddsa test vectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from tessera.credentials.multibase import (
    MultibaseError,
    decode_base58btc,
    encode_base58btc,
    read_varint,
    varint,
)

KeyType = Literal["Ed25519", "P-256"]

ED25519_PUB: Final = 0xED
P256_PUB: Final = 0x1200
ED25519_PRIV: Final = 0x1300
P256_PRIV: Final = 0x1306
_PUBLIC_SIZES: Final = {ED25519_PUB: ("Ed25519", 32), P256_PUB: ("P-256", 33)}
_SECRET_SIZES: Final = {ED25519_PRIV: ("Ed25519", 32), P256_PRIV: ("P-256", 32)}


class MultikeyError(MultibaseError):
    """Not a Multikey we can use."""


@dataclass(frozen=True, slots=True)
class PublicKey:
    key_type: KeyType
    raw: bytes  # Ed25519: 32 bytes; P-256: 33-byte compressed point

    @property
    def multibase(self) -> str:
        codec = ED25519_PUB if self.key_type == "Ed25519" else P256_PUB
        return encode_base58btc(varint(codec) + self.raw)


def encode_public_key(key_type: KeyType, raw: bytes) -> str:
    return PublicKey(key_type, raw).multibase


def decode_public_key(multibase: str) -> PublicKey:
    """A `PublicKey` from its `publicKeyMultibase`; raises `MultikeyError` if unusable."""
    try:
        data = decode_base58btc(multibase)
        codec, used = read_varint(data)
    except MultibaseError as error:
        raise MultikeyError(f"not a Multikey: {error}") from None
    kind = _PUBLIC_SIZES.get(codec)
    if kind is None:
        raise MultikeyError(f"unsupported multicodec 0x{codec:x} (want Ed25519 or P-256)")
    key_type, size = kind
    raw = data[used:]
    if len(raw) != size:
        raise MultikeyError(f"{key_type} public key must be {size} bytes, not {len(raw)}")
    return PublicKey(key_type, raw)  # type: ignore[arg-type]


def encode_secret_key(key_type: KeyType, raw: bytes) -> str:
    codec = ED25519_PRIV if key_type == "Ed25519" else P256_PRIV
    return encode_base58btc(varint(codec) + raw)


def decode_secret_key(multibase: str) -> tuple[KeyType, bytes]:
    try:
        data = decode_base58btc(multibase)
        codec, used = read_varint(data)
    except MultibaseError as error:
        raise MultikeyError(f"not a secret key Multikey: {error}") from None
    kind = _SECRET_SIZES.get(codec)
    if kind is None or len(data) - used != kind[1]:
        raise MultikeyError("not an Ed25519 or P-256 secret key multikey")
    return kind[0], data[used:]  # type: ignore[return-value]
