"""Provider staff pages: the dashboard, the microcredential form, publish and retire.

Every write goes through the catalog services, which check permissions; the pages only ask
`services.can_edit` to decide what to offer (buttons, and whether to show a form at all).
A refused form is shown again with the person's values and a message beside each field;
the service call runs in a savepoint so that a refusal leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from tessera.accounts import services as accounts
from tessera.accounts.roles import TEAM_MANAGERS, Actor
from tessera.accounts.schemas import OrganisationPublic
from tessera.catalog import services
from tessera.catalog.pages.browse import NOTICES, Id
from tessera.catalog.pages.forms import (
    FormState,
    apply_problems,
    read_form,
    split_required,
    state_from,
)
from tessera.catalog.schemas import MicrocredentialPublic, MicrocredentialRef, OrganisationRef
from tessera.catalog.vocab import (
    LANGUAGES,
    AssessmentType,
    Field,
    Pacing,
    ParticipationMode,
    Supervision,
    VersionStatus,
    label,
)
from tessera.errors import (
    AuthenticationRequired,
    FieldProblem,
    InvalidInput,
)
from tessera.validation import CURRENCIES
from tessera.web.csrf import csrf_protect
from tessera.web.deps import DB, PageActor
from tessera.web.form_state import PostedForm, posted_fields
from tessera.web.templating import render

router = APIRouter(include_in_schema=False)

Posted = Annotated[PostedForm, Depends(posted_fields)]


def _choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "field": [(f.value, label(f)) for f in Field],
        "assessment_type": [(a.value, label(a)) for a in AssessmentType],
        "participation_mode": [(m.value, label(m)) for m in ParticipationMode],
        "pacing": [(p.value, label(p)) for p in Pacing],
        "supervision": [(s.value, label(s)) for s in Supervision],
        "eqf_level": [(str(n), f"Level {n}") for n in range(1, 9)],
        "languages": sorted(LANGUAGES.items(), key=lambda item: item[1]),
        "currency": [(c, c) for c in ["EUR", *sorted(CURRENCIES - {"EUR"})]],
    }


def _require_signed_in(actor: Actor, what: str) -> None:
    if not actor.is_authenticated:
        raise AuthenticationRequired(f"Sign in to {what}")


def _editable_provider(db: DB, actor: Actor, slug: str) -> OrganisationPublic:
    return OrganisationPublic.model_validate(services.access_provider_for_edit(db, actor, slug))


def _editable(db: DB, actor: Actor, microcredential_id: int) -> MicrocredentialPublic:
    return services.to_public(db, services.access_for_edit(db, actor, microcredential_id))


def _requirable(
    db: DB, actor: Actor, provider_slug: str, mc: MicrocredentialPublic | None = None
) -> list[tuple[MicrocredentialRef, bool]]:
    """The provider's own microcredentials the form offers as checkboxes."""
    return services.requirable_microcredentials(
        db, actor, provider_slug, exclude=mc.id if mc else None
    )


def _form_page(
    request: Request,
    actor: Actor,
    *,
    provider: OrganisationPublic | OrganisationRef,
    state: FormState,
    action: str,
    heading: str,
    requirable: list[tuple[MicrocredentialRef, bool]],
    mc: MicrocredentialPublic | None = None,
    status_code: int = 200,
) -> Response:
    offered = {ref.id for ref, _live in requirable}
    context = {
        "provider": provider,
        "state": state,
        "action": action,
        "heading": heading,
        "mc": mc,
        "choices": _choices(),
        "requirable": requirable,
        # Saved requirements of other providers, named beside the field that lists their ids.
        "required_elsewhere": [
            ref for ref in (mc.required_microcredentials if mc else []) if ref.id not in offered
        ],
    }
    return render(request, "catalog/form.html", actor, context, status_code=status_code)


# --- dashboard -----------------------------------------------------------------------------


@router.get("/dashboard")
def dashboard(request: Request, db: DB, actor: PageActor, notice: str | None = None) -> Response:
    _require_signed_in(actor, "see your dashboard")
    sections = []
    for ref in services.editable_providers(db, actor):
        provider = OrganisationPublic.model_validate(services.get_provider(db, ref.slug))
        rows = []
        for version in services.provider_catalog(db, actor, ref.slug):
            versions = version.microcredential.versions
            rows.append(
                {
                    "id": version.microcredential_id,
                    "title": version.title,
                    "version": version.number,
                    "status": version.status.value,
                    "updated_at": version.updated_at,
                    "live": any(v.status is VersionStatus.PUBLISHED for v in versions),
                }
            )
        sections.append(
            {"provider": provider, "rows": rows, "can_edit": services.can_edit(actor, provider.id)}
        )
    teams = accounts.organisations_by_id(db, actor.organisations_with(TEAM_MANAGERS))
    context = {
        "sections": sections,
        "teams": sorted(teams.values(), key=lambda org: org.name),
        "notice": NOTICES.get(notice or ""),
    }
    return render(request, "dashboard/index.html", actor, context)


# --- create and edit -----------------------------------------------------------------------


def _submit(
    db: DB, payload: dict[str, Any], write: Callable[[dict[str, Any]], int]
) -> int | list[FieldProblem]:
    """Write the form's payload, skills typed by name looked up first: the id `write` returns,
    or every problem (the names' and the service's together), with nothing written."""
    uris, unnamed = services.resolve_skill_names(db, payload.get("skills", []))
    try:
        with db.begin_nested():  # a refused form leaves nothing behind
            written = write({**payload, "skills": uris})
            if unnamed:
                raise InvalidInput("Some skills were not found", unnamed)
    except InvalidInput as error:
        found = error.problems or [FieldProblem("__root__", error.detail)]
        return found if error.problems is unnamed else [*unnamed, *found]
    return written


@router.get("/dashboard/{slug}/microcredentials/new")
def new_form(request: Request, slug: str, db: DB, actor: PageActor) -> Response:
    provider = _editable_provider(db, actor, slug)
    return _form_page(
        request,
        actor,
        provider=provider,
        state=state_from(None),
        action=f"/dashboard/{provider.slug}/microcredentials/new",
        heading=f"New microcredential from {provider.name}",
        requirable=_requirable(db, actor, provider.slug),
    )


@router.post("/dashboard/{slug}/microcredentials/new", dependencies=[Depends(csrf_protect)])
def create(request: Request, slug: str, db: DB, actor: PageActor, form: Posted) -> Response:
    provider = _editable_provider(db, actor, slug)
    submission = read_form(form)
    outcome = _submit(
        db, submission.payload,
        lambda payload: services.create_microcredential(
            db, actor, {**payload, "provider": provider.slug}
        ).microcredential_id,
    )  # fmt: skip
    if isinstance(outcome, int):
        return RedirectResponse(
            f"/microcredentials/{outcome}?latest=1&notice=created", status_code=303
        )
    problems = outcome
    return _form_page(
        request,
        actor,
        provider=provider,
        state=apply_problems(submission.state, problems),
        action=f"/dashboard/{provider.slug}/microcredentials/new",
        heading=f"New microcredential from {provider.name}",
        requirable=_requirable(db, actor, provider.slug),
        status_code=400,
    )


@router.get("/microcredentials/{microcredential_id}/edit")
def edit_form(request: Request, microcredential_id: Id, db: DB, actor: PageActor) -> Response:
    mc = _editable(db, actor, microcredential_id)
    requirable = _requirable(db, actor, mc.provider.slug, mc)
    return _form_page(
        request,
        actor,
        provider=mc.provider,
        state=split_required(state_from(mc.model_dump()), (ref.id for ref, _ in requirable)),
        action=f"/microcredentials/{mc.id}/edit",
        heading=f"Edit {mc.title}",
        requirable=requirable,
        mc=mc,
    )


@router.post("/microcredentials/{microcredential_id}/edit", dependencies=[Depends(csrf_protect)])
def edit(
    request: Request, microcredential_id: Id, db: DB, actor: PageActor, form: Posted
) -> Response:
    mc = _editable(db, actor, microcredential_id)
    submission = read_form(form)
    outcome = _submit(
        db, submission.payload,
        lambda payload: services.update_microcredential(db, actor, mc.id, payload).id,
    )  # fmt: skip
    if isinstance(outcome, int):
        return RedirectResponse(f"/microcredentials/{mc.id}?latest=1&notice=saved", status_code=303)
    problems = outcome
    return _form_page(
        request,
        actor,
        provider=mc.provider,
        state=apply_problems(submission.state, problems),
        action=f"/microcredentials/{mc.id}/edit",
        heading=f"Edit {mc.title}",
        requirable=_requirable(db, actor, mc.provider.slug, mc),
        mc=mc,
        status_code=400,
    )


# --- publish and retire --------------------------------------------------------------------


def _back(next_page: str, microcredential_id: int, notice: str, *, latest: bool = False) -> str:
    """Back to the dashboard if the button was there, else to the microcredential."""
    if next_page == "/dashboard":
        return f"/dashboard?notice={notice}#mc-{microcredential_id}"
    suffix = "latest=1&" if latest else ""
    return f"/microcredentials/{microcredential_id}?{suffix}notice={notice}"


@router.post("/microcredentials/{microcredential_id}/publish", dependencies=[Depends(csrf_protect)])
def publish(
    microcredential_id: Id,
    db: DB,
    actor: PageActor,
    next: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    services.publish_microcredential(db, actor, microcredential_id)
    return RedirectResponse(_back(next, microcredential_id, "published"), status_code=303)


@router.post("/microcredentials/{microcredential_id}/retire", dependencies=[Depends(csrf_protect)])
def retire(
    microcredential_id: Id,
    db: DB,
    actor: PageActor,
    next: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    services.retire_microcredential(db, actor, microcredential_id)
    return RedirectResponse(_back(next, microcredential_id, "retired"), status_code=303)
