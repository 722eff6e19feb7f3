"""Use cases of issuing: issuer keys and DIDs, issuing, showing and verifying credentials.

Every provider signs as its own did:web (`didweb`), with an Ed25519 key created on first
use and stored encrypted (`keystore`). Rotation adds a key that signs from then on; the old
ones stay in the DID document, so the credentials they signed keep verifying. Retiring a key
(compromise) stamps it `revoked` in the DID document.

Issuing composes the credential from the published catalog version (`compose`), signs it with
Data Integrity and as a VC-JWT, and stores both, idempotently per (version, learner,
idempotency key). Verification resolves this server's own DIDs from the database, did:key
offline, and other did:web through the injected fetcher (none in tests: nothing is fetched).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tessera.accounts import services as accounts
from tessera.accounts.roles import CATALOG_EDITORS, CATALOG_READERS, Actor, Role, require_role
from tessera.catalog import services as catalog
from tessera.catalog.schemas import MicrocredentialPublic
from tessera.catalog.vocab import VersionStatus, label
from tessera.credentials import didweb
from tessera.credentials.badge_image import FIELD_COLOURS, badge_png, badge_svg
from tessera.credentials.baking import bake
from tessera.credentials.compose import (
    EQF_FRAMEWORK,
    Achievement,
    CompositionError,
    IssuerProfile,
    Recipient,
    Skill,
    compose_achievement_credential,
)
from tessera.credentials.dataintegrity import ProofError, ProofOptions, Suite, add_proof
from tessera.credentials.didkey import DidResolutionError, Fetcher, StandardDidResolver
from tessera.credentials.jsonld import JsonLdError, check_strict
from tessera.credentials.jwt import sign_jwt
from tessera.credentials.keys import Ed25519Signer, generate_ed25519_key
from tessera.credentials.keystore import KeyVault
from tessera.credentials.models import IssuedCredential, IssuerKey
from tessera.credentials.payloads import (
    CredentialIssue,
    IssuedCredentialPublic,
    IssuedFormat,
    IssuerKeyPublic,
    KeyRetire,
)
from tessera.credentials.verifier import VerificationReport, verify
from tessera.errors import (
    AuthenticationRequired,
    Conflict,
    FieldProblem,
    InvalidInput,
    NotFound,
    PermissionDenied,
)

ISSUERS = CATALOG_EDITORS  # who may issue a provider's credentials
KEY_MANAGERS = frozenset({Role.ORG_ADMIN})
MEDIA_TYPES: dict[IssuedFormat, str] = {
    "json": "application/vc+ld+json",
    "jwt": "application/vc+jwt",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Issuing:
    """What issuing needs from outside: the public origin, the key vault, a clock, and how
    (if at all) to fetch other issuers' DID documents."""

    base_url: str
    vault: KeyVault = field(repr=False)
    fetch: Fetcher | None = None
    clock: Callable[[], datetime] = _now

    @property
    def platform_did(self) -> str:
        return didweb.platform_did(self.base_url)

    def organisation_did(self, slug: str) -> str:
        return didweb.organisation_did(self.base_url, slug)

    def credential_url(self, credential_id: str) -> str:
        return f"{self.base_url}/credentials/{credential_id}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --- keys ----------------------------------------------------------------------------------


def _keys_of(db: Session, organisation_id: int | None) -> list[IssuerKey]:
    owner = (
        IssuerKey.organisation_id.is_(None)
        if organisation_id is None
        else IssuerKey.organisation_id == organisation_id
    )
    return list(db.scalars(select(IssuerKey).where(owner).order_by(IssuerKey.id)))


def _current(keys: list[IssuerKey]) -> IssuerKey | None:
    """The newest key not retired: it signs whatever is issued now."""
    return next((key for key in reversed(keys) if key.retired_at is None), None)


def _create_key(db: Session, issuing: Issuing, organisation_id: int | None) -> IssuerKey:
    signer = generate_ed25519_key()
    public = signer.public_key.multibase
    key = IssuerKey(
        organisation_id=organisation_id,
        key_type="Ed25519",
        public_key=public,
        encrypted_secret=issuing.vault.encrypt(signer.seed, public),
        created_at=issuing.clock(),
    )
    db.add(key)
    db.flush()
    return key


def _signer(issuing: Issuing, did: str, key: IssuerKey) -> Ed25519Signer:
    seed = issuing.vault.decrypt(key.encrypted_secret, key.public_key)
    return Ed25519Signer(seed, didweb.method_id(did, key.public_key))


