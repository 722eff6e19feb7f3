"""Running `tessera` commands in-process, as a user at a shell would."""

from __future__ import annotations

from typer.testing import CliRunner

from tessera.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    """Exit code and everything printed."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output
