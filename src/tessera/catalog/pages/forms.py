"""The microcredential form: posted fields -> service payload, and field problems -> messages.

Pure (no database, no web framework): the page hands in the posted pairs, gets back the payload
for `create_microcredential` / `update_microcredential` and, when a service refuses it, a message
for each form control plus an error summary that links to them.

Multi-valued data is flattened for plain HTML: learning outcomes one per line, modules as
repeated rows of parallel fields (`module_title`, `module_summary`, `module_hours`,
`module_outcomes`), skills one per line (a URI or a skill's name), partners comma-separated.
Required microcredentials are ticked among the provider's own (`required_microcredentials`)
or typed as numbers or addresses of other providers' ones (`required_other`); both make one
list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tessera.catalog.vocab import LANGUAGES
from tessera.errors import FieldProblem

EMPTY_MODULE_ROWS = 2
MAX_MODULE_ROWS = 50
MODULE_FIELDS = ("module_title", "module_summary", "module_hours", "module_outcomes")

# The form's controls, in page order, with the label the error summary uses.
LABELS: dict[str, str] = {
    "title": "Title",
    "short_description": "Short description",
    "field": "Field of study",
    "learning_outcomes": "Learning outcomes",
    "workload_hours": "Notional workload (hours)",
    "ects_credits": "ECTS credits",
    "eqf_level": "EQF level",
    "assessment_type": "Type of assessment",
    "assessment_description": "Assessment description",
    "participation_mode": "Form of participation",
    "pacing": "Pacing",
    "quality_assurance": "Type of quality assurance",
    "prerequisites": "Prerequisites",
    "required_microcredentials": "Required microcredentials",
    "supervision": "Supervision and identity verification",
    "grading_scheme": "Grading scheme",
    "stackable": "Stackable",
    "stackable_towards": "Stackable towards",
    "further_information": "Further information",
    "languages": "Languages of instruction",
    "price": "Price",
    "currency": "Currency",
    "duration_weeks": "Duration (weeks)",
    "image_url": "Image URL",
    "country": "Country of the issuer",
    "region": "Region",
    "skills": "Skills",
    "partners": "Co-issuing partners",
    "modules": "Modules",
}
# The controls in the order the form shows them (the error summary follows it).
PAGE_ORDER = (
    "title", "short_description", "field", "learning_outcomes", "workload_hours", "ects_credits",
    "eqf_level", "duration_weeks", "assessment_type", "assessment_description",
    "participation_mode", "pacing", "supervision", "quality_assurance", "prerequisites",
    "required_microcredentials", "grading_scheme", "stackable", "stackable_towards",
    "further_information", "languages", "price", "currency", "country", "region", "image_url",
    "modules", "skills", "partners",
)
MODULE_LABELS = {
    "module_title": "title",
    "module_summary": "summary",
    "module_hours": "estimated hours",
    "module_outcomes": "learning outcomes",
}
# Schema field of a module -> form control.
_MODULE_CONTROL = {
    "title": "module_title",
    "summary": "module_summary",
    "estimated_hours": "module_hours",
    "learning_outcomes": "module_outcomes",
}
# Optional text or choice fields: an empty control means "not given" (None).
_OPTIONAL = (
    "ects_credits", "eqf_level", "assessment_description", "prerequisites", "supervision",
    "grading_scheme", "further_information", "image_url", "country", "region",
)
_REQUIRED_TEXT = (
    "title", "short_description", "field", "workload_hours", "assessment_type",
    "participation_mode", "pacing", "quality_assurance", "price", "currency", "duration_weeks",
)
# The first control of a group, where a link from the error summary should land.
_ANCHORS = {"languages": f"language-{next(iter(LANGUAGES))}", "modules": "module_title-0"}


# A microcredential typed by number ("42", "#42") or by its address (".../microcredentials/42").
_MICROCREDENTIAL = re.compile(r"^(?:#?|\S*/microcredentials/)(\d{1,10})(?:[/?#]\S*)?$")


def lines(text: str) -> list[str]:
    """Non-blank lines, trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def tokens(text: str) -> list[str]:
    """Items separated by commas, whitespace or new lines, without repeats, in order."""
    return list(dict.fromkeys(t for t in re.split(r"[\s,]+", text) if t))


def skill_entries(text: str) -> list[str]:
    """Skills as typed, one per line: a URI (several on a line are split), or a skill's name,
    which the page looks up (see services.resolve_skill_names)."""
    entries: list[str] = []
    for line in lines(text):
        entries.extend(tokens(line) if "://" in line else [" ".join(line.split())])
    return list(dict.fromkeys(entries))


@dataclass
class ModuleRow:
    title: str = ""
    summary: str = ""
    hours: str = ""
    outcomes: str = ""

    @property
    def blank(self) -> bool:
        return not (self.title or self.summary or self.hours or self.outcomes)


@dataclass
class FormState:
    """What the form shows: the values as the person typed them, and the messages."""

    values: dict[str, Any]
    modules: list[ModuleRow]
    errors: dict[str, list[str]] = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)  # (anchor id, message)

    def error(self, control: str) -> str:
        return " ".join(self.errors.get(control, []))


