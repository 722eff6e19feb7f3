"""`tessera import esco|onet` and `tessera skills search` against a temporary SQLite file."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from taxonomy_files import OCCUPATION, SKILL, EscoBuilder, OnetBuilder, tiny_esco
from typer.testing import CliRunner

from tessera import migrate
from tessera.cli import app
from tessera.db import make_engine
from tessera.taxonomy.models import OccupationSkill, Skill

runner = CliRunner()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per module; each test gets a copy."""
    path = tmp_path_factory.mktemp("cli") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def database(migrated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "tessera.db"
    shutil.copy(migrated, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("TESSERA_DATABASE_URL", url)
    return url


def count(url: str, column: object) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count(column))) or 0  # type: ignore[arg-type]
    finally:
        engine.dispose()


def test_import_esco_reports_and_is_idempotent(database: str, esco_dir: EscoBuilder) -> None:
    directory = esco_dir(sample=True, hierarchy=False)
    result = runner.invoke(app, ["import", "esco", str(directory)])
    assert result.exit_code == 0, result.output
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("ESCO 1.2.0: frameworks: 1 created")
    assert "occupations: 3 created" in summary
    assert "relations: 229 created" in summary
    assert "Writing relations" in result.stderr  # the progress bar goes to stderr
    assert count(database, OccupationSkill.skill_id) == 229

    again = runner.invoke(app, ["import", "esco", str(directory), "--version", "1.2.0"])
    assert again.exit_code == 0, again.output
    assert "relations: 0 created, 0 updated, 229 unchanged" in again.stdout
    assert count(database, OccupationSkill.skill_id) == 229


def test_import_of_a_malformed_file_is_one_line_and_changes_nothing(
    database: str, tmp_path: Path
) -> None:
    directory = tiny_esco(tmp_path / "esco")
    with (directory / "occupationSkillRelations_en.csv").open("a", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerow([OCCUPATION + "1", "mandatory", "", SKILL + "1"])
    result = runner.invoke(app, ["import", "esco", str(directory)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == (
        f"error: {directory / 'occupationSkillRelations_en.csv'}, line 4: "
        "relationType must be essential or optional, not 'mandatory'"
    )
    assert "Traceback" not in result.output
    assert count(database, Skill.id) == 0


def test_import_needs_an_existing_directory(database: str, tmp_path: Path) -> None:
    for framework in ("esco", "onet"):
        result = runner.invoke(app, ["import", framework, str(tmp_path / "missing")])
        assert result.exit_code == 1
        assert result.stderr.strip() == f"error: {tmp_path / 'missing'}: no such directory"


def test_import_onet_subset_then_search(database: str, onet_dir: OnetBuilder) -> None:
    result = runner.invoke(app, ["import", "onet", str(onet_dir(occupations=20))])
    assert result.exit_code == 0, result.output
    assert "O*NET 29.2: frameworks: 1 created" in result.stdout
    assert "occupations: 1,016 created" in result.stdout

    found = runner.invoke(app, ["skills", "search", "critical thinking", "--json"])
    assert found.exit_code == 0, found.output
    body = json.loads(found.stdout)
    assert body["total"] == 1
    assert body["items"][0]["uri"] == "https://www.onetcenter.org/id/element/2.A.2.a"

    table = runner.invoke(app, ["skills", "search", "excel", "--framework", "onet"])
    assert table.exit_code == 0
    assert "Microsoft Excel" in table.stdout
    unknown = runner.invoke(app, ["skills", "search", "x", "--framework", "isco"])
    assert unknown.exit_code == 1
    assert "unknown skill framework 'isco'" in unknown.stderr.lower()
    listed = runner.invoke(app, ["skills", "frameworks"])
    assert listed.exit_code == 0
    assert "O*NET" in listed.stdout
