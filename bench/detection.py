"""How well SynthDesk finds personal data: precision and recall on a labelled corpus.

Run: ``.venv/bin/python bench/detection.py`` (``--quiet`` prints the table only,
``--json PATH`` also writes the figures).

Every table of ``tests/corpus/detection`` (real public tables, and fixtures that put real
names, addresses and contacts into the formats real files use; see SOURCES.md there) is
read with ``synthdesk.io.read_table`` and profiled with ``synthdesk.schema.profile_columns``.
Each column's ``pii_type`` is mapped onto the corpus' labels (person name, e-mail, phone,
street address, postcode, city/place, date of birth, national ID, account/card, free text,
record identifier, web address; none) and compared with its label. Printed: precision and
recall per label, overall (every sensitive label together), the number of numeric
measurement or count columns flagged (target 0), and every false positive and negative.
Tables beside the checkout (``../shared/datasets``) are skipped when absent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "detection"
SHARED = ROOT.parent / "shared" / "datasets"

# pii_type -> corpus label.
LABEL_OF = {
    "first_name": "name", "last_name": "name", "name": "name", "email": "email",
    "phone_number": "phone", "street_address": "street_address", "postcode": "postcode",
    "city": "city", "date_of_birth": "date_of_birth", "ssn": "national_id",
    "national_id": "national_id", "iban": "account", "credit_card_number": "account",
    "free_text": "free_text", "id": "id", "url": "url", "ip_address": "url",
}
ORDER = ("name", "email", "phone", "street_address", "postcode", "city", "date_of_birth",
         "national_id", "account", "free_text", "id", "url")


@dataclass
class Score:
    """What the detector said about the corpus."""

    tables: int = 0
    columns: int = 0
    real_tables: int = 0
    true: Counter = field(default_factory=Counter)
    predicted: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)
    errors: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    numeric_flagged: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def precision(self, label: str | None = None) -> float:
        got = self.predicted[label] if label else sum(self.predicted.values())
        hit = self.correct[label] if label else sum(self.correct.values())
        return hit / got if got else 1.0

    def recall(self, label: str | None = None) -> float:
        want = self.true[label] if label else sum(self.true.values())
        hit = self.correct[label] if label else sum(self.correct.values())
        return hit / want if want else 1.0


def corpus_entries(corpus: Path = CORPUS) -> list[tuple[str, dict]]:
    """``(table name, labels entry)`` for every table of the corpus."""
    return [(path.stem, json.loads(path.read_text())) for path in sorted(corpus.glob("*.json"))]


def table_path(entry: dict, corpus: Path = CORPUS) -> Path | None:
    """Where the table of a labels entry lives, or None when it is not on this machine."""
    where, _, name = entry["file"].rpartition(":")
    if where == "shared":
        path = SHARED / name
    elif where == "plotly":
        import plotly

        path = Path(plotly.__file__).parent / "package_data" / "datasets" / name
    elif where == "sdmetrics":
        import sdmetrics

        path = Path(sdmetrics.__file__).parent / "demos" / name
    else:
        path = corpus / name
    return path if path.exists() else None


def profile_table(path: Path, sheet: str | None = None):
    """The frame and column specs SynthDesk derives from the file, as the app reads it."""
    from synthdesk.io import read_table
    from synthdesk.schema import profile_columns

    if path.suffix == ".gz":
        import pandas as pd

        data = pd.read_csv(path)
    else:
        data = read_table(path, sheet=sheet).data
    return data, profile_columns(data)


def score(corpus: Path = CORPUS) -> Score:
    """Profile every table of the corpus and compare each column with its label."""
    from synthdesk.schema import Kind

    result = Score()
    for name, entry in corpus_entries(corpus):
        path = table_path(entry, corpus)
        if path is None:
            result.skipped.append(name)
            continue
        _, specs = profile_table(path, entry.get("sheet"))
        result.tables += 1
        result.real_tables += not name.startswith("fixture_")
        labels = entry["columns"]
        for spec in specs:
            if spec.name not in labels:
                raise KeyError(f"{name}: column {spec.name!r} has no label")
            result.columns += 1
            truth = labels[spec.name]
            guess = LABEL_OF.get(spec.pii_type, spec.pii_type) if spec.pii_type else "none"
            if truth != "none":
                result.true[truth] += 1
            if guess != "none":
                result.predicted[guess] += 1
            if truth == guess:
                if truth != "none":
                    result.correct[truth] += 1
                continue
            result.errors.append((name, spec.name, truth, guess, spec.reason))
            if truth == "none" and spec.kind in (Kind.INTEGER, Kind.DECIMAL):
                result.numeric_flagged.append((name, spec.name, guess))
    return result


def report(result: Score, quiet: bool = False) -> str:
    lines = [f"{result.tables} tables ({result.real_tables} real, "
             f"{result.tables - result.real_tables} fixtures), {result.columns} columns"
             + (f"; skipped (not here): {', '.join(result.skipped)}" if result.skipped else ""),
             "", f"{'label':<16}{'columns':>8}{'found':>7}{'right':>7}{'precision':>11}"
             f"{'recall':>8}"]
    for label in ORDER:
        if result.true[label] or result.predicted[label]:
            lines.append(f"{label:<16}{result.true[label]:>8}{result.predicted[label]:>7}"
                         f"{result.correct[label]:>7}{result.precision(label):>11.3f}"
                         f"{result.recall(label):>8.3f}")
    lines.append(f"{'overall':<16}{sum(result.true.values()):>8}"
                 f"{sum(result.predicted.values()):>7}{sum(result.correct.values()):>7}"
                 f"{result.precision():>11.3f}{result.recall():>8.3f}")
    lines.append(f"numeric measurement or count columns flagged: {len(result.numeric_flagged)}")
    for table, column, guess in result.numeric_flagged:
        lines.append(f"  {table}.{column} -> {guess}")
    if not quiet:
        lines += ["", "errors (table.column: label -> found; reason):"]
        for table, column, truth, guess, reason in result.errors:
            kind = "FN" if guess == "none" else "FP" if truth == "none" else "WRONG"
            lines.append(f"  {kind:<5} {table}.{column}: {truth} -> {guess}"
                         + (f"; {reason}" if reason else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="print the table only")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    start = time.perf_counter()
    result = score()
    took = time.perf_counter() - start
    print(report(result, args.quiet))
    print(f"\n{took:.1f} s, load average {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps({
            label: {"columns": result.true[label], "precision": result.precision(label),
                    "recall": result.recall(label)} for label in ORDER
        } | {"overall": {"precision": result.precision(), "recall": result.recall()},
             "numeric_flagged": len(result.numeric_flagged)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