@dataclass
class Submission:
    """The payload for the services and the form as posted (to show again if refused).

    Blank module rows are dropped from both, so module `i` of the payload is row `i` of the
    re-rendered form and a problem at `modules.i.*` lands in the right row.
    """

    payload: dict[str, Any]
    state: FormState


def _one(form: Mapping[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[-1].strip()


def read_form(form: Mapping[str, list[str]]) -> Submission:
    """The payload for the services, from the posted fields (each a list of strings)."""
    values: dict[str, Any] = {}
    payload: dict[str, Any] = {}
    for name in (*_REQUIRED_TEXT, *_OPTIONAL):
        raw = _one(form, name)
        values[name] = raw
        if name in _OPTIONAL:
            payload[name] = raw or None
        else:
            payload[name] = raw
    outcomes_text = _one(form, "learning_outcomes")
    values["learning_outcomes"] = outcomes_text
    payload["learning_outcomes"] = lines(outcomes_text)
    towards_text = _one(form, "stackable_towards")
    values["stackable_towards"] = towards_text
    payload["stackable_towards"] = lines(towards_text)
    stackable = _one(form, "stackable").lower() in {"1", "on", "true", "yes"}
    values["stackable"] = stackable
    payload["stackable"] = stackable
    languages = [v.strip() for v in form.get("languages", []) if v.strip()]
    values["languages"] = languages
    payload["languages"] = list(dict.fromkeys(languages))
    skills_text = _one(form, "skills")
    values["skills"] = skills_text
    payload["skills"] = skill_entries(skills_text)
    partners_text = _one(form, "partners")
    values["partners"] = partners_text
    payload["partners"] = [slug.lower() for slug in tokens(partners_text)]
    ticked = [v.strip() for v in form.get("required_microcredentials", []) if v.strip()]
    other_text = _one(form, "required_other")
    values["required_microcredentials"] = ticked
    values["required_other"] = other_text
    required = list(dict.fromkeys(_microcredential_id(t) for t in [*ticked, *tokens(other_text)]))
    values["required_entries"] = [str(entry) for entry in required]
    payload["required_microcredentials"] = required
    if payload["country"]:
        payload["country"] = payload["country"].upper()

    columns = {name: form.get(name, []) for name in MODULE_FIELDS}
    count = min(max((len(c) for c in columns.values()), default=0), MAX_MODULE_ROWS)

    def cell(name: str, index: int) -> str:
        column = columns[name]
        return column[index].strip() if index < len(column) else ""

    rows = [
        ModuleRow(
            title=cell("module_title", i),
            summary=cell("module_summary", i),
            hours=cell("module_hours", i),
            outcomes=cell("module_outcomes", i),
        )
        for i in range(count)
    ]
    filled = [row for row in rows if not row.blank]
    payload["modules"] = [
        {
            "title": row.title,
            "summary": row.summary,
            "estimated_hours": row.hours,
            "learning_outcomes": lines(row.outcomes),
        }
        for row in filled
    ]
    state = FormState(values=values, modules=_with_empty_rows(filled))
    return Submission(payload=payload, state=state)


def _microcredential_id(text: str) -> int | str:
    """The id a typed entry names; anything else as typed, for the services to refuse."""
    matched = _MICROCREDENTIAL.match(text)
    return int(matched.group(1)) if matched else text


def split_required(state: FormState, offered: Iterable[int]) -> FormState:
    """Required microcredentials not among the offered checkboxes go to the text field."""
    shown = {str(i) for i in offered}
    ids = state.values.get("required_microcredentials", [])
    state.values["required_microcredentials"] = [i for i in ids if i in shown]
    state.values["required_other"] = ", ".join(i for i in ids if i not in shown)
    return state


def _with_empty_rows(rows: list[ModuleRow]) -> list[ModuleRow]:
    return [*rows, *(ModuleRow() for _ in range(EMPTY_MODULE_ROWS))]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def state_from(description: Mapping[str, Any] | None) -> FormState:
    """The form's values for an existing description (a MicrocredentialPublic dump) or blank."""
    if description is None:
        return FormState(
            values={
                **dict.fromkeys((*_REQUIRED_TEXT, *_OPTIONAL), ""),
                "pacing": "self_paced",
                "currency": "EUR",
                "learning_outcomes": "",
                "stackable_towards": "",
                "stackable": False,
                "languages": [],
                "skills": "",
                "partners": "",
                "required_microcredentials": [],
                "required_other": "",
            },
            modules=_with_empty_rows([]),
        )
    values: dict[str, Any] = {
        name: _text(description.get(name)) for name in (*_REQUIRED_TEXT, *_OPTIONAL)
    }
    values["learning_outcomes"] = "\n".join(description.get("learning_outcomes", []))
    values["stackable_towards"] = "\n".join(description.get("stackable_towards", []))
    values["stackable"] = bool(description.get("stackable"))
    values["languages"] = list(description.get("languages", []))
    values["skills"] = "\n".join(s["uri"] for s in description.get("skills", []))
    values["partners"] = ", ".join(p["slug"] for p in description.get("partners", []))
    values["required_microcredentials"] = [
        str(ref["id"]) for ref in description.get("required_microcredentials", [])
    ]
    values["required_other"] = ""
    modules = [
        ModuleRow(
            title=m["title"],
            summary=m.get("summary", ""),
            hours=_text(m["estimated_hours"]),
            outcomes="\n".join(m.get("learning_outcomes", [])),
        )
        for m in description.get("modules", [])
    ]
    return FormState(values=values, modules=_with_empty_rows(modules))


# --- problems -> messages ------------------------------------------------------------------

_BOUNDS = (
    (re.compile(r"^Input should be less than or equal to (\S+)$"), "Must be at most {}"),
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), "Must be at least {}"),
    (re.compile(r"^Input should be less than (\S+)$"), "Must be less than {}"),
    (re.compile(r"^Input should be greater than (\S+)$"), "Must be more than {}"),
    (re.compile(r"^String should have at most (\d+) characters?$"), "Use at most {} characters"),
    (re.compile(r"^List should have at most (\d+) items?.*$"), "Give at most {}"),
    (re.compile(r"^Decimal input should have no more than (\d+) decimal places?$"),
     "Too many decimal places (at most {})"),
)
_FRIENDLY = (
    ("String should have at least 1 character", "Enter a value"),
    ("Input should be a valid integer", "Enter a whole number"),
    ("Input should be a valid decimal", "Enter a number"),
    ("Input should be a valid number", "Enter a number"),
    ("Input should be a valid string", "Enter a value"),
    ("List should have at least 1 item", "Enter at least one"),
    ("String should match pattern", "This is not in the expected format"),
)


