"""Reading posted forms, and what a form shows again after a refusal: the values typed and a
message per field.

The form macros (templates/catalog/_macros.html) read `values`, `errors`, `error(name)` and
`summary` (anchor, message) for the error summary at the top of the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from tessera.errors import FieldProblem

PostedForm = dict[str, list[str]]


async def posted_fields(request: Request) -> PostedForm:
    """The posted text fields, each a list of its values, trimmed (files are ignored)."""
    form = await request.form()
    fields: PostedForm = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(key, []).append(value.strip())
    return fields


def one(form: Mapping[str, list[str]], name: str) -> str:
    """The last value posted for `name`, or ""."""
    return (form.get(name) or [""])[-1]


@dataclass
class FormState:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)

    def error(self, control: str) -> str:
        return " ".join(self.errors.get(control, []))

    def refuse(
        self, problems: Iterable[FieldProblem], labels: Mapping[str, str]
    ) -> FormState:
        """Attach each problem to its control (the first part of its field path) in `labels`'
        order; a problem for no known control goes to the summary only."""
        entries: list[tuple[int, str, str]] = []
        order = list(labels)
        for problem in problems:
            control = problem.field.split(".")[0]
            message = problem.message.removeprefix("Value error, ")
            if control in labels:
                self.errors.setdefault(control, []).append(message)
                entries.append((order.index(control), control, f"{labels[control]}: {message}"))
            else:
                entries.append((-1, "form-errors", message))
        self.summary = [(anchor, text) for _, anchor, text in sorted(entries)]
        return self
