"""Reading import files: formats, line numbers, and each way a file can be malformed."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from openpyxl import Workbook

from tessera.errors import ImportFileError
from tessera.taxonomy.parsers.tables import find_file, read_rows, require_file


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows(path: Path, *required: str, optional: tuple[str, ...] = ()) -> list[tuple[int, list[str]]]:
    return list(read_rows(path, required, optional))


def error(path: Path, *required: str) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        rows(path, *required)
    assert caught.value.file == str(path)
    return caught.value


def test_csv_rows_come_in_the_asked_order_with_the_line_each_starts_on(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.csv",
        'b,a,c\n1,"x\ny\nz",3\n\n4, five ,6\n',
    )
    assert rows(path, "a", "b", optional=("c", "missing")) == [
        (2, ["x\ny\nz", "1", "3", ""]),
        (6, ["five", "4", "6", ""]),
    ]


def test_tab_separated_gzip_and_bom_are_read(tmp_path: Path) -> None:
    path = tmp_path / "Skills.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write("\ufeffcode\tname\n15-2051.00\tData, Scientists\n")
    assert rows(path, "name", "code") == [(2, ["Data, Scientists", "15-2051.00"])]


def test_xlsx_rows_use_the_first_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "title"])
    sheet.append(["11-1011.00", "Chief Executives"])
    sheet.append([None, None])
    sheet.append([42.0, "  Number  "])
    book.save(tmp_path / "data.xlsx")
    assert rows(tmp_path / "data.xlsx", "code", "title") == [
        (2, ["11-1011.00", "Chief Executives"]),
        (4, ["42", "Number"]),
    ]


def test_missing_column_is_named(tmp_path: Path) -> None:
    problem = error(write(tmp_path / "t.csv", "conceptUri,label\nhttp://x.eu/1,a\n"), "conceptUri", "preferredLabel")
    assert problem.line == 1
    assert "missing column(s) preferredLabel" in problem.problem


def test_wrong_delimiter_is_suspected(tmp_path: Path) -> None:
    problem = error(write(tmp_path / "t.csv", "conceptUri;preferredLabel\nx;y\n"), "conceptUri")
    assert "wrong delimiter" in problem.problem


def test_row_with_a_missing_field_names_its_line(tmp_path: Path) -> None:
    problem = error(write(tmp_path / "t.csv", "a,b\n1,2\n3\n"), "a", "b")
    assert (problem.line, problem.problem) == (3, "expected 2 fields, found 1")


def test_unterminated_quote_and_nul_bytes_are_malformed(tmp_path: Path) -> None:
    assert error(write(tmp_path / "q.csv", 'a,b\n1,2\n3,"4\x00\n'), "a").line == 3


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "skills_en.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    problem = error(path, "conceptUri")
    assert "not UTF-8" in problem.problem or "missing column" in problem.problem


def test_corrupt_gzip_and_xlsx_are_refused(tmp_path: Path) -> None:
    (tmp_path / "t.csv.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    assert "gzip" in error(tmp_path / "t.csv.gz", "a").problem
    (tmp_path / "t.xlsx").write_bytes(b"not a zip")
    assert "xlsx" in error(tmp_path / "t.xlsx", "a").problem


def test_empty_file_is_refused(tmp_path: Path) -> None:
    assert error(write(tmp_path / "t.csv", ""), "a").problem.startswith("empty file")


def test_files_are_found_in_any_supported_form(tmp_path: Path) -> None:
    write(tmp_path / "Occupation_Data.xlsx", "")
    write(tmp_path / "Technology Skills.txt", "")
    write(tmp_path / "skills_en.csv.gz", "")
    write(tmp_path / "skills_en.json", "")
    assert find_file(tmp_path, "Occupation Data") == tmp_path / "Occupation_Data.xlsx"
    assert find_file(tmp_path, "Technology Skills") == tmp_path / "Technology Skills.txt"
    assert find_file(tmp_path, "skills_en") == tmp_path / "skills_en.csv.gz"
    assert find_file(tmp_path, "Skills") is None
    write(tmp_path / "Occupation Data.txt", "")
    assert find_file(tmp_path, "Occupation Data") == tmp_path / "Occupation Data.txt"


def test_missing_required_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError) as caught:
        require_file(tmp_path, "occupationSkillRelations_en")
    assert caught.value.file == str(tmp_path / "occupationSkillRelations_en.csv")
    assert caught.value.line is None
    assert "required file is missing" in str(caught.value)


def test_binary_file_without_newlines_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a" * 100_000, encoding="utf-8")
    assert "header line is too long" in error(path, "a").problem