def _signing_key(
    db: Session, issuing: Issuing, organisation_id: int | None, did: str
) -> tuple[IssuerKey, Ed25519Signer]:
    """The current key (made on first use) and a signer for it."""
    key = _current(_keys_of(db, organisation_id)) or _create_key(db, issuing, organisation_id)
    return key, _signer(issuing, did, key)


def _key_public(did: str, key: IssuerKey, current: IssuerKey | None) -> IssuerKeyPublic:
    return IssuerKeyPublic(
        verification_method=didweb.method_id(did, key.public_key),
        public_key_multibase=key.public_key,
        key_type=key.key_type,
        created_at=key.created_at,
        retired_at=key.retired_at,
        retired_reason=key.retired_reason,
        current=current is not None and key.id == current.id,
    )


def list_keys(db: Session, issuing: Issuing, slug: str) -> list[IssuerKeyPublic]:
    """A provider's keys, newest first (public information: the DID document shows them)."""
    organisation = accounts.get_organisation(db, slug)
    keys = _keys_of(db, organisation.id)
    did = issuing.organisation_did(slug)
    current = _current(keys)
    return [_key_public(did, key, current) for key in reversed(keys)]


def can_manage_keys(actor: Actor, organisation_id: int) -> bool:
    return actor.is_platform_admin or actor.has_any_role(organisation_id, KEY_MANAGERS)


def _require_key_manager(actor: Actor, organisation_id: int, slug: str) -> None:
    require_role(
        actor, organisation_id, KEY_MANAGERS, sign_in="Sign in to manage signing keys",
        denied=f"Only the organisation admins of '{slug}' manage its keys",
    )  # fmt: skip


def rotate_key(db: Session, issuing: Issuing, actor: Actor, slug: str) -> IssuerKeyPublic:
    """A new key signs from now on; the previous ones stay published for old credentials."""
    organisation = accounts.get_organisation(db, slug)
    _require_key_manager(actor, organisation.id, slug)
    key = _create_key(db, issuing, organisation.id)
    return _key_public(issuing.organisation_did(slug), key, key)


def retire_key(
    db: Session, issuing: Issuing, actor: Actor, slug: str, public_key: str, data: KeyRetire
) -> IssuerKeyPublic:
    """Mark a key compromised from `retired_at` (default now): proofs it made from then on
    fail verification. If it was the current key, the next credential gets a new one."""
    organisation = accounts.get_organisation(db, slug)
    _require_key_manager(actor, organisation.id, slug)
    keys = _keys_of(db, organisation.id)
    key = next((k for k in keys if k.public_key == public_key), None)
    if key is None:
        raise NotFound(f"'{slug}' has no key {public_key}")
    if key.retired_at is not None:
        raise Conflict(f"The key {public_key} was already retired on {_iso(key.retired_at)}")
    moment = data.retired_at or issuing.clock()
    if moment.tzinfo is None:
        raise InvalidInput(
            "Invalid KeyRetire: retired_at needs a time zone",
            [FieldProblem("retired_at", "give a time zone, e.g. 2026-11-01T00:00:00Z")],
        )
    key.retired_at = moment
    key.retired_reason = data.reason
    db.flush()
    return _key_public(issuing.organisation_did(slug), key, _current(keys))


def _document(issuing: Issuing, did: str, keys: list[IssuerKey]) -> dict[str, Any]:
    published = [
        didweb.PublishedKey(key.public_key, _iso(key.retired_at) if key.retired_at else None)
        for key in keys
    ]
    return didweb.did_document(did, published)


def organisation_did_document(db: Session, issuing: Issuing, slug: str) -> dict[str, Any]:
    organisation = accounts.get_organisation(db, slug)
    return _document(issuing, issuing.organisation_did(slug), _keys_of(db, organisation.id))


def platform_did_document(db: Session, issuing: Issuing) -> dict[str, Any]:
    return _document(issuing, issuing.platform_did, _keys_of(db, None))


class PlatformDidResolver:
    """This server's own DIDs from the database; anything else as `StandardDidResolver`."""

    def __init__(self, db: Session, issuing: Issuing) -> None:
        self._db = db
        self._issuing = issuing
        self._others = StandardDidResolver(issuing.fetch)

    def resolve(self, did_or_url: str) -> dict[str, Any]:
        platform = self._issuing.platform_did
        if did_or_url == platform:
            return platform_did_document(self._db, self._issuing)
        prefix = f"{platform}:orgs:"
        if did_or_url.startswith(prefix):
            try:
                return organisation_did_document(
                    self._db, self._issuing, did_or_url.removeprefix(prefix)
                )
            except NotFound:
                raise DidResolutionError(f"{did_or_url} is not an issuer here") from None
        return self._others.resolve(did_or_url)


def verify_credential(
    db: Session, issuing: Issuing, data: bytes | str | dict[str, Any]
) -> VerificationReport:
    """Verify anybody's credential; our own DIDs resolve from the database."""
    return verify(data, resolver=PlatformDidResolver(db, issuing), now=issuing.clock())


_OWN_FILE = re.compile(r"/credentials/([0-9a-f-]{36})(?:\.(json|jwt|png|svg))?/?$")


def verify_url(db: Session, issuing: Issuing, url: str) -> VerificationReport:
    """Verify the credential at `url`: one of ours is read from the database (any of its
    downloads), anyone else's is fetched through the injected fetcher, if there is one."""
    url = url.strip()
    if url.startswith(issuing.base_url + "/"):
        found = _OWN_FILE.search(urlsplit(url.removeprefix(issuing.base_url)).path)
        if found is None:
            raise _bad_url("this server has no credential at that address")
        row = access_issued(db, found.group(1))
        kind: IssuedFormat = found.group(2) or "json"  # type: ignore[assignment]
        return verify_credential(db, issuing, credential_file(db, row, kind))
    if not url.startswith("https://"):
        raise _bad_url("give an https:// address")
    if issuing.fetch is None:
        raise _bad_url("this server does not fetch other sites; download the credential and "
                       "upload it instead")  # fmt: skip
    try:
        body = issuing.fetch(url)
    except Exception as error:  # a fetcher may fail in any way: say so, never crash
        raise _bad_url(f"could not fetch it: {error}") from None
    return verify_credential(db, issuing, body)


def _bad_url(message: str) -> InvalidInput:
    return InvalidInput(f"url: {message}", [FieldProblem("url", message)])


# --- issuing -------------------------------------------------------------------------------


def _criteria(public: MicrocredentialPublic) -> str:
    modules = "; ".join(
        f"{m.position}. {m.title} ({m.estimated_hours} h)" for m in public.modules
    )
    parts = [f"Complete the modules: {modules}." if modules else ""]
    parts.append(f"Pass the assessment ({label(public.assessment_type.value)}).")
    if public.assessment_description:
        parts.append(public.assessment_description)
    return " ".join(part for part in parts if part)


def _eu_elements(public: MicrocredentialPublic) -> dict[str, Any]:
    return {
        "workloadHours": public.workload_hours,
        "assessmentType": public.assessment_type.value,
        "participationMode": public.participation_mode.value,
        "pacing": public.pacing.value,
        "qualityAssurance": public.quality_assurance,
        "supervisionLevel": public.supervision.value if public.supervision else None,
        "prerequisites": public.prerequisites,
        "gradingScheme": public.grading_scheme,
        "stackable": public.stackable,
        "stackableTowards": list(public.stackable_towards),
        "learningOutcomes": list(public.learning_outcomes),
        "furtherInformation": public.further_information,
        "countryOfIssuer": public.country,
    }


def _profile(issuing: Issuing, db: Session, slug: str) -> IssuerProfile:
    organisation = accounts.get_organisation(db, slug)
    return IssuerProfile(
        id=issuing.organisation_did(slug),
        name=organisation.name,
        url=organisation.website,
        image=organisation.logo_url,
        address_country=organisation.country,
    )


def _achievement(
    db: Session, issuing: Issuing, public: MicrocredentialPublic
) -> Achievement:
    return Achievement(
        id=f"{issuing.base_url}/microcredentials/{public.id}?version={public.version}",
        name=public.title,
        description=public.short_description,
        criteria_narrative=_criteria(public),
        image=public.image_url,
        skills=[
            Skill(uri=skill.uri, label=skill.label, framework_name=skill.framework)
            for skill in public.skills
        ],
        eqf_level=public.eqf_level,
        ects=float(public.ects_credits) if public.ects_credits is not None else None,
        field_of_study=label(public.field.value),
        languages=list(public.languages),
        human_code=f"MC-{public.id}-V{public.version}",
        grading=public.grading_scheme,
        eu_elements=_eu_elements(public),
        partners=[_profile(issuing, db, partner.slug) for partner in public.partners],
    )


def _existing(db: Session, version_id: int, email: str, key: str) -> IssuedCredential | None:
    return db.scalar(
        select(IssuedCredential).where(
            IssuedCredential.version_id == version_id,
            IssuedCredential.recipient_email == email,
            IssuedCredential.idempotency_key == key,
        )
    )


def _learner_id(db: Session, email: str) -> int | None:
    try:
        return accounts.get_user_by_email(db, email).id
    except NotFound:
        return None


