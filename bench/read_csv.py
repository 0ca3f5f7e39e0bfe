"""How fast SynthDesk reads a large CSV, next to pandas' own pyarrow engine.

Run: ``.venv/bin/python bench/read_csv.py`` (``--rows N``, ``--repeats N``, ``--keep``).

It writes a 1,000,000-row, 20-column CSV of mixed types (integers, decimals, categories,
ZIP codes with leading zeros, ISO dates, booleans, missing values, names with accents)
to a folder in /tmp, then measures, alternating the two readers in one run:

- the median wall time of ``synthdesk.io.read_table`` and of
  ``pandas.read_csv(engine="pyarrow")`` over N repeats, and their ratio (target <= 1.5);
- peak memory (``ru_maxrss``) of each reader in a fresh subprocess, against the file size
  (target < 3x), with the bare interpreter's imports measured apart;
- the time to a preview of the first 100 rows with ``read_preview`` (target well under 1 s);
- ``read_table`` on a copy of the file with one short row at its end, past the sniffing
  sample (``--no-ragged`` leaves it out): such a row once sent the whole file through the
  row-by-row reader; Arrow now reads the file a second time with the row padded.

Each measurement runs in its own subprocess, so imports and caches do not favour either
reader; the import time is left out of the read times. The folder is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time
which, path = sys.argv[1], sys.argv[2]
import pandas as pd
import pyarrow.csv
from synthdesk.io import read_preview, read_table
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
if which == "pandas":
    frame = pd.read_csv(path, engine="pyarrow")
elif which in ("synthdesk", "ragged"):
    frame = read_table(path).data
else:
    frame = read_preview(path, rows=100).data
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kb": peak, "base_kb": base,
                  "rows": len(frame), "columns": frame.shape[1]}))
"""


def make_csv(path: Path, rows: int) -> None:
    """Write the mixed-type table the readers are measured on."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    data = {}
    for i in range(4):
        data[f"int_{i}"] = rng.integers(0, 100_000, rows)
    for i in range(4):
        data[f"float_{i}"] = np.round(rng.normal(100, 30, rows), 3)
    for i in range(3):
        data[f"cat_{i}"] = rng.choice(["north", "south", "east", "west", "centre"], rows)
    data["zip"] = pd.Series(rng.integers(0, 99_999, rows)).map("{:05d}".format)
    days = pd.to_timedelta(rng.integers(0, 8000, rows), unit="D")
    data["date"] = (pd.Timestamp("2000-01-01") + days).strftime("%Y-%m-%d")
    data["flag"] = rng.choice(["true", "false"], rows)
    data["amount"] = np.round(rng.exponential(500, rows), 2)
    data["maybe"] = np.where(rng.random(rows) < 0.1, np.nan, np.round(rng.random(rows) * 10, 1))
    data["name"] = rng.choice(["Alice Smith", "Bob Jones", "Chloé Martin", "Dan Brown"], rows)
    data["code"] = rng.choice(["A1", "B2", "C3"], rows)
    data["qty"] = rng.integers(1, 10, rows)
    data["score"] = rng.random(rows)
    pd.DataFrame(data).to_csv(path, index=False)


def _make_in_child(path: Path, rows: int) -> None:
    # Linux keeps a process's peak memory across exec: a parent that once held the table
    # would pass its peak on to every child, so the table is made in a child of its own.
    subprocess.run([sys.executable, __file__, "--make", str(path), "--rows", str(rows)],
                   cwd=ROOT, check=True)


def measure(which: str, path: Path) -> dict:
    """Run one reader in a fresh interpreter and return its figures."""
    out = subprocess.run([sys.executable, "-c", _CHILD, which, str(path)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="Keep the generated CSV.")
    parser.add_argument("--no-ragged", action="store_true",
                        help="Leave out the file with a short row at its end.")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        make_csv(args.make, args.rows)
        return

    folder = Path(tempfile.mkdtemp(prefix="synthdesk-bench-"))
    path = folder / "mixed.csv"
    try:
        _make_in_child(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"file: {args.rows:,} rows x 20 columns, {size_mb:.0f} MB")
        runs = {"synthdesk": [], "pandas": [], "preview": []}
        files = {"synthdesk": path, "pandas": path, "preview": path}
        if not args.no_ragged:
            ragged = folder / "ragged.csv"
            shutil.copyfile(path, ragged)
            with ragged.open("a", encoding="utf-8") as handle:
                handle.write("1,2,3\n")  # 3 cells where the header has 20
            runs["ragged"], files["ragged"] = [], ragged
        for _ in range(args.repeats):
            for which in runs:
                runs[which].append(measure(which, files[which]))
        print(f"{'reader':<38}{'median s':>9}{'min s':>7}{'peak MB':>9}{'x file':>8}"
              f"{'x file*':>9}{'imports MB':>12}")
        medians = {}
        labels = [("synthdesk", "synthdesk.io.read_table"),
                  ("pandas", 'pandas.read_csv(engine="pyarrow")'),
                  ("preview", "synthdesk.io.read_preview (100 rows)"),
                  ("ragged", "read_table, one short row at the end")]
        for which, label in labels:
            if which not in runs:
                continue
            seconds = [r["seconds"] for r in runs[which]]
            peak = max(r["peak_kb"] for r in runs[which]) / 1024 * 1.048576
            base = max(r["base_kb"] for r in runs[which]) / 1024 * 1.048576
            medians[which] = statistics.median(seconds)
            print(f"{label:<38}{medians[which]:>9.2f}{min(seconds):>7.2f}{peak:>9.0f}"
                  f"{peak / size_mb:>8.2f}{(peak - base) / size_mb:>9.2f}{base:>12.0f}")
        shapes = {w: {(r["rows"], r["columns"]) for r in runs[w]} for w in runs}
        print(f"shapes read: synthdesk {shapes['synthdesk']}, pandas {shapes['pandas']}, "
              f"preview {shapes['preview']}")
        if shapes["synthdesk"] != shapes["pandas"]:
            print("WARNING: the two readers did not read the same table")
        ratio = medians["synthdesk"] / medians["pandas"]
        print(f"ratio synthdesk / pandas-pyarrow: {ratio:.2f} (target <= 1.5)")
        print(f"preview: {medians['preview'] * 1000:.0f} ms (target well under 1 s)")
        if "ragged" in medians:
            print(f"short row at the end: {medians['ragged'] / medians['synthdesk']:.2f}x the "
                  "time of the clean file")
        print("x file: peak memory / file size; x file*: the same without the memory that "
              "importing pandas, pyarrow and SynthDesk takes before reading (imports MB).")
    finally:
        if args.keep:
            print(f"kept {path}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
