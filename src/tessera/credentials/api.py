"""VC-API verification endpoint: `POST /credentials/verify`.

No database and no sign-in: verifying a credential someone shows you needs only the credential.
The body is validated here (not by FastAPI) so that a bad body is always an RFC 9457 problem,
whatever the client's Accept header. Resolution is offline: did:key only (nothing fetched).
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from tessera.credentials.verifier import VerificationReport, verify
from tessera.errors import FieldProblem
from tessera.web.problems import problem

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
async def verify_credential(request: Request) -> JSONResponse:
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
        problems = [
            FieldProblem(
                field=".".join(str(p) for p in err["loc"]) or "body",
                message=str(err["msg"]),
            )
            for err in error.errors()
        ]
        return _invalid(request, problems)
    # canonicalization is CPU work: keep it off the event loop
    report = await run_in_threadpool(verify, parsed.verifiableCredential)
    return JSONResponse(response_for(report).model_dump())


__all__ = ["VerifyCredentialRequest", "VerifyCredentialResponse", "router"]
