"""The exceptions Tessera raises on purpose; each interface turns them into its own message.

    TesseraError                 base: anything a user can be told about
     ├── NotFound                the thing does not exist, or the actor may not know it exists
     ├── AuthenticationRequired  no (valid) credentials were presented
     ├── PermissionDenied        the actor is known but may not do this
     ├── Conflict                the request clashes with current state (duplicate, immutable)
     └── InvalidInput            bad input; `problems` says which field and why
          └── ImportFileError    a malformed import file; names the file, line and problem

The REST API renders them as RFC 9457 problem details, pages as messages beside the fields,
the CLI as a one-line message and a non-zero exit code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field: a dotted path (``modules.0.title``) and a human message."""

    field: str
    message: str


class TesseraError(Exception):
    status_code = 400
    title = "Bad request"
    slug = "bad-request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(TesseraError):
    status_code = 404
    title = "Not found"
    slug = "not-found"


class AuthenticationRequired(TesseraError):
    status_code = 401
    title = "Authentication required"
    slug = "authentication-required"


class PermissionDenied(TesseraError):
    status_code = 403
    title = "Permission denied"
    slug = "permission-denied"


class Conflict(TesseraError):
    status_code = 409
    title = "Conflict"
    slug = "conflict"


class InvalidInput(TesseraError):
    status_code = 422
    title = "Invalid input"
    slug = "invalid-input"

    def __init__(self, detail: str, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(detail)
        self.problems = problems or []


class ImportFileError(InvalidInput):
    title = "Malformed import file"
    slug = "malformed-import-file"

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {problem}")
        self.file = file
        self.line = line
        self.problem = problem