def _sign(document: dict[str, Any], signer: Ed25519Signer, suite: Suite) -> dict[str, Any]:
    """Data Integrity proof; strict JSON-LD for every suite (JCS would sign undefined terms)."""
    try:
        check_strict(document)
        return add_proof(document, signer, suite=suite, options=ProofOptions())
    except (JsonLdError, ProofError) as error:
        raise InvalidInput(
            f"The credential cannot be signed: {error}",
            [FieldProblem("credential", str(error))],
        ) from None


def issue_credential(
    db: Session, issuing: Issuing, actor: Actor, data: CredentialIssue
) -> tuple[IssuedCredential, bool]:
    """Issue (or, for a repeated request, return) a credential; True if it is new.

    Only the published version of a microcredential is issued, by its provider's staff.
    """
    if not actor.is_authenticated and not actor.is_platform_admin:
        raise AuthenticationRequired("Sign in to issue credentials")
    version = catalog.access_microcredential(db, actor, data.microcredential_id)
    provider_id = version.microcredential.provider_id
    require_role(
        actor, provider_id, ISSUERS, sign_in="Sign in to issue credentials",
        denied="Only the provider's issuer staff and admins issue its credentials",
    )  # fmt: skip
    if version.status is not VersionStatus.PUBLISHED:
        raise Conflict("Only a published microcredential can be issued")
    now = issuing.clock()
    if data.valid_until is not None and (
        data.valid_until.tzinfo is None or data.valid_until <= now
    ):
        raise InvalidInput(
            "Invalid CredentialIssue: valid_until must be a future date-time with a time zone",
            [FieldProblem("valid_until", "must be in the future, with a time zone")],
        )
    email = data.recipient_email.strip().lower()
    found = _existing(db, version.id, email, data.idempotency_key)
    if found is not None:
        return found, False

    public = catalog.to_public(db, version)
    issuer = _profile(issuing, db, public.provider.slug)
    key, signer = _signing_key(db, issuing, provider_id, issuer.id)
    credential_id = str(uuid.uuid4())
    try:
        document = compose_achievement_credential(
            credential_id=issuing.credential_url(credential_id),
            issuer=issuer,
            achievement=_achievement(db, issuing, public),
            recipient=Recipient(did=data.recipient_did, email=email),
            valid_from=_iso(now),
            valid_until=_iso(data.valid_until) if data.valid_until else None,
        )
    except CompositionError as error:
        raise InvalidInput(str(error), [FieldProblem("credential", str(error))]) from None
    signed = _sign(document, signer, data.suite)
    row = IssuedCredential(
        id=credential_id,
        organisation_id=provider_id,
        microcredential_id=public.id,
        version_id=version.id,
        version_number=public.version,
        title=public.title,
        recipient_name=data.recipient_name,
        recipient_email=email,
        recipient_did=data.recipient_did,
        learner_user_id=_learner_id(db, email),
        idempotency_key=data.idempotency_key,
        issued_by_user_id=actor.user_id,
        issuer_key_id=key.id,
        suite=data.suite,
        issued_at=now,
        valid_from=now.replace(microsecond=0),
        valid_until=data.valid_until,
        document=orjson.dumps(signed).decode("utf-8"),
        jwt=sign_jwt(document, signer),
    )
    try:
        with db.begin_nested():  # a concurrent identical request may have won the race
            db.add(row)
    except IntegrityError:
        found = _existing(db, version.id, email, data.idempotency_key)
        if found is None:
            raise
        return found, False
    return row, True


def access_issued(db: Session, credential_id: str) -> IssuedCredential:
    """A credential by id: public, like the link a learner shares."""
    try:
        uuid.UUID(credential_id)
    except ValueError:
        raise NotFound(f"No credential {credential_id}") from None
    row = db.get(IssuedCredential, credential_id)
    if row is None:
        raise NotFound(f"No credential {credential_id}")
    return row


def issued_public(
    db: Session, issuing: Issuing, row: IssuedCredential, organisation: Any = None
) -> IssuedCredentialPublic:
    """`organisation` (the issuer), when the caller has it already, saves a query per row."""
    organisation = organisation or accounts.get_organisation_by_id(db, row.organisation_id)
    did = issuing.organisation_did(organisation.slug)
    url = issuing.credential_url(row.id)
    return IssuedCredentialPublic(
        id=row.id,
        url=url,
        microcredential_id=row.microcredential_id,
        version=row.version_number,
        title=row.title,
        issuer_slug=organisation.slug,
        issuer_name=organisation.name,
        issuer_did=did,
        recipient_name=row.recipient_name,
        issued_at=row.issued_at,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        suite=row.suite,
        verification_method=didweb.method_id(did, row.issuer_key.public_key),
        downloads={kind: f"{url}.{kind}" for kind in MEDIA_TYPES},
    )


