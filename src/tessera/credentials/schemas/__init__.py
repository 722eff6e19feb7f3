"""Bundled JSON Schemas for Open Badges 3.0 and CLR 2.0 credentials (sources in
`data/SOURCES.md`), validated offline: a `$ref` to anything not bundled fails instead of
being fetched."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, Final

# jsonschema ships no type information (no py.typed) and the stubs are not a dependency.
from jsonschema import Draft201909Validator, Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.protocols import Validator  # type: ignore[import-untyped]
from referencing import Registry

__all__ = ["SCHEMA_FILES", "schema_validator"]

SCHEMA_FILES: Final = {
    "AchievementCredential": "ob_v3p0_achievementcredential_schema.json",
    "EndorsementCredential": "ob_v3p0_endorsementcredential_schema.json",
    "ClrCredential": "clr_v2p0_clrcredential_schema.json",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data", SCHEMA_FILES[name]).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def schema_validator(name: str) -> Validator:
    """A validator for one bundled schema, built once; remote `$ref`s are unresolvable."""
    schema = load_schema(name)
    cls = Draft202012Validator if "2020-12" in schema.get("$schema", "") else Draft201909Validator
    cls.check_schema(schema)
    validator: Validator = cls(schema, registry=Registry())
    return validator
