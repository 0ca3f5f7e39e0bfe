"""How long does each SynthDesk generator take, how much memory does it need, and how good is it?

For every generator (``gaussian_copula``, ``ctgan``, ``tvae``, ``copulagan``) and every
table, this trains through SynthDesk's real pipeline (``load_table`` then
``run_training_isolated``, the same child-process path the app and the CLI use) and
reports fit, sample and scoring seconds, the peak memory of the training process, the
SDMetrics quality scores and the share of synthetic rows that copy a real row.

Each configuration runs in a fresh subprocess of this script (``--one TABLE GENERATOR``),
which reads ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` once its training child has
ended: the largest resident set of the training process (or of any process it started
and waited for), with nothing left over from earlier runs.

Run from the repository root::

    .venv/bin/python bench/generators.py
    .venv/bin/python bench/generators.py --tables plotnine_diamonds.csv --generators ctgan \
        --rows 2000 --epochs 5 --repeat 3 --json /tmp/bench.json

The defaults (5,000 rows, 20 epochs, both tables, all four generators, one repeat) take
roughly 10-15 minutes on two cores. Run nothing else heavy at the same time.
"""

from __future__ import annotations

import argparse
import json
import resource
import shlex
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

DATASETS = Path("/work/shared/datasets")
DEFAULT_TABLES = ("modeldata_lending_club.csv", "plotnine_diamonds.csv")
DEFAULT_GENERATORS = ("gaussian_copula", "ctgan", "tvae", "copulagan")
DEFAULT_ROWS = 5000
DEFAULT_EPOCHS = 20
SEED = 0
RESULT_PREFIX = "BENCH-RESULT "
TIMING_KEYS = ("fit_s", "sample_s", "score_s", "wall_s")
COLUMNS = (
    ("table", "table", "{}"),
    ("rows", "rows", "{}"),
    ("generator", "generator", "{}"),
    ("epochs", "epochs", "{}"),
    ("fit_s", "fit s", "{:.1f}"),
    ("sample_s", "sample s", "{:.2f}"),
    ("score_s", "score s", "{:.2f}"),
    ("wall_s", "wall s", "{:.1f}"),
    ("peak_mb", "peak MB", "{:.0f}"),
    ("overall", "quality", "{:.3f}"),
    ("column_shapes", "shapes", "{:.3f}"),
    ("column_pair_trends", "pairs", "{:.3f}"),
    ("exact_copies", "copies", "{:.2%}"),
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=list(DEFAULT_TABLES),
                        help=f"file names in {DATASETS}, or paths")
    parser.add_argument("--generators", nargs="+", default=list(DEFAULT_GENERATORS))
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS,
                        help="subsample each table to this many rows (seed 0); 0 = all rows")
    parser.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS,
                        help="epochs for the neural generators")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per configuration; timings are the median")
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="seconds before one run is abandoned")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--one", nargs=2, metavar=("TABLE", "GENERATOR"),
                        help=argparse.SUPPRESS)  # internal: run one configuration
    return parser.parse_args(argv)


# --- one configuration, in its own process ---------------------------------------------


def table_path(name: str) -> Path:
    path = Path(name)
    return path if path.exists() else DATASETS / name


def load_rows(name: str, rows: int):
    """Read the table with SynthDesk and keep a random ``rows`` of it (all if 0)."""
    from synthdesk.core.pipeline import load_table

    table, specs = load_table(table_path(name))
    data = table.data
    if 0 < rows < len(data):
        data = data.sample(n=rows, random_state=SEED).reset_index(drop=True)
    return data, specs


def train_once(name: str, generator: str, rows: int, epochs: int) -> dict:
    """Train one configuration through SynthDesk and return its measurements."""
    from synthdesk.core.job import TrainingPlan
    from synthdesk.core.runner import run_training_isolated
    from synthdesk.generators.registry import get_generator

    data, specs = load_rows(name, rows)
    neural_epochs = epochs if get_generator(generator).neural else None
    plan = TrainingPlan(generator=generator, rows=None, seed=SEED, epochs=neural_epochs)
    result = run_training_isolated(data, specs, plan)
    quality = result.quality
    return {
        "fit_s": result.fit_s,
        "sample_s": result.sample_s,
        "score_s": result.evaluate_s,
        "overall": quality.overall,
        "column_shapes": quality.column_shapes,
        "column_pair_trends": quality.column_pair_trends,
        "exact_copies": result.exact_copies,
        "rows": len(data),
        "synthetic_rows": len(result.synthetic),
        "epochs": neural_epochs,
        "epochs_logged": len(result.loss),
    }


