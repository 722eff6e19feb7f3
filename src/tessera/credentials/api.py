"""REST API of issuing (/api/v1/credentials, /api/v1/organisations/{slug}/keys) and the
VC-API endpoints `POST /credentials/issue` and `POST /credentials/verify`.

Verifying needs no sign-in: a credential someone shows you is all it takes. Its body is
validated here (not by FastAPI) so that a bad body is always an RFC 9457 problem, whatever
the client's Accept header. This server's own DIDs resolve from the database; did:key
offline; other did:web documents through the app's fetcher, if enabled.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from tessera.credentials import services
from tessera.credentials.dataintegrity import Suite
from tessera.credentials.deps import IssuingDep
from tessera.credentials.payloads import (
    CredentialIssue,
    IssuedCredentialPublic,
    IssuerKeyPublic,
    KeyRetire,
)
from tessera.credentials.verifier import VerificationReport
from tessera.errors import FieldProblem
from tessera.validation import field_problems
from tessera.web.deps import DB, ApiActor
from tessera.web.problems import PROBLEM_RESPONSES, problem

router = APIRouter(tags=["credentials"])

MAX_BODY = 2 * 1024 * 1024  # a credential larger than this is not a credential


class VerifyCredentialRequest(BaseModel):
    """VC-API `VerifyCredentialRequest`: a JSON-LD credential object or a compact VC-JWT."""

    model_config = ConfigDict(extra="forbid")

    verifiableCredential: Annotated[  # noqa: N815 - the VC-API field name
        dict[str, Any] | Annotated[str, Field(min_length=1, max_length=MAX_BODY)],
        Field(description="The credential: a JSON-LD object or a compact VC-JWT string"),
    ]
    options: dict[str, Any] = Field(
        default_factory=dict, description="Verification options (none are used yet)"
    )


class VerifyCredentialResponse(BaseModel):
    verified: bool
    checks: list[str] = Field(description="Ids of the checks that passed")
    warnings: list[str]
    errors: list[str]
    report: dict[str, Any] = Field(description="Every check with its status and message")


_REQUEST = TypeAdapter(VerifyCredentialRequest)


def response_for(report: VerificationReport) -> VerifyCredentialResponse:
    return VerifyCredentialResponse(
        verified=report.verified,
        checks=[c.id for c in report.checks if c.status == "passed"],
        warnings=[f"{c.id}: {c.message}" for c in report.checks if c.status == "warning"],
        errors=[f"{c.id}: {c.message}" for c in report.checks if c.status == "failed"],
        report=report.to_dict(),
    )


def _invalid(request: Request, problems: list[FieldProblem]) -> JSONResponse:
    detail = "; ".join(f"{p.field}: {p.message}" for p in problems[:5])
    return problem(request, 422, "invalid-input", "Invalid input", detail, problems)


@router.post(
    "/credentials/verify",
    summary="Verify a verifiable credential (VC-API)",
    response_model=VerifyCredentialResponse,
    responses={
        422: {"description": "Invalid input", "content": {"application/problem+json": {}}},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": VerifyCredentialRequest.model_json_schema()}
            },
        }
    },
)
async def verify_credential(request: Request, db: DB, issuing: IssuingDep) -> JSONResponse:
    """Runs every check (parse, contexts, schema, proof, key ownership, validity) and returns
    the VC-API summary plus the full per-check report. A credential that fails verification
    is a 200 with `verified: false`; only an unusable request body is an error."""
    body = await request.body()
    if len(body) > MAX_BODY:
        return _invalid(request, [FieldProblem("body", "too large (at most 2 MiB)")])
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return _invalid(request, [FieldProblem("body", "not valid JSON")])
    try:
        parsed = _REQUEST.validate_python(data)
    except ValidationError as error:
        return _invalid(request, field_problems(error, root="body"))
    # canonicalization is CPU work: keep it off the event loop
    report = await run_in_threadpool(
        services.verify_credential, db, issuing, parsed.verifiableCredential
    )
    return JSONResponse(response_for(report).model_dump())


# --- verification of anything: JSON, JWT, a baked image, or a URL ---------------------------


class VerificationRequest(BaseModel):
    """Exactly one of `credential` (a JSON-LD object or a compact VC-JWT) and `url`."""

    model_config = ConfigDict(extra="forbid")

    credential: dict[str, Any] | Annotated[str, Field(min_length=1)] | None = None
    url: Annotated[str, Field(min_length=9, max_length=2000)] | None = None


_VERIFICATION = TypeAdapter(VerificationRequest)


@router.post(
    "/api/v1/verifications",
    summary="Verify a credential given as JSON, a JWT, a baked image or a URL",
    response_model=VerifyCredentialResponse,
    responses=PROBLEM_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": VerificationRequest.model_json_schema()},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "image/svg+xml": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def verify_anything(request: Request, db: DB, issuing: IssuingDep) -> JSONResponse:
    """A baked PNG or SVG is sent as the body itself (Content-Type image/png or
    image/svg+xml); anything else as JSON `{"credential": ...}` or `{"url": "https://..."}`.
    Credentials on this server are read from the database; other URLs are fetched only if
    the server is configured to (TESSERA_FETCH_DID_DOCUMENTS)."""
    body = await request.body()
    if len(body) > MAX_BODY:
        return _invalid(request, [FieldProblem("body", "too large (at most 2 MiB)")])
    if request.headers.get("content-type", "").startswith("image/"):
        report = await run_in_threadpool(services.verify_credential, db, issuing, body)
        return JSONResponse(response_for(report).model_dump())
    try:
        parsed = _VERIFICATION.validate_python(orjson.loads(body))
    except orjson.JSONDecodeError:
        return _invalid(request, [FieldProblem("body", "not valid JSON")])
    except ValidationError as error:
        return _invalid(request, field_problems(error, root="body"))
    if parsed.url is not None and parsed.credential is None:
        report = await run_in_threadpool(services.verify_url, db, issuing, parsed.url)
    elif parsed.credential is not None and parsed.url is None:
        report = await run_in_threadpool(
            services.verify_credential, db, issuing, parsed.credential
        )
    else:
        return _invalid(request, [FieldProblem("body", "give either `credential` or `url`")])
    return JSONResponse(response_for(report).model_dump())


# --- VC-API issue ----------------------------------------------------------------------------


class IssueOptions(BaseModel):
    model_config = ConfigDict(extra="allow")  # VC-API clients send options we do not use

    cryptosuite: Suite = "eddsa-rdfc-2022"


class IssueCredentialRequest(BaseModel):
    """VC-API `IssueCredentialRequest`: an unsigned credential and options."""

    model_config = ConfigDict(extra="forbid")

    credential: dict[str, Any]
    options: IssueOptions = Field(default_factory=IssueOptions)


class IssueCredentialResponse(BaseModel):
    verifiableCredential: dict[str, Any]  # noqa: N815 - the VC-API field name


@router.post(
    "/credentials/issue",
    summary="Sign a credential as its issuer (VC-API)",
    response_model=IssueCredentialResponse,
    status_code=status.HTTP_201_CREATED,
    responses=PROBLEM_RESPONSES,
)
def issue_vc_api(
    data: IssueCredentialRequest, db: DB, actor: ApiActor, issuing: IssuingDep
) -> IssueCredentialResponse:
    """Signs `credential` with the current key of its issuer, which must be a provider the
    token's user issues for (`did:web:HOST:orgs:SLUG`). `options.cryptosuite` chooses
    `eddsa-rdfc-2022` (default) or `eddsa-jcs-2022`. Nothing is stored."""
    signed = services.sign_for_issuer(db, issuing, actor, data.credential, data.options.cryptosuite)
    return IssueCredentialResponse(verifiableCredential=signed)


# --- issued credentials ------------------------------------------------------------------------


@router.post(
    "/api/v1/credentials",
    response_model=IssuedCredentialPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**PROBLEM_RESPONSES, 200: {"description": "Already issued (same idempotency key)"}},
)
def issue_credential(
    data: CredentialIssue, response: Response, db: DB, actor: ApiActor, issuing: IssuingDep
) -> IssuedCredentialPublic:
    """Issue a credential for a published microcredential to a learner. Repeating a request
    with the same microcredential version, learner email and `idempotency_key` returns the
    credential already issued (200) instead of a second one."""
    row, created = services.issue_credential(db, issuing, actor, data)
    public = services.issued_public(db, issuing, row)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = public.url
    return public


@router.get(
    "/api/v1/credentials",
    response_model=list[IssuedCredentialPublic],
    responses=PROBLEM_RESPONSES,
)
def list_credentials(
    db: DB,
    actor: ApiActor,
    issuing: IssuingDep,
    provider: Annotated[str, Query(min_length=2, max_length=64)],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[IssuedCredentialPublic]:
    """A provider's issued credentials, newest first (its staff only)."""
    return services.list_issued(db, issuing, actor, provider, limit=limit, offset=offset)


