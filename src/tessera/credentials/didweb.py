"""did:web identities hosted by this server, and their DID documents.

The platform is `did:web:HOST` (document at `/.well-known/did.json`); a provider is
`did:web:HOST:orgs:SLUG` (document at `/orgs/SLUG/did.json`). A port in the base URL is
percent-encoded (`did:web:localhost%3A8000`), as the did:web method requires; a path prefix in
the base URL becomes more colon-separated segments.

A document lists every key the issuer ever signed with, so that old credentials keep
verifying after a rotation. A retired key carries `revoked` (a date-time, as in W3C Controlled
Identifiers 1.0): proofs made from then on are refused by our verifier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, urlsplit

from tessera.credentials.contexts import DID_V1_URL, MULTIKEY_V1_URL

__all__ = ["PublishedKey", "did_document", "method_id", "organisation_did", "platform_did"]

_PREFIX: Final = "did:web:"


@dataclass(frozen=True)
class PublishedKey:
    """A public key as a DID document shows it."""

    multibase: str  # Multikey, e.g. z6Mk...
    revoked: str | None = None  # ISO 8601 date-time when the key was retired


def platform_did(base_url: str) -> str:
    """`did:web:` + host (port encoded) + any path of the base URL."""
    parts = urlsplit(base_url)
    if not parts.hostname:
        raise ValueError(f"base URL {base_url!r} has no host")
    host = parts.hostname + (f"%3A{parts.port}" if parts.port else "")
    segments = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return _PREFIX + ":".join([host, *segments])


def organisation_did(base_url: str, slug: str) -> str:
    return f"{platform_did(base_url)}:orgs:{slug}"


def method_id(did: str, multibase: str) -> str:
    """The verification method id of a key: the DID, `#`, the Multikey."""
    return f"{did}#{multibase}"


def did_document(did: str, keys: Sequence[PublishedKey]) -> dict[str, Any]:
    """The DID document: every key as a Multikey, listed under assertionMethod."""
    methods: list[dict[str, Any]] = []
    for key in keys:
        method: dict[str, Any] = {
            "id": method_id(did, key.multibase),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.multibase,
        }
        if key.revoked is not None:
            method["revoked"] = key.revoked
        methods.append(method)
    return {
        "@context": [DID_V1_URL, MULTIKEY_V1_URL],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }
