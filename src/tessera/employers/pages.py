"""Pages of the employer view.

- `/employers/{slug}`: role profiles (and a form to create one, skills by URI lines or picked
  from a skill search) and the team (and a form to invite someone; the link is shown once);
- `/employers/{slug}/role-profiles/{id}`: the team report: each consenting member's gap and
  plan, totals, the heat map, and the CSV download;
- `/team-invitations/{token}`: the invited person (signed in) sees who asks and what they would
  see, and consents, declines or withdraws.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import RedirectResponse, Response

from tessera.accounts.roles import Actor
from tessera.credentials.deps import IssuingDep
from tessera.employers import services
from tessera.employers.export import team_report_csv
from tessera.employers.heatmap import report_heatmap
from tessera.errors import Conflict, FieldProblem, InvalidInput
from tessera.web.csrf import csrf_protect
from tessera.web.deps import DB, AppSettings, PageActor
from tessera.web.form_state import FormState, one, posted_fields
from tessera.web.templating import render

router = APIRouter(include_in_schema=False)

Slug = Annotated[str, Path(min_length=2, max_length=64)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Token = Annotated[str, Path(min_length=20, max_length=100)]
Notice = Annotated[str | None, Query(max_length=20)]

PROFILE_LABELS = {
    "name": "Role name",
    "description": "Description",
    "min_eqf_level": "Minimum EQF level",
    "skills": "Skills",
}
INVITE_LABELS = {"email": "Email address"}
REPORT_LABELS = {
    "budget": "Budget per person",
    "weekly_hours": "Hours a week",
    "currency": "Currency",
    "nice_to_have_value": "Worth of a nice-to-have skill",
}
NOTICES = {
    "deleted": "Role profile deleted.",
    "removed": "Removed from the team; their consent is gone with the invitation.",
    "consented": "Thank you: you are on the team. You can withdraw at any time on this page.",
    "withdrawn": "Done: the employer no longer sees your skills, gap or plan.",
}
EQF_LEVELS = [(str(n), f"Level {n}") for n in range(1, 9)]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- the employer's page ---------------------------------------------------------------------


def _employer_page(
    request: Request, db: DB, actor: Actor, slug: str, *, profile_state: FormState | None = None,
    invite_state: FormState | None = None, skill_query: str = "", link: str | None = None,
    notice: str | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    employer = services.access_employer(db, actor, slug)
    context: dict[str, Any] = {
        "employer": employer,
        "profiles": services.list_role_profiles(db, actor, slug),
        "team": services.list_team(db, actor, slug),
        "profile_state": profile_state or FormState(),
        "invite_state": invite_state or FormState(),
        "skill_query": skill_query,
        "found_skills": services.find_skills(db, skill_query),
        "eqf_levels": EQF_LEVELS,
        "link": link,
        "notice": NOTICES.get(notice or ""),
    }
    return render(request, "employers/employer.html", actor, context, status_code=status_code)


@router.get("/employers/{slug}")
def employer_page(
    request: Request,
    slug: Slug,
    db: DB,
    actor: PageActor,
    skill_q: Annotated[str, Query(max_length=200)] = "",
    notice: Notice = None,
) -> Response:
    return _employer_page(request, db, actor, slug, skill_query=skill_q, notice=notice)


def _profile_skills(form: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Essential lines, nice-to-have lines and skills picked from the search, in that order;
    a URI given twice counts once, as essential if it was given so anywhere."""
    chosen: dict[str, bool] = {}
    picked = [value.partition("|") for value in form.get("pick", []) if value]
    given = [(uri, True) for uri in _lines(one(form, "essential_skills"))]
    given += [(uri, False) for uri in _lines(one(form, "nice_skills"))]
    given += [(uri, kind == "essential") for kind, _, uri in picked if uri]
    for uri, essential in given:
        chosen[uri] = chosen.get(uri, False) or essential
    return [{"uri": uri, "essential": essential} for uri, essential in chosen.items()]


@router.post("/employers/{slug}/role-profiles", dependencies=[Depends(csrf_protect)])
async def create_role_profile(request: Request, slug: Slug, db: DB, actor: PageActor) -> Response:
    services.access_employer(db, actor, slug)  # refuse outsiders before reading anything
    form = await posted_fields(request)
    payload: dict[str, Any] = {
        "name": one(form, "name"),
        "description": one(form, "description") or None,
        "min_eqf_level": one(form, "min_eqf_level") or None,
        "skills": _profile_skills(form),
    }
    try:
        with db.begin_nested():  # a refused form leaves nothing behind
            profile = services.create_role_profile(db, actor, slug, payload)
    except InvalidInput as error:
        problems = error.problems or [FieldProblem("name", error.detail)]
    except Conflict as error:
        problems = [FieldProblem("name", error.detail)]
    else:
        return RedirectResponse(f"/employers/{slug}/role-profiles/{profile.id}", status_code=303)
    values = {
        "name": payload["name"],
        "description": payload["description"] or "",
        "min_eqf_level": payload["min_eqf_level"] or "",
        "essential_skills": one(form, "essential_skills"),
        "nice_skills": one(form, "nice_skills"),
    }
    state = FormState(values=values).refuse(problems, PROFILE_LABELS)
    return _employer_page(request, db, actor, slug, profile_state=state, status_code=400)


@router.post(
    "/employers/{slug}/role-profiles/{profile_id}/delete", dependencies=[Depends(csrf_protect)]
)
def delete_role_profile(slug: Slug, profile_id: Id, db: DB, actor: PageActor) -> Response:
    services.delete_role_profile(db, actor, slug, profile_id)
    return RedirectResponse(f"/employers/{slug}?notice=deleted", status_code=303)


@router.post("/employers/{slug}/team", dependencies=[Depends(csrf_protect)])
async def invite(
    request: Request, slug: Slug, db: DB, actor: PageActor, settings: AppSettings
) -> Response:
    services.access_employer(db, actor, slug)
    form = await posted_fields(request)
    email = one(form, "email")
    try:
        with db.begin_nested():
            token, _member = services.invite_member(db, actor, slug, {"email": email})
    except InvalidInput as error:
        problems = error.problems or [FieldProblem("email", error.detail)]
    except Conflict as error:
        problems = [FieldProblem("email", error.detail)]
    else:
        # Shown on this response only: the token is not stored, so no redirect can show it.
        link = services.invitation_link(settings.effective_base_url, token)
        return _employer_page(request, db, actor, slug, link=link)
    state = FormState(values={"email": email}).refuse(problems, INVITE_LABELS)
    return _employer_page(request, db, actor, slug, invite_state=state, status_code=400)


@router.post("/employers/{slug}/team/{member_id}/remove", dependencies=[Depends(csrf_protect)])
def remove_member(slug: Slug, member_id: Id, db: DB, actor: PageActor) -> Response:
    services.remove_member(db, actor, slug, member_id)
    return RedirectResponse(f"/employers/{slug}?notice=removed", status_code=303)


# --- the team report -------------------------------------------------------------------------


def _report_options(
    budget: str, weekly_hours: str, currency: str, nice_to_have_value: str
) -> dict[str, object]:
    return {
        "budget": budget, "weekly_hours": weekly_hours, "currency": currency,
        "nice_to_have_value": nice_to_have_value,
    }  # fmt: skip


LimitText = Annotated[str, Query(max_length=20)]


@router.get("/employers/{slug}/role-profiles/{profile_id}")
def report_page(
    request: Request,
    slug: Slug,
    profile_id: Id,
    db: DB,
    actor: PageActor,
    issuing: IssuingDep,
    budget: LimitText = "",
    weekly_hours: LimitText = "",
    currency: LimitText = "",
    nice_to_have_value: LimitText = "",
) -> Response:
    employer = services.access_employer(db, actor, slug)
    values = _report_options(budget, weekly_hours, currency, nice_to_have_value)
    state = FormState(values={k: str(v) for k, v in values.items()})
    try:
        options = services.parse_report_options(values)
    except InvalidInput as error:
        state.refuse(error.problems, REPORT_LABELS)
        options = services.parse_report_options({})
    report = services.team_report(db, issuing, actor, slug, profile_id, options)
    context = {
        "employer": employer,
        "report": report,
        "heatmap": report_heatmap(report),
        "state": state,
        "limits": {k: v for k, v in values.items() if v},
    }
    status_code = 400 if state.summary else 200
    return render(request, "employers/report.html", actor, context, status_code=status_code)


@router.get("/employers/{slug}/role-profiles/{profile_id}/team-report.csv")
def report_csv(
    slug: Slug,
    profile_id: Id,
    db: DB,
    actor: PageActor,
    issuing: IssuingDep,
    budget: LimitText = "",
    weekly_hours: LimitText = "",
    currency: LimitText = "",
    nice_to_have_value: LimitText = "",
) -> Response:
    services.access_employer(db, actor, slug)
    options = services.parse_report_options(
        _report_options(budget, weekly_hours, currency, nice_to_have_value)
    )
    report = services.team_report(db, issuing, actor, slug, profile_id, options)
    name = f"team-report-{slug}-{profile_id}.csv"
    return Response(
        team_report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- the invited person ---------------------------------------------------------------------


@router.get("/team-invitations/{token}")
def invitation_page(
    request: Request, token: Token, db: DB, actor: PageActor, notice: Notice = None
) -> Response:
    context = {
        "invitation": services.read_invitation(db, actor, token),
        "token": token,
        "notice": NOTICES.get(notice or ""),
    }
    return render(request, "employers/invitation.html", actor, context)


@router.post("/team-invitations/{token}/consent", dependencies=[Depends(csrf_protect)])
def consent(token: Token, db: DB, actor: PageActor) -> Response:
    services.consent(db, actor, token)
    return RedirectResponse(f"/team-invitations/{token}?notice=consented", status_code=303)


@router.post("/team-invitations/{token}/withdraw", dependencies=[Depends(csrf_protect)])
def withdraw(token: Token, db: DB, actor: PageActor) -> Response:
    services.withdraw(db, actor, token)
    return RedirectResponse(f"/team-invitations/{token}?notice=withdrawn", status_code=303)


__all__ = ["router"]
