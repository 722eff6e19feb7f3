"""Pages of issuing: the public credential page and its downloads, the issue form, the
provider's issued credentials and signing keys, DID documents and the extension context.

`GET /credentials/{id}` answers browsers with HTML and machines (Accept: application/vc+ld+json,
application/ld+json or application/json) with the signed credential itself. The page verifies
the credential live, as any verifier would, and shows every check.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Form, Path, Query, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from tessera.accounts.roles import Actor
from tessera.catalog import services as catalog
from tessera.credentials import services
from tessera.credentials.contexts import TESSERA_CONTEXT_URL, context_bytes
from tessera.credentials.deps import IssuingDep
from tessera.credentials.payloads import CredentialIssue, IssuedFormat, KeyRetire
from tessera.errors import AuthenticationRequired, FieldProblem, InvalidInput
from tessera.validation import field_problems, parse
from tessera.web.csrf import csrf_protect
from tessera.web.deps import DB, PageActor
from tessera.web.form_state import FormState
from tessera.web.templating import render

router = APIRouter(include_in_schema=False)

CredentialId = Annotated[str, Path(min_length=36, max_length=36)]
Slug = Annotated[str, Path(min_length=2, max_length=64)]
_JSON_TYPES = ("application/vc+ld+json", "application/ld+json", "application/json")
ISSUE_LABELS = {
    "recipient_name": "Learner's name",
    "recipient_email": "Learner's email address",
    "recipient_did": "Learner's DID",
    "valid_until": "Valid until",
    "suite": "Proof format",
}
SUITES = (
    ("eddsa-rdfc-2022", "eddsa-rdfc-2022 (Open Badges 3.0 conformance format)"),
    ("eddsa-jcs-2022", "eddsa-jcs-2022 (JSON canonicalization)"),
)
NOTICES = {
    "issued": "Credential issued. Share this page's address with the learner.",
    "rotated": "A new key signs from now on. Older keys stay published so that earlier "
    "credentials keep verifying.",
    "retired": "Key retired: proofs it made from that date on fail verification.",
}


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return any(kind in accept for kind in _JSON_TYPES) and "text/html" not in accept


def _json(document: dict[str, Any] | bytes, media_type: str) -> Response:
    body = document if isinstance(document, bytes) else orjson.dumps(document)
    return Response(body, media_type=media_type, headers={"Access-Control-Allow-Origin": "*"})


# --- public: DID documents, the context, credentials -----------------------------------------


@router.get("/.well-known/did.json")
def platform_did(db: DB, issuing: IssuingDep) -> Response:
    return _json(services.platform_did_document(db, issuing), "application/did+json")


@router.get("/orgs/{slug}/did.json")
def organisation_did(slug: Slug, db: DB, issuing: IssuingDep) -> Response:
    return _json(services.organisation_did_document(db, issuing, slug), "application/did+json")


@router.get(TESSERA_CONTEXT_URL.removeprefix("https://tessera.eu"))
def extension_context() -> Response:
    """Our JSON-LD extension context, at the path of its URL (for a deployment at tessera.eu)."""
    return _json(context_bytes(TESSERA_CONTEXT_URL), "application/ld+json")


@router.get("/credentials/{credential_id}.{kind}")
def download(
    credential_id: CredentialId, kind: IssuedFormat, db: DB
) -> Response:
    row = services.access_issued(db, credential_id)
    body = services.credential_file(db, row, kind)
    name = f"credential-{row.id}.{kind}"
    return Response(
        body,
        media_type=services.MEDIA_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/credentials/{credential_id}")
def show(
    request: Request,
    credential_id: CredentialId,
    db: DB,
    actor: PageActor,
    issuing: IssuingDep,
    notice: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    row = services.access_issued(db, credential_id)
    if _wants_json(request):
        return _json(row.document.encode("utf-8"), "application/vc+ld+json")
    document = orjson.loads(row.document)
    report = services.verify_credential(db, issuing, document)
    context = {
        "credential": services.issued_public(db, issuing, row),
        "document": document,
        "achievement": document["credentialSubject"]["achievement"],
        "report": report,
        "notice": NOTICES.get(notice or ""),
    }
    return render(request, "credentials/show.html", actor, context)


# --- anyone: verify ------------------------------------------------------------------------------

VERIFY_LABELS = {"text": "Paste a credential", "file": "Upload a file", "url": "Its address"}
MAX_UPLOAD = 2 * 1024 * 1024


def _verify_page(
    request: Request, actor: Actor, state: FormState, report: Any = None, status_code: int = 200
) -> Response:
    context = {"state": state, "report": report, "credential": report and report.credential}
    return render(request, "credentials/verify.html", actor, context, status_code=status_code)


@router.get("/verify")
def verify_form(request: Request, actor: PageActor) -> Response:
    return _verify_page(request, actor, FormState())


@router.post("/verify", dependencies=[Depends(csrf_protect)])
async def verify_submitted(
    request: Request, db: DB, actor: PageActor, issuing: IssuingDep
) -> Response:
    """One of: pasted JSON or JWT, an uploaded file (JSON, JWT, baked PNG or SVG), a URL."""
    form = await request.form(max_part_size=MAX_UPLOAD)
    text = str(form.get("text") or "").strip()
    url = str(form.get("url") or "").strip()
    upload = form.get("file")
    data = b""
    if upload is not None and not isinstance(upload, str) and upload.filename:
        data = await upload.read(MAX_UPLOAD + 1)
    given = [name for name, value in (("text", text), ("file", data), ("url", url)) if value]
    state = FormState(values={"text": text, "url": url})
    problems: list[FieldProblem] = []
    if len(given) != 1:
        problems.append(FieldProblem("text", "Give one credential: paste it, upload it or "
                                     "give its address"))  # fmt: skip
    elif len(data) > MAX_UPLOAD:
        problems.append(FieldProblem("file", "The file is larger than 2 MiB"))
    if problems:
        return _verify_page(request, actor, state.refuse(problems, VERIFY_LABELS), None, 400)
    try:
        if url:
            report = await run_in_threadpool(services.verify_url, db, issuing, url)
        else:
            report = await run_in_threadpool(
                services.verify_credential, db, issuing, data or text
            )
    except InvalidInput as error:
        return _verify_page(request, actor, state.refuse(error.problems, VERIFY_LABELS), None, 400)
    return _verify_page(request, actor, state, report)


# --- provider staff: issue ---------------------------------------------------------------------


def _issue_page(
    request: Request, actor: Actor, mc: Any, state: FormState, status_code: int = 200
) -> Response:
    context = {"mc": mc, "state": state, "suites": SUITES}
    return render(request, "credentials/issue.html", actor, context, status_code=status_code)


def _issuable(db: DB, actor: Actor, microcredential_id: int) -> Any:
    if not actor.is_authenticated:
        raise AuthenticationRequired("Sign in to issue credentials")
    return catalog.to_public(db, catalog.access_microcredential(db, actor, microcredential_id))


@router.get("/microcredentials/{microcredential_id}/issue")
def issue_form(
    request: Request,
    microcredential_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    db: DB,
    actor: PageActor,
) -> Response:
    mc = _issuable(db, actor, microcredential_id)
    # A fresh idempotency key per form: submitting twice (double click, reload) issues once.
    state = FormState(values={"suite": "eddsa-rdfc-2022", "idempotency_key": str(uuid.uuid4())})
    return _issue_page(request, actor, mc, state)


@router.post(
    "/microcredentials/{microcredential_id}/issue", dependencies=[Depends(csrf_protect)]
)
def issue(
    request: Request,
    microcredential_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    db: DB,
    actor: PageActor,
    issuing: IssuingDep,
    recipient_name: Annotated[str, Form(max_length=1000)] = "",
    recipient_email: Annotated[str, Form(max_length=1000)] = "",
    recipient_did: Annotated[str, Form(max_length=1000)] = "",
    valid_until: Annotated[str, Form(max_length=100)] = "",
    suite: Annotated[str, Form(max_length=100)] = "eddsa-rdfc-2022",
    idempotency_key: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    mc = _issuable(db, actor, microcredential_id)
    values = {
        "recipient_name": recipient_name, "recipient_email": recipient_email,
        "recipient_did": recipient_did, "valid_until": valid_until, "suite": suite,
        "idempotency_key": idempotency_key,
    }  # fmt: skip
    payload: dict[str, Any] = {
        "microcredential_id": microcredential_id,
        "recipient_name": recipient_name,
        "recipient_email": recipient_email.strip(),
        "recipient_did": recipient_did.strip() or None,
        # A date from the form means the end of that day, UTC.
        "valid_until": f"{valid_until.strip()}T23:59:59Z" if valid_until.strip() else None,
        "suite": suite,
        "idempotency_key": idempotency_key,
    }
    try:
        data = CredentialIssue.model_validate(payload)
        with db.begin_nested():  # a refused form leaves nothing behind
            row, _created = services.issue_credential(db, issuing, actor, data)
    except ValidationError as error:
        problems = field_problems(error)
    except InvalidInput as error:
        problems = error.problems or [FieldProblem("form", error.detail)]
    else:
        return RedirectResponse(f"/credentials/{row.id}?notice=issued", status_code=303)
    state = FormState(values=values).refuse(problems, ISSUE_LABELS)
    return _issue_page(request, actor, mc, state, status_code=400)


# --- provider staff: issued credentials and keys -------------------------------------------------


@router.get("/dashboard/{slug}/credentials")
def issued_list(
    request: Request,
    slug: Slug,
    db: DB,
    actor: PageActor,
    issuing: IssuingDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    if not actor.is_authenticated:
        raise AuthenticationRequired("Sign in to see issued credentials")
    size = 50
    rows = services.list_issued(db, issuing, actor, slug, limit=size + 1, offset=(page - 1) * size)
    context = {
        "provider": catalog.get_provider(db, slug),
        "rows": rows[:size],
        "page": page,
        "has_next": len(rows) > size,
    }
    return render(request, "credentials/issued.html", actor, context)


def _keys_page(
    request: Request, db: DB, actor: Actor, issuing: services.Issuing, slug: str,
    notice: str | None = None, state: FormState | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    if not actor.is_authenticated:
        raise AuthenticationRequired("Sign in to manage signing keys")
    provider = catalog.get_provider(db, slug)
    context = {
        "provider": provider,
        "did": issuing.organisation_did(slug),
        "keys": services.list_keys(db, issuing, slug),
        "can_manage": services.can_manage_keys(actor, provider.id),
        "notice": NOTICES.get(notice or ""),
        "state": state or FormState(),
    }
    return render(request, "credentials/keys.html", actor, context, status_code=status_code)


@router.get("/dashboard/{slug}/keys")
def keys_page(
    request: Request,
    slug: Slug,
    db: DB,
    actor: PageActor,
    issuing: IssuingDep,
    notice: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return _keys_page(request, db, actor, issuing, slug, notice)


@router.post("/dashboard/{slug}/keys", dependencies=[Depends(csrf_protect)])
def rotate(slug: Slug, db: DB, actor: PageActor, issuing: IssuingDep) -> Response:
    services.rotate_key(db, issuing, actor, slug)
    return RedirectResponse(f"/dashboard/{slug}/keys?notice=rotated", status_code=303)


@router.post("/dashboard/{slug}/keys/retire", dependencies=[Depends(csrf_protect)])
def retire(
    request: Request,
    slug: Slug,
    db: DB,
    actor: PageActor,
    issuing: IssuingDep,
    public_key: Annotated[str, Form(max_length=100)],
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        data = parse(KeyRetire, {"reason": reason})
        with db.begin_nested():
            services.retire_key(db, issuing, actor, slug, public_key, data)
    except InvalidInput as error:
        state = FormState(values={"reason": reason, "public_key": public_key})
        state.refuse(error.problems, {"reason": "Reason"})
        return _keys_page(request, db, actor, issuing, slug, state=state, status_code=400)
    return RedirectResponse(f"/dashboard/{slug}/keys?notice=retired", status_code=303)


__all__ = ["router"]
