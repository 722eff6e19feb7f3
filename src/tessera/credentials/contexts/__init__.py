"""The JSON-LD contexts Tessera knows, bundled so nothing is ever fetched at run time.

`CONTEXT_FILES` maps each context URL to a file in `data/` (sources in `data/SOURCES.md`).
`load_context(url)` returns the parsed document, read once and cached; an unknown URL raises
`UnknownContextError`: a credential naming a context we do not hold cannot be processed safely.
Callers must treat the returned documents as read-only (they are shared).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, Final

__all__ = [
    "CONTEXT_FILES",
    "CREDENTIALS_V1_URL",
    "CREDENTIALS_V2_URL",
    "OB_V3P0_URL",
    "TESSERA_CONTEXT_URL",
    "UnknownContextError",
    "load_context",
]

CREDENTIALS_V2_URL: Final = "https://www.w3.org/ns/credentials/v2"
CREDENTIALS_V1_URL: Final = "https://www.w3.org/2018/credentials/v1"
OB_V3P0_URL: Final = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_V2P0_URL: Final = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
DATA_INTEGRITY_V2_URL: Final = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1_URL: Final = "https://w3id.org/security/multikey/v1"
DID_V1_URL: Final = "https://www.w3.org/ns/did/v1"
ED25519_2020_URL: Final = "https://w3id.org/security/suites/ed25519-2020/v1"
#: Our extension context for the EU micro-credential elements that OB 3.0 has no field for;
#: the web layer serves `data/tessera-v1.jsonld` at this URL.
TESSERA_CONTEXT_URL: Final = "https://tessera.eu/ns/microcredential/v1"

CONTEXT_FILES: Final[dict[str, str]] = {
    CREDENTIALS_V2_URL: "credentials-v2.jsonld",
    CREDENTIALS_V1_URL: "credentials-v1.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.jsonld",
    "https://www.w3.org/2018/credentials/examples/v1": "credentials-examples-v1.jsonld",
    "https://www.w3.org/ns/credentials/undefined-terms/v2": "credentials-undefined-terms-v2.jsonld",
    DATA_INTEGRITY_V2_URL: "data-integrity-v2.jsonld",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    MULTIKEY_V1_URL: "multikey-v1.jsonld",
    "https://w3id.org/security/jwk/v1": "jwk-v1.jsonld",
    DID_V1_URL: "did-v1.jsonld",
    # The DID Core context was first published under w3id.org; documents in the wild use both.
    "https://w3id.org/did/v1": "did-v1.jsonld",
    ED25519_2020_URL: "ed25519-2020-v1.jsonld",
    "https://w3id.org/security/v2": "security-v2.jsonld",
    "https://www.w3.org/ns/odrl.jsonld": "odrl.jsonld",
    # 3.0.3 is the validator's copy (newest: has `jti` and top-level `endorsementJwt`).
    OB_V3P0_URL: "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context.json",
    # The 1EdTech validator maps this legacy URL of the 3.0.0 context to the same file.
    "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld": "ob-v3p0-context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    CLR_V2P0_URL: "clr-v2p0-context-2.0.1.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json": "clr-v2p0-context.json",
    "https://w3id.org/vc/status-list/2021/v1": "status-list-2021-v1.jsonld",
    "https://www.w3.org/ns/credentials/status/v1": "bitstring-status-list-v1.jsonld",
    TESSERA_CONTEXT_URL: "tessera-v1.jsonld",
}


class UnknownContextError(LookupError):
    """A document names a context URL that is not bundled (we never fetch one)."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"unknown JSON-LD context {url!r}: only bundled contexts are used and nothing is "
            "fetched from the network"
        )
        self.url = url


@cache
def load_context(url: str) -> dict[str, Any]:
    """The parsed context document for `url` (shared and cached: do not mutate it)."""
    filename = CONTEXT_FILES.get(url)
    if filename is None:
        raise UnknownContextError(url)
    document: dict[str, Any] = json.loads(context_bytes(url))
    return document


def context_bytes(url: str) -> bytes:
    """The bundled file for `url`, byte for byte (what a server should serve at that URL)."""
    filename = CONTEXT_FILES.get(url)
    if filename is None:
        raise UnknownContextError(url)
    return resources.files(__package__).joinpath("data", filename).read_bytes()
