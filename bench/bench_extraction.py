"""Skill extraction from job postings: quality on labelled postings, and speed up to ESCO size.

    python -m bench.bench_extraction [--repeat 5] [--no-esco] [--errors] [--output PATH]

Quality: precision, recall and F1, micro-averaged over (posting, skill) pairs, overall and per
field, with an extractor built from the built-in taxonomy: lexical matching only, then lexical
+ semantic, side by side. Two labelled sets (see bench/data/README.md): the tuning set
(bench/data/postings.jsonl), which error analysis and every threshold were fitted on, and the
held-out set (bench/data/postings_heldout.jsonl), written and labelled before the extractor was
last changed and never looked at while changing it: its figures are the honest ones. Then how
often each kind of match was right (what the confidences are set from), and a sweep of the
semantic threshold with a two-fold check: tuned on half of the tuning set, measured on the
other half. `--errors` lists each tuning posting's misses and false finds, and nothing else.

Speed: build time, and extraction time p50 / p95 for a 500-word posting (35 of them, cut from
the labelled texts, each timed `--repeat` times after a warm-up), with the built-in taxonomy
and with ~14,000 ESCO skills read at run time from ../shared/taxonomies/esco-1.2.0 (as its
SOURCES.md says, skills_en.csv is missing there: labels come from the derived relations file,
alternative labels from the skill collections, so fewer alternative labels than the full
export has). Prints tables and writes bench/results/extraction.json. The goal
is p95 <= 200 ms; nothing fails on a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tessera.planner.extraction import SEMANTIC_THRESHOLD, SkillEntry, SkillExtractor, SkillLike
from tessera.planner.extraction.extractor import SEMANTIC_HIGH, SEMANTIC_LOW
from tessera.taxonomy.parsers import parse_builtin
from tessera.taxonomy.parsers.tables import read_rows

ROOT = Path(__file__).resolve().parents[1]
POSTINGS = Path(__file__).parent / "data" / "postings.jsonl"
HELD_OUT = Path(__file__).parent / "data" / "postings_heldout.jsonl"
BUILTIN = ROOT / "src" / "tessera" / "taxonomy" / "data" / "tessera_skills.csv"
ESCO = ROOT.parent / "shared" / "taxonomies" / "esco-1.2.0"
DERIVED = "esco_1.2.0_occupation_skill_relations_derived.csv.gz"
RESULTS = Path(__file__).parent / "results" / "extraction.json"
GOAL_P95_MS = 200.0
POSTING_WORDS = 500
FIELDS = ("technology", "healthcare", "business_management", "education", "creative")
SWEEP = [round(0.55 + 0.025 * i, 3) for i in range(15)]  # 0.55 ... 0.9
console = Console(width=None if sys.stdout.isatty() else 132)


@dataclass(frozen=True)
class Posting:
    id: str
    field: str
    title: str
    text: str
    skills: frozenset[str]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[str], gold: frozenset[str]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def load_postings(path: Path = POSTINGS) -> list[Posting]:
    postings = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                postings.append(
                    Posting(row["id"], row["field"], row["title"], row["text"],
                            frozenset(row["skills"]))
                )
    return postings


def esco_skills(directory: Path = ESCO) -> list[SkillEntry]:
    """About 14,000 ESCO skills, from the files the shared copy has."""
    labels: dict[str, str] = {}
    alternatives: dict[str, list[str]] = defaultdict(list)
    for _, (uri, label) in read_rows(directory / DERIVED, ["skill_uri", "skill_label"]):
        if uri:  # 13 rows could not be mapped to a URI upstream
            labels.setdefault(uri, label)
    # Skill groups ("skills", "knowledge", "plan") are headings of the hierarchy, not skills
    # a posting asks for: left out, as a caller should leave them out.
    for path in sorted(directory.glob("*SkillsCollection_en.csv")):
        for _, (uri, label, alt) in read_rows(path, ["conceptUri", "preferredLabel", "altLabels"]):
            labels.setdefault(uri, label)
            # Collections separate alternative labels with " | ", the export with newlines.
            alternatives[uri] += re.split(r"\s*\|\s*|\n", alt)
    return [
        SkillEntry(uri, label, tuple(dict.fromkeys(a.strip() for a in alternatives[uri] if a)))
        for uri, label in labels.items()
    ]


def cut_postings(postings: Sequence[Posting], words: int = POSTING_WORDS) -> list[str]:
    """One text of exactly `words` words per posting: it and the following ones, joined."""
    texts = []
    for start in range(len(postings)):
        joined = ""
        index = start
        while len(joined.split()) < words:
            joined += postings[index % len(postings)].text + "\n\n"
            index += 1
        ends = [m.end() for m in re.finditer(r"\S+", joined)]
        texts.append(joined[: ends[words - 1]])
    return texts


def quality(
    extractor: SkillExtractor, postings: Sequence[Posting]
) -> tuple[dict[str, dict[str, Counts]], list[dict[str, Any]]]:
    """Counts per mode and field, and how often each kind of match was right."""
    counts: dict[str, dict[str, Counts]] = {
        mode: defaultdict(Counts) for mode in ("lexical", "lexical+semantic")
    }
    kinds: dict[tuple[str, float], Counts] = defaultdict(Counts)
    for posting in postings:
        for mode, semantic in (("lexical", False), ("lexical+semantic", True)):
            found = extractor.extract(posting.text, semantic=semantic)
            predicted = {skill.uri for skill in found}
            counts[mode][posting.field].add(predicted, posting.skills)
            counts[mode]["all"].add(predicted, posting.skills)
            if semantic:
                for skill in found:
                    # Semantic confidences vary with the score: one band per method.
                    band = skill.confidence if skill.method == "lexical" else 0.0
                    kinds[(skill.method.value, band)].add({skill.uri}, posting.skills & {skill.uri})
    calibration = [
        {
            "method": method,
            "confidence": (
                f"{SEMANTIC_LOW}-{SEMANTIC_HIGH}" if method == "semantic" else f"{band:.2f}"
            ),
            "matches": c.tp + c.fp,
            "right": c.tp,
            "share_right": round(c.precision, 3),
        }
        for (method, band), c in sorted(kinds.items(), key=lambda item: (item[0][0], -item[0][1]))
    ]
    return counts, calibration


def sweep(
    extractor: SkillExtractor, postings: Sequence[Posting]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """F1 for each semantic threshold; then per half: the best threshold there, measured on
    the other half (postings alternate between halves, so each half holds every field)."""
    predicted: dict[float, list[set[str]]] = {}
    for threshold in SWEEP:
        predicted[threshold] = [
            {s.uri for s in extractor.extract(p.text, semantic_threshold=threshold)}
            for p in postings
        ]

    def score(threshold: float, indexes: Iterable[int]) -> Counts:
        counts = Counts()
        for i in indexes:
            counts.add(predicted[threshold][i], postings[i].skills)
        return counts

    everything = range(len(postings))
    rows = [{"threshold": t, **score(t, everything).as_dict()} for t in SWEEP]
    folds = []
    for half in (0, 1):
        tuning = [i for i in everything if i % 2 == half]
        held_out = [i for i in everything if i % 2 != half]
        best = max(SWEEP, key=lambda t: score(t, tuning).f1)
        folds.append(
            {
                "tuned_on": f"the {'odd' if half else 'even'}-numbered postings",
                "threshold": best,
                "tuning_f1": round(score(best, tuning).f1, 3),
                "held_out_f1": round(score(best, held_out).f1, 3),
            }
        )
    return rows, folds


def speed(
    name: str, skills: Sequence[SkillLike], texts: Sequence[str], repeat: int
) -> list[dict[str, Any]]:
    started = time.perf_counter()
    extractor = SkillExtractor(skills)
    build_s = time.perf_counter() - started
    rows = []
    for mode, semantic in (("lexical", False), ("lexical+semantic", True)):
        extractor.extract(texts[0], semantic=semantic)  # warm-up
        timings: list[float] = []
        cpu: list[float] = []  # less sensitive than wall time to other work on the machine
        found = 0
        for _ in range(repeat):
            for text in texts:
                start, start_cpu = time.perf_counter(), time.process_time()
                found += len(extractor.extract(text, semantic=semantic))
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
        rows.append(
            {
                "taxonomy": name,
                "skills": len(extractor),
                "build_s": round(build_s, 2),
                "mode": mode,
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(_percentile(timings, 0.95), 1),
                "cpu_p50_ms": round(statistics.median(cpu), 1),
                "skills_per_posting": round(found / len(timings), 1),
            }
        )
    return rows


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _quality_table(
    counts: dict[str, dict[str, Counts]], postings: Sequence[Posting], name: str
) -> Table:
    per_field = {f: sum(1 for p in postings if p.field == f) for f in FIELDS}
    table = Table(
        title=f"Skill extraction on the {name} ({len(postings)} labelled postings), built-in "
        f"taxonomy (micro-averaged; semantic threshold {SEMANTIC_THRESHOLD})"
    )
    table.add_column("Field")
    table.add_column("Postings", justify="right")
    table.add_column("Labels", justify="right")
    for mode in counts:
        short = "Lexical" if mode == "lexical" else "+ semantic"
        for measure in ("P", "R", "F1"):
            table.add_column(f"{short} {measure}", justify="right")
    for field in (*FIELDS, "all"):
        cells = [field, str(per_field.get(field, len(postings)))]
        lexical = counts["lexical"][field]
        cells.append(str(lexical.tp + lexical.fn))
        for mode in counts:
            c = counts[mode][field]
            cells += [f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}"]
        if field == "all":
            table.add_section()
        table.add_row(*cells)
    return table


def _summary_table(sets: dict[str, dict[str, dict[str, Counts]]]) -> Table:
    """All fields together, one row per set and mode: the held-out row is the honest one."""
    table = Table(title="Tuning set and held-out set side by side (micro-averaged)")
    for column in ("Set", "Mode", "Labels", "P", "R", "F1"):
        table.add_column(column, justify="left" if column in ("Set", "Mode") else "right")
    for name, counts in sets.items():
        for mode, per_field in counts.items():
            c = per_field["all"]
            table.add_row(name, mode, str(c.tp + c.fn), f"{c.precision:.2f}",
                          f"{c.recall:.2f}", f"{c.f1:.2f}")
    return table


def print_errors(
    extractor: SkillExtractor, skills: Sequence[SkillLike], postings: Sequence[Posting]
) -> None:
    """Per posting: the labelled skills not found, and the skills found but not labelled
    (with the words that gave them away), for error analysis on the tuning set."""
    labels = {skill.uri: skill.label for skill in skills}
    for posting in postings:
        found = {s.uri: s for s in extractor.extract(posting.text)}
        missed = sorted(labels[uri] for uri in posting.skills - set(found))
        wrong = [f"{s.label} <- {s.phrase!r} ({s.method.value})"
                 for uri, s in found.items() if uri not in posting.skills]
        console.print(f"[bold]{posting.id}[/] {posting.title}", highlight=False)
        console.print(f"  missed: {'; '.join(missed) or '-'}", highlight=False)
        console.print(f"  wrong:  {'; '.join(wrong) or '-'}", highlight=False)


def _calibration_table(calibration: list[dict[str, Any]]) -> Table:
    table = Table(title="How often each kind of match was right (lexical + semantic)")
    for column in ("Method", "Confidence", "Matches", "Right", "Share right"):
        table.add_column(column, justify="left" if column == "Method" else "right")
    for row in calibration:
        table.add_row(row["method"], str(row["confidence"]), str(row["matches"]),
                      str(row["right"]), f"{row['share_right']:.2f}")
    return table


def _sweep_table(rows: list[dict[str, Any]], folds: list[dict[str, Any]]) -> Table:
    table = Table(title="Semantic threshold: F1 on all postings, and tuned on one half, "
                  "measured on the other")
    for column in ("Threshold", "P", "R", "F1"):
        table.add_column(column, justify="right")
    for row in rows:
        mark = " *" if row["threshold"] == SEMANTIC_THRESHOLD else ""
        table.add_row(f"{row['threshold']:.3f}{mark}", f"{row['precision']:.2f}",
                      f"{row['recall']:.2f}", f"{row['f1']:.3f}")
    table.caption = "\n".join(
        f"Tuned on {f['tuned_on']}: {f['threshold']:.3f}, F1 {f['tuning_f1']:.3f} there, "
        f"{f['held_out_f1']:.3f} on the rest"
        for f in folds
    ) + "\n* the default"
    return table


def _speed_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"Extraction time for a {POSTING_WORDS}-word posting "
                  f"(goal: p95 <= {GOAL_P95_MS:.0f} ms)")
    table.add_column("Taxonomy")
    for column in ("Skills", "Build s", "Mode", "p50 ms", "p95 ms", "CPU p50 ms", "Skills found"):
        table.add_column(column, justify="left" if column == "Mode" else "right")
    for row in rows:
        p95 = f"{row['p95_ms']:.1f}"
        if row["p95_ms"] > GOAL_P95_MS:
            p95 = f"[red]{p95}[/]"
        table.add_row(row["taxonomy"], f"{row['skills']:,}", f"{row['build_s']:.2f}",
                      row["mode"], f"{row['p50_ms']:.1f}", p95, f"{row['cpu_p50_ms']:.1f}",
                      f"{row['skills_per_posting']:.1f}")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-esco", action="store_true", help="skip the 14,000-skill timing")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--errors", action="store_true",
                        help="list misses and false finds per tuning posting, then stop")
    args = parser.parse_args(argv)

    postings = load_postings()
    builtin = parse_builtin(BUILTIN)
    extractor = SkillExtractor(builtin)
    if args.errors:
        print_errors(extractor, builtin, postings)  # never the held-out set: see docstring
        return 0
    held_out = load_postings(HELD_OUT)
    counts, calibration = quality(extractor, postings)
    held_out_counts, _ = quality(extractor, held_out)
    console.print(_quality_table(counts, postings, "tuning set"))
    console.print(_quality_table(held_out_counts, held_out, "held-out set"))
    console.print(_summary_table({"tuning": counts, "held-out": held_out_counts}))
    console.print(_calibration_table(calibration))
    sweep_rows, folds = sweep(extractor, postings)
    console.print(_sweep_table(sweep_rows, folds))

    texts = cut_postings(postings)
    speed_rows = speed("built-in", builtin, texts, args.repeat)
    if args.no_esco:
        pass
    elif (ESCO / DERIVED).exists():
        speed_rows += speed("ESCO 1.2.0", esco_skills(), texts, args.repeat)  # ~1 s to read
    else:
        console.print(f"[yellow]No ESCO data at {ESCO}: the 14,000-skill timing is skipped[/]")
    console.print(_speed_table(speed_rows))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    console.print(f"Load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} CPUs")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "benchmark": "skill extraction",
                "postings": len(postings),
                "labels": sum(len(p.skills) for p in postings),
                "held_out_postings": len(held_out),
                "held_out_labels": sum(len(p.skills) for p in held_out),
                "semantic_threshold": SEMANTIC_THRESHOLD,
                "goal_p95_ms": GOAL_P95_MS,
                "machine": {
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                    # Timings on a shared machine: the load says how much to trust them.
                    "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
                },
                "quality": {
                    mode: {field: c.as_dict() for field, c in sorted(per.items())}
                    for mode, per in counts.items()
                },
                "held_out_quality": {
                    mode: {field: c.as_dict() for field, c in sorted(per.items())}
                    for mode, per in held_out_counts.items()
                },
                "calibration": calibration,
                "threshold_sweep": sweep_rows,
                "two_fold": folds,
                "speed": speed_rows,
            },
            indent=2,
        )
        + "\n"
    )
    console.print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
