"""One verifier for any Open Badges 3.0 / CLR 2.0 / VC: JSON-LD, a compact JWT, or a baked PNG
or SVG. Each check is reported on its own with a plain-language message; malformed input gets
a failed report, never an exception.

Checks, in order: parse, contexts_and_terms (strict JSON-LD), json_schema, proof (every proof),
verification_method (the signing key belongs to the issuer), validity (validFrom/validUntil or
VCDM 1.1 issuanceDate/expirationDate), status and issuer_trust (placeholders for later).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Literal

import orjson

from tessera.credentials.baking import BakingError, extract, image_kind
from tessera.credentials.contexts import CREDENTIALS_V1_URL, CREDENTIALS_V2_URL
from tessera.credentials.dataintegrity import ProofResult, verify_proofs
from tessera.credentials.didkey import DidResolutionError, DidResolver, StandardDidResolver
from tessera.credentials.jsonld import JsonLdError, check_strict
from tessera.credentials.jwt import JwtError, credential_of, decode_unverified, verify_jwt
from tessera.credentials.multibase import MultibaseError, b58decode, b64url_decode
from tessera.credentials.multikey import MultikeyError, PublicKey, decode_public_key
from tessera.credentials.schemas import schema_validator

__all__ = ["Check", "CheckStatus", "VerificationReport", "verify"]

CheckStatus = Literal["passed", "failed", "skipped", "warning"]
CHECK_IDS: Final = (
    "parse", "contexts_and_terms", "json_schema", "proof", "verification_method", "validity",
    "status", "issuer_trust",
)  # fmt: skip
_JWT: Final = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    status: CheckStatus
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "status": self.status, "message": self.message}


@dataclass
class VerificationReport:
    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None
    format: str | None = None  # json-ld, jwt, png+json-ld, svg+jwt, ...

    @property
    def verified(self) -> bool:
        """No check failed and the proof check passed (warnings allowed)."""
        statuses = {c.id: c.status for c in self.checks}
        return "failed" not in statuses.values() and statuses.get("proof") in ("passed", "warning")

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.status == "warning"]

    def check(self, check_id: str) -> Check:
        return next(c for c in self.checks if c.id == check_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "format": self.format,
            "checks": [c.to_dict() for c in self.checks],
        }


def verify(
    data: bytes | str | Mapping[str, Any],
    *,
    resolver: DidResolver | None = None,
    now: datetime | None = None,
) -> VerificationReport:
    """Verify a credential; `resolver` defaults to did:key only (offline, nothing fetched)."""
    report = VerificationReport()
    try:
        _verify(report, data, resolver or StandardDidResolver(), now or datetime.now(UTC))
    except Exception as error:  # last line of defence: a report, never a crash
        done = {c.id for c in report.checks}
        report.checks.append(
            Check("internal", "failed", f"verification stopped unexpectedly: {error!r}")
        )
        report.checks += [Check(i, "skipped", "not reached") for i in CHECK_IDS if i not in done]
    return report


def _skip_rest(report: VerificationReport, reason: str) -> None:
    done = {c.id for c in report.checks}
    report.checks += [Check(i, "skipped", reason) for i in CHECK_IDS if i not in done]


def _verify(
    report: VerificationReport, data: bytes | str | Mapping[str, Any], resolver: DidResolver,
    now: datetime,
) -> None:  # fmt: skip
    parsed = _parse(report, data)
    if parsed is None:
        _skip_rest(report, "the input could not be read")
        return
    credential, token = parsed
    report.credential = credential
    _contexts(report, credential)
    _schema(report, credential)
    keys = _KeyFinder(resolver)
    if token is not None:
        _jwt_proof(report, token, keys)
    else:
        _di_proofs(report, credential, keys)
    _verification_methods(report, credential, keys)
    _validity(report, credential, now)
    if token is not None:
        _jwt_window(report, token, now)
    if "credentialStatus" in credential:
        status = "A credentialStatus is present; it is checked by a later feature"
    else:
        status = "Checked by a later feature"
    report.checks.append(Check("status", "skipped", status))
    report.checks.append(Check("issuer_trust", "skipped", "Checked by a later feature"))


# parse -----------------------------------------------------------------------------------


def _parse(
    report: VerificationReport, data: bytes | str | Mapping[str, Any]
) -> tuple[dict[str, Any], str | None] | None:
    prefix = ""
    if isinstance(data, Mapping):
        report.format = "json-ld"
        report.checks.append(Check("parse", "passed", "Read a JSON-LD credential"))
        return dict(data), None
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data)
        try:
            kind = image_kind(data)
        except BakingError:
            kind = None
        if kind is not None:
            try:
                data = extract(data)
            except BakingError as error:
                _parse_failed(report, f"No credential found in the {kind.upper()}: {error}")
                return None
            prefix = f"{kind}+"
        else:
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError:
                _parse_failed(report, "The input is neither an image nor UTF-8 text")
                return None
    if not isinstance(data, str):
        _parse_failed(report, "Unsupported input type")
        return None
    text = data.strip().lstrip("\ufeff")
    if _JWT.fullmatch(text):
        try:
            _, claims, _, _ = decode_unverified(text)
        except JwtError as error:
            _parse_failed(report, f"The JWT cannot be read: {error}")
            return None
        report.format = prefix + "jwt"
        report.checks.append(Check("parse", "passed", "Read a VC-JWT"))
        return credential_of(claims), text
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        _parse_failed(report, f"The input is not JSON, a JWT or a baked image: {error}")
        return None
    if not isinstance(value, dict):
        _parse_failed(report, "The credential must be a JSON object")
        return None
    report.format = prefix + "json-ld"
    report.checks.append(Check("parse", "passed", "Read a JSON-LD credential"))
    return value, None


def _parse_failed(report: VerificationReport, message: str) -> None:
    report.checks.append(Check("parse", "failed", message))


# contexts, schema ------------------------------------------------------------------------


def _contexts(report: VerificationReport, credential: dict[str, Any]) -> None:
    contexts = credential.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    if first not in (CREDENTIALS_V2_URL, CREDENTIALS_V1_URL):
        report.checks.append(
            Check(
                "contexts_and_terms",
                "failed",
                f"The first @context must be {CREDENTIALS_V2_URL} (or the VCDM 1.1 one), "
                f"not {first!r}",
            )
        )
        return
    try:
        check_strict({k: v for k, v in credential.items() if k != "proof"})
    except JsonLdError as error:
        report.checks.append(Check("contexts_and_terms", "failed", f"{error}"))
        return
    report.checks.append(
        Check("contexts_and_terms", "passed", "Every term and type is defined by a known context")
    )


def _types(credential: Mapping[str, Any]) -> list[str]:
    types = credential.get("type", [])
    return [types] if isinstance(types, str) else [t for t in types if isinstance(t, str)]


def _schema(report: VerificationReport, credential: dict[str, Any]) -> None:
    types = _types(credential)
    if "ClrCredential" in types:
        name = "ClrCredential"
    elif "EndorsementCredential" in types:
        name = "EndorsementCredential"
    elif "OpenBadgeCredential" in types or "AchievementCredential" in types:
        name = "AchievementCredential"
    else:
        report.checks.append(
            Check(
                "json_schema", "skipped", "Not an Open Badges or CLR credential: no schema applies"
            )
        )
        return
    errors = sorted(schema_validator(name).iter_errors(credential), key=lambda e: list(e.path))
    if not errors:
        report.checks.append(Check("json_schema", "passed", f"Valid against the {name} schema"))
        return
    first = errors[0]
    where = "/" + "/".join(str(p) for p in first.absolute_path)
    message = f"{len(errors)} problem(s) against the {name} schema; first at {where}: "
    message += first.message[:300]
    contexts = credential.get("@context")
    legacy = isinstance(contexts, list) and contexts[:1] == [CREDENTIALS_V1_URL]
    if legacy:  # 1EdTech's validator also only warns: the schema describes VCDM 2.0
        report.checks.append(Check("json_schema", "warning", f"VCDM 1.1 credential: {message}"))
    else:
        report.checks.append(Check("json_schema", "failed", message))


# keys ------------------------------------------------------------------------------------


@dataclass
class _KeyUse:
    method: str
    key: PublicKey | None = None
    controller: str | None = None
    authorized: bool = False  # listed under assertionMethod in the controller document
    source: str = "document"  # document | fragment | jwk
    problem: str | None = None
    revoked: str | None = None  # the controller document says the key was retired then


class _KeyFinder:
    """Finds public keys for verification methods and remembers where each came from."""

    def __init__(self, resolver: DidResolver) -> None:
        self.resolver = resolver
        self.uses: dict[str, _KeyUse] = {}

    def __call__(self, method: str) -> PublicKey:
        use = self.uses.get(method) or self._find(method)
        self.uses[method] = use
        if use.key is None:
            raise LookupError(use.problem or "no key")
        return use.key

    def _find(self, method: str) -> _KeyUse:
        use = _KeyUse(method)
        base, _, fragment = method.partition("#")
        try:
            document = self.resolver.resolve(base)
        except (DidResolutionError, ValueError) as error:
            use.problem = str(error)
            # As the 1EdTech validator does: a fragment that is itself a Multikey gives the key,
            # but nobody has confirmed that the issuer controls it.
            try:
                use.key = decode_public_key(fragment)
                use.source = "fragment"
            except (MultikeyError, MultibaseError):
                pass
            return use
        use.controller = document.get("id") if isinstance(document.get("id"), str) else None
        entry = _find_method(document, method)
        if entry is None:
            use.problem = f"{method} is not in the controller document of {base}"
            return use
        try:
            use.key = _public_key(entry)
        except (MultikeyError, MultibaseError, KeyError, TypeError, ValueError) as error:
            use.problem = f"unusable key in {method}: {error}"
            return use
        revoked = entry.get("revoked")
        use.revoked = revoked if isinstance(revoked, str) else None
        entry_id = _absolute(entry.get("id", ""), base)
        purposes = document.get("assertionMethod", [])
        for item in purposes if isinstance(purposes, list) else [purposes]:
            ref = item.get("id") if isinstance(item, dict) else item
            if isinstance(ref, str) and _absolute(ref, base) in (entry_id, method):
                use.authorized = True
        return use


def _absolute(ref: str, base: str) -> str:
    return base + ref if ref.startswith("#") else ref


def _find_method(document: Mapping[str, Any], method: str) -> dict[str, Any] | None:
    base = document.get("id", "")
    candidates = []
    for key in ("verificationMethod", "assertionMethod"):
        items = document.get(key, [])
        candidates += [
            i for i in (items if isinstance(items, list) else [items]) if isinstance(i, dict)
        ]
    for entry in candidates:
        if isinstance(entry.get("id"), str) and _absolute(entry["id"], str(base)) == method:
            return entry
    # A method named without a fragment (did:key:z6Mk...): the document's only key.
    if "#" not in method and method == base and len(candidates) == 1:
        return candidates[0]
    return None


def _public_key(entry: Mapping[str, Any]) -> PublicKey:
    if "publicKeyMultibase" in entry:
        return decode_public_key(entry["publicKeyMultibase"])
    if "publicKeyBase58" in entry and entry.get("type") == "Ed25519VerificationKey2018":
        return PublicKey("Ed25519", b58decode(entry["publicKeyBase58"]))
    jwk = entry.get("publicKeyJwk")
    if isinstance(jwk, dict):
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return PublicKey("Ed25519", b64url_decode(jwk["x"]))
        if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
            y = b64url_decode(jwk["y"])
            return PublicKey("P-256", bytes([2 + (y[-1] & 1)]) + b64url_decode(jwk["x"]))
    raise ValueError(f"key type {entry.get('type')!r} is not supported")


# proofs ----------------------------------------------------------------------------------


def _di_proofs(report: VerificationReport, credential: dict[str, Any], keys: _KeyFinder) -> None:
    if "proof" not in credential:
        report.checks.append(
            Check("proof", "failed", "The credential has no proof: it is unsigned")
        )
        return
    results = verify_proofs(credential, keys)
    report.checks.append(_summarise(results))


def _summarise(results: list[ProofResult]) -> Check:
    passed = [r for r in results if r.status == "passed"]
    failed = [r for r in results if r.status == "failed"]
    unsupported = [r for r in results if r.status == "unsupported"]
    if failed:
        detail = "; ".join(f"proof {r.index + 1}: {r.message}" for r in failed)
        return Check(
            "proof", "failed", f"{len(failed)} of {len(results)} proof(s) failed: {detail}"
        )
    if not passed:
        detail = "; ".join(r.message for r in unsupported) or "no proof"
        return Check("proof", "failed", f"No proof could be checked: {detail}")
    suites = ", ".join(sorted({str(r.suite) for r in passed}))
    if unsupported:
        detail = "; ".join(r.message for r in unsupported)
        return Check(
            "proof", "warning",
            f"{len(passed)} proof(s) valid ({suites}); not checked: {detail}",
        )  # fmt: skip
    return Check("proof", "passed", f"{len(passed)} proof(s) valid ({suites})")


def _jwt_proof(report: VerificationReport, token: str, keys: _KeyFinder) -> None:
    try:
        verified = verify_jwt(token, keys)
    except JwtError as error:
        report.checks.append(Check("proof", "failed", f"JWT: {error}"))
        return
    algorithm = verified.header.get("alg")
    if verified.key_source == "jwk":
        jwk_use = _KeyUse("(jwk header)", source="jwk")
        keys.uses["(jwk header)"] = jwk_use
    if verified.warnings:
        report.checks.append(
            Check(
                "proof",
                "warning",
                f"{algorithm} signature valid, but " + "; ".join(verified.warnings),
            )
        )
    else:
        report.checks.append(Check("proof", "passed", f"{algorithm} JWT signature is valid"))


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, Mapping) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return None


def _verification_methods(
    report: VerificationReport, credential: dict[str, Any], keys: _KeyFinder
) -> None:
    proof = next((c for c in report.checks if c.id == "proof"), None)
    if proof is None or proof.status == "failed" or not keys.uses:
        report.checks.append(
            Check("verification_method", "skipped", "No valid proof, so no key to check")
        )
        return
    issuer = _issuer_id(credential)
    statuses: list[tuple[CheckStatus, str]] = [
        _retired(use, credential) or _key_owner(use, issuer) for use in keys.uses.values()
    ]
    worst: CheckStatus = "passed"
    for status, _ in statuses:
        if status == "failed" or (status == "warning" and worst == "passed"):
            worst = status
    message = "; ".join(message for _, message in statuses)
    report.checks.append(Check("verification_method", worst, message))


def _signed_at(credential: Mapping[str, Any], method: str) -> datetime | None:
    """When the proof by `method` says it was made (a JWT: when the credential became valid)."""
    proofs = credential.get("proof")
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        if isinstance(proof, Mapping) and proof.get("verificationMethod") == method:
            return _datetime(proof.get("created"))
    return _datetime(credential.get("validFrom") or credential.get("issuanceDate"))


def _retired(use: _KeyUse, credential: Mapping[str, Any]) -> tuple[CheckStatus, str] | None:
    """A key its controller retired: proofs made from then on are refused; earlier ones
    stand, with a warning (a compromised key could also backdate a proof)."""
    if use.revoked is None:
        return None
    revoked = _datetime(use.revoked)
    signed = _signed_at(credential, use.method)
    if revoked is None or signed is None or signed >= revoked:
        return "failed", f"{use.method} was retired on {use.revoked}; this proof is not older"
    return "warning", (
        f"{use.method} was retired on {use.revoked}, after this proof was made "
        f"({_iso_z(signed)}); trust it only if you trust that date"
    )


def _iso_z(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _key_owner(use: _KeyUse, issuer: str | None) -> tuple[CheckStatus, str]:
    if use.source == "jwk":
        return "warning", (
            "The JWT carries its own key (jwk header); nothing ties that key to the issuer"
        )
    if use.source == "fragment":
        return "warning", (
            f"The controller document for {use.method} could not be retrieved ({use.problem}); "
            "the key was read from the method id, so that the issuer controls it is unconfirmed"
        )
    if not use.authorized:
        return "failed", (
            f"{use.method} is not listed under assertionMethod by its controller {use.controller}"
        )
    if use.controller == issuer:
        return "passed", f"{use.method} belongs to the issuer and may sign credentials"
    resolvable = issuer is not None and issuer.startswith(("did:", "https:"))
    if not resolvable and use.controller is not None and use.controller.startswith("did:key:"):
        return "warning", (
            f"Signed with {use.controller}; the issuer id {issuer!r} cannot be resolved, so the "
            "link between issuer and key is unconfirmed"
        )
    return "failed", f"{use.method} belongs to {use.controller}, not to the issuer {issuer}"


# validity --------------------------------------------------------------------------------


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _validity(report: VerificationReport, credential: Mapping[str, Any], now: datetime) -> None:
    start_key = "validFrom" if "validFrom" in credential else "issuanceDate"
    end_key = "validUntil" if "validUntil" in credential else "expirationDate"
    problems: list[str] = []
    start = end = None
    for key in (start_key, end_key):
        if key in credential:
            moment = _datetime(credential[key])
            if moment is None:
                problems.append(f"{key} {credential[key]!r} is not a date-time with a time zone")
            elif key == start_key:
                start = moment
            else:
                end = moment
    if problems:
        report.checks.append(Check("validity", "failed", "; ".join(problems)))
    elif start is not None and now < start:
        report.checks.append(
            Check("validity", "failed", f"Not valid yet: valid from {credential[start_key]}")
        )
    elif end is not None and now > end:
        report.checks.append(
            Check("validity", "failed", f"Expired: valid until {credential[end_key]}")
        )
    elif start is None:
        report.checks.append(Check("validity", "warning", "The credential states no validFrom"))
    else:
        until = f" until {credential[end_key]}" if end is not None else ""
        report.checks.append(
            Check("validity", "passed", f"Valid from {credential[start_key]}{until}")
        )


def _jwt_window(report: VerificationReport, token: str, now: datetime) -> None:
    """A VC-JWT's own `nbf` / `exp` claims bound its validity too (VC-JOSE-COSE)."""
    try:
        claims = decode_unverified(token)[1]
    except JwtError:
        return
    moment = now.timestamp()
    problems = []
    nbf, exp = claims.get("nbf"), claims.get("exp")
    if isinstance(nbf, (int, float)) and moment < nbf:
        problems.append(f"the JWT is not valid before {_iso_z(datetime.fromtimestamp(nbf, UTC))}")
    if isinstance(exp, (int, float)) and moment > exp:
        problems.append(f"the JWT expired at {_iso_z(datetime.fromtimestamp(exp, UTC))}")
    if not problems:
        return
    index = next(i for i, c in enumerate(report.checks) if c.id == "validity")
    previous = report.checks[index]
    detail = "; ".join(problems)
    message = detail[0].upper() + detail[1:]
    if previous.status == "failed":
        message = f"{previous.message}; {detail}"
    report.checks[index] = Check("validity", "failed", message)
