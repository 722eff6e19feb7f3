"""did:key, resolved offline, and the DID resolution protocol the verifier uses.

`did:key:z6Mk...` resolves to a DID document whose one verification method is
`did:key:z6Mk...#z6Mk...` (type Multikey) listed under every relationship. `did:web` resolves
through an injected `fetch(url) -> bytes` function (nothing here opens a socket).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final, Protocol
from urllib.parse import unquote

from tessera.credentials.contexts import DID_V1_URL, MULTIKEY_V1_URL
from tessera.credentials.keys import Ed25519Signer, P256Signer, generate_ed25519_key
from tessera.credentials.multikey import MultikeyError, decode_public_key

__all__ = [
    "DidResolutionError",
    "DidResolver",
    "Fetcher",
    "StandardDidResolver",
    "did_key_document",
    "did_key_signer",
    "did_web_url",
]

Fetcher = Callable[[str], bytes]
_RELATIONSHIPS: Final = (
    "authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation"
)  # fmt: skip


class DidResolutionError(LookupError):
    """A DID (or controller document URL) could not be resolved to a usable document."""


class DidResolver(Protocol):
    def resolve(self, did_or_url: str) -> dict[str, Any]:
        """The DID / controller document for a DID or URL (without fragment)."""
        ...


def did_key_document(did: str) -> dict[str, Any]:
    """The DID document of a `did:key` (Ed25519 or P-256 Multikey)."""
    if not did.startswith("did:key:") or "#" in did:
        raise DidResolutionError(f"not a did:key: {did!r}")
    multibase = did.removeprefix("did:key:")
    try:
        decode_public_key(multibase)
    except MultikeyError as error:
        raise DidResolutionError(f"invalid did:key {did!r}: {error}") from None
    method_id = f"{did}#{multibase}"
    document: dict[str, Any] = {
        "@context": [DID_V1_URL, MULTIKEY_V1_URL],
        "id": did,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multibase,
            }
        ],
    }
    for relationship in _RELATIONSHIPS:
        document[relationship] = [method_id]
    return document


def did_key_signer(signer: Ed25519Signer | P256Signer | None = None) -> Ed25519Signer | P256Signer:
    """`signer` (default: a new Ed25519 key) with its key id set to its did:key method."""
    signer = signer or generate_ed25519_key()
    multibase = signer.public_key.multibase
    return signer.with_key_id(f"did:key:{multibase}#{multibase}")


def did_web_url(did: str) -> str:
    """The HTTPS URL of a did:web document (did:web:host%3A8443:path:to -> .../path/to/did.json)."""
    parts = did.removeprefix("did:web:").split(":")
    if not did.startswith("did:web:") or not parts[0]:
        raise DidResolutionError(f"not a did:web: {did!r}")
    host = unquote(parts[0])
    if "/" in host or "@" in host:
        raise DidResolutionError(f"invalid did:web host in {did!r}")
    path = "/".join(unquote(p) for p in parts[1:])
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


class StandardDidResolver:
    """did:key offline; did:web and https controller documents through `fetch` (if given)."""

    def __init__(self, fetch: Fetcher | None = None) -> None:
        self._fetch = fetch

    def resolve(self, did_or_url: str) -> dict[str, Any]:
        if did_or_url.startswith("did:key:"):
            return did_key_document(did_or_url)
        if did_or_url.startswith("did:web:"):
            url = did_web_url(did_or_url)
        elif did_or_url.startswith("https://"):
            url = did_or_url
        else:
            raise DidResolutionError(f"cannot resolve {did_or_url!r}: unsupported method")
        if self._fetch is None:
            raise DidResolutionError(f"cannot fetch {url}: no fetcher (offline)")
        try:
            document = json.loads(self._fetch(url))
        except DidResolutionError:
            raise
        except Exception as error:  # a fetcher may fail in any way; report, never crash
            raise DidResolutionError(f"could not fetch {url}: {error}") from None
        if not isinstance(document, dict) or document.get("id") != did_or_url:
            raise DidResolutionError(f"document at {url} is not the one for {did_or_url!r}")
        return document
