"""Reading tabular import files: CSV or tab-separated text (optionally gzipped) and .xlsx.

Every problem becomes an ImportFileError naming the file and, where there is one, the line on
which the offending record starts (records of the ESCO export span several lines: alternative
labels are newline-separated inside quotes).
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tessera.errors import ImportFileError

# stage, rows done, total rows (None while unknown): how long operations report progress.
Progress = Callable[[str, int, int | None], None]

EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")
DELIMITERS = (",", "\t")
PROGRESS_EVERY = 10_000
MAX_HEADER = 64 * 1024
# The longest ESCO text field is a few kB; this bounds memory on a corrupt file.
csv.field_size_limit(1_000_000)


def no_progress(stage: str, done: int, total: int | None) -> None:
    """The default progress callback: report nothing."""


def _normalised(name: str) -> tuple[str, str]:
    """('occupation data', '.xlsx') for 'Occupation_Data.xlsx'; gzip is transparent."""
    lowered = name.lower().removesuffix(".gz")
    stem, dot, ext = lowered.rpartition(".")
    return stem.replace("_", " ").strip(), dot + ext


def find_file(directory: Path, *stems: str) -> Path | None:
    """The file in `directory` named like one of `stems`, in any supported format.

    Names match ignoring case and `_` versus space, so the official O*NET `Skills.txt`,
    `Skills.xlsx` and a `Skills.csv.gz` are all found; text forms win over .xlsx.
    """
    wanted = {stem.lower().replace("_", " ") for stem in stems}
    found: list[tuple[int, str, Path]] = []
    for path in directory.iterdir():
        stem, ext = _normalised(path.name)
        if stem in wanted and ext in EXTENSIONS and path.is_file():
            found.append((EXTENSIONS.index(ext), path.name, path))
    return min(found)[2] if found else None


def require_file(directory: Path, *stems: str) -> Path:
    path = find_file(directory, *stems)
    if path is None:
        raise ImportFileError(
            str(directory / f"{stems[0]}.csv"), None,
            "required file is missing (.txt, .xlsx and gzipped forms would do too)",
        )
    return path


def _pick_delimiter(header_line: str) -> str:
    return max(DELIMITERS, key=header_line.count)


def _columns(
    file: str, header: Sequence[str], required: Sequence[str], optional: Sequence[str]
) -> list[int | None]:
    """Positions of the wanted columns in `header`; missing required ones are an error."""
    positions = {name.strip().lstrip("\ufeff"): index for index, name in enumerate(header)}
    missing = [name for name in required if name not in positions]
    if missing:
        found = ", ".join(list(positions)[:8]) or "nothing"
        hint = ""
        if len(header) == 1 and any(sep in header[0] for sep in ";|"):
            hint = " (wrong delimiter? expected comma- or tab-separated columns)"
        raise ImportFileError(
            file, 1, f"missing column(s) {', '.join(missing)}; header has {found}{hint}"
        )
    return [positions[name] for name in required] + [positions.get(name) for name in optional]


def read_rows(
    path: Path, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for each record: cells are the `required` then `optional` columns, in that
    order ('' for an absent optional column), stripped of surrounding whitespace."""
    if path.name.lower().endswith(".xlsx"):
        yield from _xlsx_rows(path, required, optional)
    else:
        yield from _text_rows(path, required, optional)


def _open_text(path: Path) -> io.TextIOBase:
    # The caller closes the returned wrapper, which closes the file: hence SIM115's noqa.
    gzipped = path.name.lower().endswith(".gz")
    raw: Any = gzip.open(path, "rb") if gzipped else path.open("rb")  # noqa: SIM115
    # newline="" lets the csv module see the quoted newlines inside fields.
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _text_rows(
    path: Path, required: Sequence[str], optional: Sequence[str]
) -> Iterator[tuple[int, list[str]]]:
    file = str(path)
    line = 1
    try:
        with _open_text(path) as stream:
            # Bounded: a binary file without newlines must not be read whole into memory.
            first = stream.readline(MAX_HEADER)
            if not first.strip():
                raise ImportFileError(file, 1, "empty file: expected a header line")
            if len(first) == MAX_HEADER and not first.endswith("\n"):
                raise ImportFileError(file, 1, "header line is too long (not a CSV file?)")
            delimiter = _pick_delimiter(first)
            header = next(csv.reader([first], delimiter=delimiter))
            positions = _columns(file, header, required, optional)
            width = len(header)
            # strict: a stray quote or a file ending inside a quoted field is an error, not
            # a silently merged record.
            reader = csv.reader(stream, delimiter=delimiter, strict=True)
            # reader.line_num counts the lines it has read (after the header); a record starts
            # on the line after the previous one ended. `line` is set before reading, so a
            # csv.Error names the line where the broken record starts.
            previous = 0
            while True:
                line = previous + 2
                cells = next(reader, None)
                if cells is None:
                    break
                previous = reader.line_num
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) != width:
                    raise ImportFileError(
                        file, line, f"expected {width} fields, found {len(cells)}"
                    )
                picked = [cells[i].strip() if i is not None else "" for i in positions]
                if any("\x00" in cell for cell in picked):
                    # PostgreSQL text cannot hold NUL; it only appears in damaged files.
                    raise ImportFileError(file, line, "NUL character (a binary file?)")
                yield line, picked
    except UnicodeDecodeError:
        raise ImportFileError(file, line, "not UTF-8 text (a binary file?)") from None
    except csv.Error as error:
        raise ImportFileError(file, line, f"malformed CSV: {error}") from None
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise ImportFileError(file, line, f"corrupt gzip file: {error}") from None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(
    path: Path, required: Sequence[str], optional: Sequence[str]
) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # imported here: only .xlsx inputs need it

    file = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(file, None, f"not a readable .xlsx workbook: {error}") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise ImportFileError(file, 1, "empty sheet: expected a header row")
        positions = _columns(file, [_cell(v) for v in header], required, optional)
        for line, values in enumerate(rows, start=2):
            cells = [_cell(v) for v in values]
            if not any(cells):
                continue
            cells += [""] * (len(header) - len(cells))
            yield line, [cells[i] if i is not None else "" for i in positions]
    finally:
        workbook.close()


def counted(
    rows: Iterator[tuple[int, list[str]]], stage: str, progress: Progress
) -> Iterator[tuple[int, list[str]]]:
    """Pass rows through, reporting progress every PROGRESS_EVERY rows and at the end."""
    done = 0
    progress(stage, 0, None)
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress(stage, done, None)
    progress(stage, done, done)