def list_issued(
    db: Session, issuing: Issuing, actor: Actor, slug: str, *, limit: int = 50, offset: int = 0
) -> list[IssuedCredentialPublic]:
    """A provider's issued credentials, newest first, for its staff."""
    organisation = accounts.get_organisation(db, slug)
    require_role(
        actor, organisation.id, CATALOG_READERS, sign_in="Sign in to see issued credentials",
        denied=f"You are not staff of '{slug}'",
    )  # fmt: skip
    rows = db.scalars(
        select(IssuedCredential)
        .where(IssuedCredential.organisation_id == organisation.id)
        .order_by(IssuedCredential.issued_at.desc(), IssuedCredential.id)
        .limit(limit)
        .offset(offset)
    )
    return [issued_public(db, issuing, row, organisation) for row in rows]


def credential_file(db: Session, row: IssuedCredential, kind: IssuedFormat) -> bytes:
    """A download: the signed JSON-LD, the VC-JWT, or a badge image with the JSON-LD baked in."""
    if kind == "json":
        return row.document.encode("utf-8")
    if kind == "jwt":
        return row.jwt.encode("ascii")
    field_value = catalog.version_field(db, row.version_id)
    colour = FIELD_COLOURS.get(field_value, FIELD_COLOURS["other"])
    if kind == "png":
        return bake(badge_png(colour), row.document)
    issuer = accounts.get_organisation_by_id(db, row.organisation_id).name
    return bake(badge_svg(row.title, issuer, colour), row.document)


# --- VC-API --------------------------------------------------------------------------------


def _issuer_of(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def sign_for_issuer(
    db: Session, issuing: Issuing, actor: Actor, credential: dict[str, Any], suite: Suite
) -> dict[str, Any]:
    """VC-API issue: sign `credential` as its issuer, which must be an organisation the actor
    issues for (or, for platform admins, the platform itself)."""
    if not actor.is_authenticated and not actor.is_platform_admin:
        raise AuthenticationRequired("An API token is needed to issue")
    issuer = _issuer_of(credential)
    prefix = f"{issuing.platform_did}:orgs:"
    if issuer == issuing.platform_did:
        if not actor.is_platform_admin:
            raise PermissionDenied("Only platform administrators sign as the platform")
        organisation_id = None
    elif issuer is not None and issuer.startswith(prefix):
        try:
            organisation = accounts.get_organisation(db, issuer.removeprefix(prefix))
        except NotFound:
            organisation = None
        if organisation is None:
            raise InvalidInput(
                f"{issuer} is not an issuer here",
                [FieldProblem("credential.issuer", f"{issuer} is not an issuer here")],
            )
        require_role(
            actor, organisation.id, ISSUERS, sign_in="An API token is needed to issue",
            denied=f"You do not issue for '{organisation.slug}'",
        )  # fmt: skip
        organisation_id = organisation.id
    else:
        message = f"must be this server's DID ({issuing.platform_did}) or a provider's "
        message += f"({prefix}SLUG)"
        raise InvalidInput(
            f"credential.issuer {message}", [FieldProblem("credential.issuer", message)]
        )
    _key, signer = _signing_key(db, issuing, organisation_id, issuer)
    return _sign({k: v for k, v in credential.items() if k != "proof"}, signer, suite)


# --- what a learner holds ------------------------------------------------------------------


@dataclass(frozen=True)
class Holdings:
    """A learner's credentials issued here, and the skills they align to."""

    microcredential_ids: frozenset[int]
    skills: frozenset[str]  # URIs


def holdings_of(db: Session, issuing: Issuing, user_id: int) -> Holdings:
    """Credentials issued to the user that verify now (expired or retired-key ones do not
    count), and their skills."""
    rows = db.scalars(select(IssuedCredential).where(IssuedCredential.learner_user_id == user_id))
    ids: set[int] = set()
    skills: set[str] = set()
    for row in rows:
        document = orjson.loads(row.document)
        if not verify_credential(db, issuing, document).verified:
            continue
        ids.add(row.microcredential_id)
        alignments = document["credentialSubject"]["achievement"].get("alignment", [])
        skills.update(
            a["targetUrl"] for a in alignments if a.get("targetFramework") != EQF_FRAMEWORK
        )
    return Holdings(frozenset(ids), frozenset(skills))
