"""Data Integrity proofs (W3C VC Data Integrity 1.0 + vc-di-eddsa 1.0): create and verify.

Suites: `eddsa-rdfc-2022` (RDFC-1.0; the Open Badges 3.0 conformance format), `eddsa-jcs-2022`
(RFC 8785), and for verification only the legacy `Ed25519Signature2020` and `eddsa-2022` (the
pre-standard name of eddsa-rdfc-2022). For every suite:

    hashData   = SHA-256(canonical proof config) || SHA-256(canonical unsecured document)
    proofValue = "z" + base58btc(Ed25519 signature of hashData)

where the proof config is the proof without `proofValue`, carrying the document's `@context`.
Proof sets (several independent proofs) and proof chains (`previousProof`) are both verified.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal

import orjson

from tessera.credentials.canonical import CanonicalizationError, jcs, rdfc
from tessera.credentials.jsonld import JsonLdError
from tessera.credentials.jsonld.rdfc import CanonicalizationLimitError
from tessera.credentials.keys import Signer, verify_signature
from tessera.credentials.multibase import MultibaseError, decode_base58btc, encode_base58btc
from tessera.credentials.multikey import PublicKey

__all__ = [
    "SIGNING_SUITES",
    "ProofError",
    "ProofOptions",
    "ProofResult",
    "Suite",
    "add_proof",
    "hash_data",
    "sign_many",
    "verify_proofs",
]

Suite = Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"]
SIGNING_SUITES: Final[tuple[Suite, ...]] = ("eddsa-rdfc-2022", "eddsa-jcs-2022")
#: cryptosuite (or legacy proof type) -> canonicalization used
_VERIFY_SUITES: Final = {
    "eddsa-rdfc-2022": "rdfc",
    "eddsa-2022": "rdfc",
    "eddsa-jcs-2022": "jcs",
    "Ed25519Signature2020": "rdfc",
}
_CONFIG_CACHE_LIMIT: Final = 4096
_config_hashes: dict[bytes, bytes] = {}

KeyLookup = Callable[[str], PublicKey]


class ProofError(ValueError):
    """A proof cannot be created (bad document or options)."""


@dataclass(frozen=True, slots=True)
class ProofOptions:
    """Proof options; `created` defaults to now (UTC, whole seconds)."""

    created: str | None = None
    proof_purpose: str = "assertionMethod"
    challenge: str | None = None
    domain: str | None = None
    proof_id: str | None = None


@dataclass(frozen=True, slots=True)
class ProofResult:
    """The outcome for one proof. `status`: passed, failed or unsupported."""

    index: int
    status: Literal["passed", "failed", "unsupported"]
    message: str
    suite: str | None = None
    verification_method: str | None = None


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _proof_config(
    document: Mapping[str, Any], signer: Signer, suite: str, options: ProofOptions, created: str
) -> dict[str, Any]:
    config: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": suite}
    if options.proof_id is not None:
        config["id"] = options.proof_id
    config["created"] = created
    config["verificationMethod"] = signer.key_id
    config["proofPurpose"] = options.proof_purpose
    if options.challenge is not None:
        config["challenge"] = options.challenge
    if options.domain is not None:
        config["domain"] = options.domain
    if "@context" in document:
        config["@context"] = document["@context"]
    return config


def _canonical(value: Mapping[str, Any], method: str) -> bytes:
    if method == "jcs":
        return jcs(value)
    return rdfc(value).encode("utf-8")


def _config_hash(config: Mapping[str, Any], method: str) -> bytes:
    """SHA-256 of the canonical proof config, cached: in a batch only `created` varies, if that."""
    key = method.encode() + orjson.dumps(config, option=orjson.OPT_SORT_KEYS)
    digest = _config_hashes.get(key)
    if digest is None:
        digest = hashlib.sha256(_canonical(config, method)).digest()
        if len(_config_hashes) >= _CONFIG_CACHE_LIMIT:
            _config_hashes.clear()
        _config_hashes[key] = digest
    return digest


def hash_data(unsecured: Mapping[str, Any], config: Mapping[str, Any], method: str) -> bytes:
    """SHA-256(canonical proof config) || SHA-256(canonical document)."""
    return _config_hash(config, method) + hashlib.sha256(_canonical(unsecured, method)).digest()


def add_proof(
    document: Mapping[str, Any],
    signer: Signer,
    *,
    suite: Suite = "eddsa-rdfc-2022",
    options: ProofOptions | None = None,
) -> dict[str, Any]:
    """A copy of `document` with one more proof (a proof set: existing proofs are kept and do
    not take part in the new signature). Raises `ProofError` naming what cannot be signed."""
    if suite not in SIGNING_SUITES:
        raise ProofError(f"unsupported cryptosuite {suite!r}; use one of {SIGNING_SUITES}")
    if signer.public_key.key_type != "Ed25519":
        raise ProofError(f"{suite} needs an Ed25519 key")
    if not signer.key_id:
        raise ProofError("the signer has no key id (verification method)")
    options = options or ProofOptions()
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = _proof_config(unsecured, signer, suite, options, options.created or now_iso())
    method = _VERIFY_SUITES[suite]
    try:
        data = hash_data(unsecured, config, method)
    except (JsonLdError, CanonicalizationError, CanonicalizationLimitError) as error:
        raise ProofError(f"cannot sign: {error}") from error
    proof = {k: v for k, v in config.items() if k != "@context"}
    proof["proofValue"] = encode_base58btc(signer.sign(data))
    signed = dict(document)
    existing = document.get("proof")
    if existing is None:
        signed["proof"] = proof
    else:
        signed["proof"] = [*(existing if isinstance(existing, list) else [existing]), proof]
    return signed


def sign_many(
    documents: Iterable[Mapping[str, Any]],
    signer: Signer,
    suite: Suite = "eddsa-rdfc-2022",
    options: ProofOptions | None = None,
) -> list[dict[str, Any]]:
    """Sign a batch with one `created` time (so the proof config is canonicalized once).
    Pure and order-preserving: a later issue can fan it out over processes."""
    options = options or ProofOptions()
    if options.created is None:
        options = ProofOptions(
            now_iso(), options.proof_purpose, options.challenge, options.domain, options.proof_id
        )
    return [add_proof(document, signer, suite=suite, options=options) for document in documents]


def _proofs(document: Mapping[str, Any]) -> list[Any]:
    proof = document.get("proof")
    if proof is None:
        return []
    return proof if isinstance(proof, list) else [proof]


def verify_proofs(
    document: Mapping[str, Any],
    key_lookup: KeyLookup,
    *,
    expected_purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | None = None,
) -> list[ProofResult]:
    """Check every proof of `document`; never raises for bad input (a failed result instead)."""
    proofs = _proofs(document)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    by_id = {p.get("id"): p for p in proofs if isinstance(p, dict) and p.get("id")}
    return [
        _verify_one(index, proof, unsecured, by_id, key_lookup, expected_purpose, challenge, domain)
        for index, proof in enumerate(proofs)
    ]


def _verify_one(
    index: int,
    proof: Any,
    unsecured: dict[str, Any],
    by_id: dict[Any, Any],
    key_lookup: KeyLookup,
    expected_purpose: str,
    challenge: str | None,
    domain: str | None,
) -> ProofResult:
    if not isinstance(proof, dict):
        return ProofResult(index, "failed", "the proof is not a JSON object")
    proof_type = proof.get("type")
    suite = proof.get("cryptosuite") if proof_type == "DataIntegrityProof" else proof_type
    method = _VERIFY_SUITES.get(suite) if isinstance(suite, str) else None
    if method is None:
        return ProofResult(
            index, "unsupported", f"proof type {proof_type!r} / suite {suite!r} is not supported",
            suite if isinstance(suite, str) else None,
        )  # fmt: skip
    vm = proof.get("verificationMethod")

    def fail(message: str) -> ProofResult:
        return ProofResult(index, "failed", message, suite, vm if isinstance(vm, str) else None)

    if not isinstance(vm, str):
        return fail("the proof has no verificationMethod")
    if proof.get("proofPurpose") != expected_purpose:
        return fail(f"proof purpose is {proof.get('proofPurpose')!r}, not {expected_purpose!r}")
    if challenge is not None and proof.get("challenge") != challenge:
        return fail("the proof's challenge does not match")
    if domain is not None and proof.get("domain") != domain:
        return fail("the proof's domain does not match")
    try:
        signature = decode_base58btc(proof.get("proofValue"))  # type: ignore[arg-type]
    except MultibaseError:
        return fail("proofValue is not a multibase base58btc value")
    if len(signature) != 64:
        return fail("proofValue is not a 64-byte Ed25519 signature")
    document = dict(unsecured)
    previous = proof.get("previousProof")
    if previous is not None:
        wanted = previous if isinstance(previous, list) else [previous]
        if not all(isinstance(p, str) and p in by_id for p in wanted):
            return fail(f"previousProof {previous!r} names a proof that is not there")
        document["proof"] = [by_id[p] for p in wanted]
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    try:
        data = hash_data(document, config, method)
    except (JsonLdError, CanonicalizationError, CanonicalizationLimitError) as error:
        return fail(f"the signed data cannot be canonicalized: {error}")
    try:
        key = key_lookup(vm)
    except Exception as error:  # resolvers are pluggable; any failure means "no key"
        return fail(f"the key {vm} could not be obtained: {error}")
    if key.key_type != "Ed25519":
        return fail(f"{suite} needs an Ed25519 key, {vm} is {key.key_type}")
    if not verify_signature(key, data, signature):
        return fail("the signature does not match: the credential was changed or the key is wrong")
    return ProofResult(index, "passed", f"{suite} signature is valid", suite, vm)
