"""Issuer secret keys encrypted at rest: AES-256-GCM under a key derived from the secret key.

The encryption key is HKDF-SHA256(TESSERA_SECRET_KEY, info="tessera issuer keys v1"), so the
database alone never reveals a signing key. Each ciphertext is bound to its public key (the
associated data): a ciphertext copied onto another key's row does not decrypt. The stored form
is `b"v1" + nonce (12 bytes) + ciphertext and tag`; the version prefix leaves room to change
the scheme or re-encrypt under a new secret later.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["KeyDecryptionError", "KeyVault"]

_VERSION: Final = b"v1"
_NONCE_BYTES: Final = 12
_INFO: Final = b"tessera issuer keys v1"


class KeyDecryptionError(RuntimeError):
    """A stored key cannot be decrypted: the secret key changed, or the row was tampered with."""


@dataclass(frozen=True)
class KeyVault:
    """Encrypts and decrypts secret key material with a key derived from `secret`."""

    secret: str = field(repr=False)
    _aead: AESGCM = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.secret:
            raise ValueError("the key vault needs a secret")
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
            self.secret.encode("utf-8")
        )
        object.__setattr__(self, "_aead", AESGCM(derived))

    def encrypt(self, secret_key: bytes, public_key: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, secret_key, public_key.encode())

    def decrypt(self, stored: bytes, public_key: str) -> bytes:
        if not stored.startswith(_VERSION) or len(stored) < len(_VERSION) + _NONCE_BYTES + 16:
            raise KeyDecryptionError(f"the stored key for {public_key} is not in a known format")
        nonce = stored[len(_VERSION) : len(_VERSION) + _NONCE_BYTES]
        try:
            return self._aead.decrypt(
                nonce, stored[len(_VERSION) + _NONCE_BYTES :], public_key.encode()
            )
        except InvalidTag:
            raise KeyDecryptionError(
                f"the stored key for {public_key} does not decrypt: was TESSERA_SECRET_KEY changed?"
            ) from None