def run_one(name: str, generator: str, rows: int, epochs: int) -> int:
    """Entry point of ``--one``: print one JSON result line and exit."""
    try:
        record = train_once(name, generator, rows, epochs)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as data
        details = getattr(exc, "details", None)
        record = {"error": f"{type(exc).__name__}: {exc}",
                  "traceback": details or traceback.format_exc()}
    # RUSAGE_CHILDREN covers only children that have ended: the training process has.
    record["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    record["bench_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(RESULT_PREFIX + json.dumps(record), flush=True)
    return 0


# --- the parent: one subprocess per run, then the table --------------------------------


def spawn_one(args: argparse.Namespace, name: str, generator: str) -> dict:
    """Run one configuration in a fresh interpreter and return its result line."""
    command = [sys.executable, str(Path(__file__).resolve()), "--one", name, generator,
               "--rows", str(args.rows), "--epochs", str(args.epochs)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {args.timeout:.0f} s", "wall_s": args.timeout}
    wall_s = time.perf_counter() - started
    lines = [x for x in done.stdout.splitlines() if x.startswith(RESULT_PREFIX)]
    if not lines:
        return {"error": f"no result (exit code {done.returncode})",
                "traceback": done.stderr[-4000:], "wall_s": wall_s}
    return json.loads(lines[-1][len(RESULT_PREFIX):]) | {"wall_s": wall_s}


def combine(name: str, generator: str, runs: list[dict]) -> dict:
    """One row from ``runs`` of a configuration: median timings, largest peak."""
    failed = [run for run in runs if "error" in run]
    row = {"table": Path(name).stem, "generator": generator, "runs": len(runs)}
    if failed:
        return row | {"error": failed[0]["error"], "traceback": failed[0].get("traceback")}
    first = runs[0]
    row |= {key: first[key] for key in ("rows", "epochs", "overall", "column_shapes",
                                        "column_pair_trends", "exact_copies",
                                        "synthetic_rows", "epochs_logged")}
    row |= {key: statistics.median(run[key] for run in runs) for key in TIMING_KEYS}
    row["peak_mb"] = max(run["peak_mb"] for run in runs)
    row["quality_varied"] = len({run["overall"] for run in runs}) > 1
    return row


def format_cell(value, pattern: str) -> str:
    if value is None:
        return "-"
    return pattern.format(value)


def format_table(rows: list[dict]) -> str:
    """A plain aligned text table; failed runs show their error instead of numbers."""
    header = [label for _, label, _ in COLUMNS]
    body = []
    for row in rows:
        if "error" in row:
            body.append([row["table"], "", row["generator"], f"ERROR: {row['error']}"])
        else:
            body.append([format_cell(row.get(key), fmt) for key, _, fmt in COLUMNS])
    widths = [len(h) for h in header]
    for cells in body:
        if len(cells) == len(header):
            widths = [max(w, len(c)) for w, c in zip(widths, cells, strict=True)]
    lines = [_join(header, widths), _join(["-" * w for w in widths], widths)]
    lines += [_join(cells, widths) for cells in body]
    return "\n".join(lines)


def _join(cells: list[str], widths: list[int]) -> str:
    padded = [c.ljust(w) if i < 3 else c.rjust(w)
              for i, (c, w) in enumerate(zip(cells, widths, strict=False))]
    return "  ".join(padded).rstrip()


def print_settings(args: argparse.Namespace, argv: list[str]) -> None:
    print("command: " + shlex.join([sys.executable, *argv]))
    print(f"tables: {', '.join(args.tables)}")
    print(f"generators: {', '.join(args.generators)}")
    print(f"rows: {args.rows or 'all'} (random, seed {SEED}); epochs (neural): {args.epochs}; "
          f"repeat: {args.repeat} (median timings, max peak MB); seed: {SEED}")
    print("peak MB: max resident set of the spawned training process; "
          "copies: share of synthetic rows equal to a real row", flush=True)


def run_all(args: argparse.Namespace) -> list[dict]:
    configs = [(t, g) for t in args.tables for g in args.generators]
    rows = []
    for index, (name, generator) in enumerate(configs, start=1):
        runs = []
        for attempt in range(1, args.repeat + 1):
            run = spawn_one(args, name, generator)
            runs.append(run)
            status = run.get("error") or f"fit {run['fit_s']:.1f} s, wall {run['wall_s']:.1f} s"
            print(f"[{index}/{len(configs)}] {name} {generator} run {attempt}: {status}",
                  flush=True)
        rows.append(combine(name, generator, runs))
    return rows


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.one:
        return run_one(*args.one, rows=args.rows, epochs=args.epochs)
    print_settings(args, [sys.argv[0], *argv])
    started = time.perf_counter()
    rows = run_all(args)
    total = time.perf_counter() - started
    print()
    print(format_table(rows))
    print(f"\ntotal wall time: {total:.0f} s")
    for row in rows:
        if row.get("traceback"):
            print(f"\n--- {row['table']} {row['generator']} ---\n{row['traceback']}")
    if args.json:
        args.json.write_text(json.dumps({"command": [sys.argv[0], *argv], "rows": rows,
                                         "total_s": total}, indent=2))
    return 1 if any("error" in row for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