@router.get(
    "/api/v1/credentials/{credential_id}",
    response_model=IssuedCredentialPublic,
    responses=PROBLEM_RESPONSES,
)
def get_credential(credential_id: str, db: DB, issuing: IssuingDep) -> IssuedCredentialPublic:
    """An issued credential's summary and download links (public, like its page)."""
    return services.issued_public(db, issuing, services.access_issued(db, credential_id))


# --- keys ----------------------------------------------------------------------------------


@router.get(
    "/api/v1/organisations/{slug}/keys",
    response_model=list[IssuerKeyPublic],
    responses=PROBLEM_RESPONSES,
)
def list_keys(slug: str, db: DB, issuing: IssuingDep) -> list[IssuerKeyPublic]:
    """The provider's signing keys, newest first: public keys only, never a secret."""
    return services.list_keys(db, issuing, slug)


@router.post(
    "/api/v1/organisations/{slug}/keys",
    response_model=IssuerKeyPublic,
    status_code=status.HTTP_201_CREATED,
    responses=PROBLEM_RESPONSES,
)
def rotate_key(slug: str, db: DB, actor: ApiActor, issuing: IssuingDep) -> IssuerKeyPublic:
    """Rotate: a new key signs from now on; older keys stay published (org admins)."""
    return services.rotate_key(db, issuing, actor, slug)


@router.post(
    "/api/v1/organisations/{slug}/keys/{public_key}/retire",
    response_model=IssuerKeyPublic,
    responses=PROBLEM_RESPONSES,
)
def retire_key(
    slug: str, public_key: str, data: KeyRetire, db: DB, actor: ApiActor, issuing: IssuingDep
) -> IssuerKeyPublic:
    """Retire a compromised key from a date: its proofs from then on fail verification."""
    return services.retire_key(db, issuing, actor, slug, public_key, data)


__all__ = ["VerifyCredentialRequest", "VerifyCredentialResponse", "router"]