def friendly(message: str) -> str:
    """Pydantic's wording where a person would not understand it; the rest as written."""
    for pattern, template in _BOUNDS:
        matched = pattern.match(message)
        if matched:
            return template.format(matched.group(1))
    for prefix, replacement in _FRIENDLY:
        if message.startswith(prefix):
            return replacement
    if message.startswith("Input should be") and "'" in message:
        return "Choose one of the options"
    return message[:1].upper() + message[1:]


def _control_for(path: list[str]) -> tuple[str, str]:
    """(form control id, prefix for the message) for a problem's field path."""
    head = path[0] if path else "__root__"
    if head == "modules" and len(path) >= 2 and path[1].isdigit():
        row = int(path[1])
        control = _MODULE_CONTROL.get(path[2], "module_title") if len(path) >= 3 else "module_title"
        prefix = ""
        if control == "module_outcomes" and len(path) >= 4 and path[3].isdigit():
            prefix = f"Line {int(path[3]) + 1}"
        return f"{control}-{row}", prefix
    if head in {"learning_outcomes", "stackable_towards"} and len(path) >= 2 and path[1].isdigit():
        return head, f"Line {int(path[1]) + 1}"
    if head in {"skills", "partners", "languages"} and len(path) >= 2 and path[1].isdigit():
        return head, f"Entry {int(path[1]) + 1}"
    if head == "required_microcredentials":
        return head, ""  # the messages name the microcredential: ticked and typed ones mix
    if head in LABELS:
        return head, ""
    return "", ""


def apply_problems(state: FormState, problems: Iterable[FieldProblem]) -> FormState:
    """Attach each problem to its control, and list them in the summary in page order."""
    entries: list[tuple[float, int, str, str]] = []
    for seq, problem in enumerate(problems):
        path = [p for p in problem.field.split(".") if p]
        message = friendly(problem.message)
        control, prefix = _control_for(path)
        if control == "languages" and message == "Enter at least one":
            message = "Tick at least one language"
        if control == "required_microcredentials" and len(path) >= 2 and path[1].isdigit():
            message = _required_entry_message(state, int(path[1]), message)
        text = f"{prefix}: {message}" if prefix else message
        state.errors.setdefault(control or "form", []).append(text)
        label = _summary_label(control)
        anchor = _ANCHORS.get(control, control) or "form-errors"
        entries.append((_position(control), seq, anchor, f"{label}: {text}" if label else text))
    state.summary = [(anchor, text) for _, _, anchor, text in sorted(entries)]
    return state


def _required_entry_message(state: FormState, index: int, message: str) -> str:
    """A type or range problem names the entry as typed (the services' own messages already
    name the microcredential)."""
    entries = state.values.get("required_entries", [])
    malformed = message == "Enter a whole number" or message.startswith("Must be")
    if malformed and index < len(entries):
        return f"“{entries[index]}” is not the number of a microcredential"
    return message


def _position(control: str) -> float:
    """Where a control is on the page (problems without a control come first)."""
    if control in PAGE_ORDER:
        return PAGE_ORDER.index(control)
    name, _, row = control.partition("-")
    if name in MODULE_FIELDS and row.isdigit():
        return PAGE_ORDER.index("modules") + (int(row) * 4 + MODULE_FIELDS.index(name) + 1) / 1000
    return -1


def _summary_label(control: str) -> str:
    if control in LABELS:
        return LABELS[control]
    name, _, row = control.partition("-")
    if name in MODULE_LABELS and row.isdigit():
        return f"Module {int(row) + 1} {MODULE_LABELS[name]}"
    return ""
