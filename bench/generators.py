"""How long does each SynthDesk generator take, how much memory does it need, and how good is it?

For every generator (``gaussian_copula``, ``ctgan``, ``tvae``, ``copulagan``) and every
table, this trains through SynthDesk's real pipeline (``load_table`` then
``run_training_isolated``, the same child-process path the app and the CLI use) and
reports fit, sample and scoring seconds, the peak memory of the training process, the
SDMetrics quality scores and the share of synthetic rows that copy a real row.

Each configuration runs in a fresh subprocess of this script (``--one TABLE GENERATOR``),
which reads ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` once its training child has
ended: the largest resident set of the training process (or of any process it started
and waited for), with nothing left over from earlier runs. Because that is the largest
single process, the subprocess also samples the summed PSS of the whole training tree
(the training process plus the joblib workers it starts) every 0.25 s ("tree MB").

Run from the repository root::

    .venv/bin/python bench/generators.py
    .venv/bin/python bench/generators.py --tables plotnine_diamonds.csv --generators ctgan \
        --rows 2000 --epochs 5 --repeat 3 --json /tmp/bench.json

The defaults (5,000 rows, each neural generator's own epochs as the app trains them (300),
both tables, all four generators, one repeat) take about 10 minutes on an idle two-core
machine; ``--epochs 20`` takes about 2. Torch's threads slow down many times over when
other processes compete for the cores (a 25 s CTGAN fit took 1,000 s at a load of 10),
so run nothing else heavy at the same time and read the ``load`` column first.

To benchmark a fixed commit rather than a working tree that is being edited::

    git archive HEAD synthdesk | tar -x -C /tmp/snap
    PYTHONPATH=/tmp/snap .venv/bin/python bench/generators.py
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

DATASETS = Path("/work/shared/datasets")
DEFAULT_TABLES = ("modeldata_lending_club.csv", "plotnine_diamonds.csv")
DEFAULT_GENERATORS = ("gaussian_copula", "ctgan", "tvae", "copulagan")
DEFAULT_ROWS = 5000
SEED = 0
RESULT_PREFIX = "BENCH-RESULT "
TEXT_COLUMNS = ("table", "generator")  # left-aligned; every other column is a number
TIMING_KEYS = ("fit_s", "sample_s", "score_s", "wall_s", "cpu_s")
FIRST_RUN_KEYS = ("rows", "trained_rows", "epochs", "overall", "column_shapes",
                  "column_pair_trends", "exact_copies", "synthetic_rows", "epochs_logged",
                  "copies_replaced")  # the same in every run of a configuration (same seed)
COLUMNS = (
    ("table", "table", "{}"),
    ("rows", "rows", "{}"),
    ("trained_rows", "trained", "{}"),
    ("generator", "generator", "{}"),
    ("epochs", "epochs", "{}"),
    ("fit_s", "fit s", "{:.1f}"),
    ("sample_s", "sample s", "{:.2f}"),
    ("score_s", "score s", "{:.2f}"),
    ("wall_s", "wall s", "{:.1f}"),
    ("cpu_s", "cpu s", "{:.1f}"),
    ("load", "load", "{:.1f}"),
    ("peak_mb", "peak MB", "{:.0f}"),
    ("tree_mb", "tree MB", "{:.0f}"),
    ("overall", "quality", "{:.3f}"),
    ("column_shapes", "shapes", "{:.3f}"),
    ("column_pair_trends", "pairs", "{:.3f}"),
    ("exact_copies", "copies", "{:.2%}"),
    ("copies_replaced", "replaced", "{}"),
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=list(DEFAULT_TABLES),
                        help=f"file names in {DATASETS}, or paths")
    parser.add_argument("--generators", nargs="+", default=list(DEFAULT_GENERATORS))
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS,
                        help="subsample each table to this many rows (seed 0); 0 = all rows")
    parser.add_argument("--epochs", type=int,
                        help="epochs for the neural generators; by default each one's own "
                             "default in SynthDesk's registry, as the app trains")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per configuration; timings are the median")
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="seconds before one run is abandoned")
    parser.add_argument("--threads", type=int,
                        help="set OMP_NUM_THREADS/MKL_NUM_THREADS for the runs (torch's "
                             "thread count); unset by default, as in the app")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--one", nargs=2, metavar=("TABLE", "GENERATOR"),
                        help=argparse.SUPPRESS)  # internal: run one configuration
    return parser.parse_args(argv)


# --- one configuration, in its own process ---------------------------------------------


class TreeMemory:
    """Peak summed PSS of this process's descendants, sampled in a background thread.

    ``ru_maxrss`` gives the largest single process; the training process also starts
    joblib workers that live through the fit, so this sums them all (PSS shares the
    pages they have in common fairly instead of counting them in every process).
    """

    def __init__(self, interval: float = 0.25):
        self.interval = interval
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            total_kb = sum(_pss_kb(pid) for pid in _descendants(os.getpid()))
            self.peak_mb = max(self.peak_mb, total_kb / 1024)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in text.splitlines()
                 if line.startswith("Pss:")), 0)


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


def trained_rows(data, plan) -> int:
    """Rows the generator learns from: SynthDesk sets a holdout share aside (if it does)."""
    from synthdesk.core import pipeline

    if not hasattr(plan, "holdout_share"):  # SynthDesk before the holdout
        return len(data)
    train, _ = pipeline.split_holdout(data, plan.holdout_share(len(data)), plan.seed)
    return len(train)


def train_once(name: str, generator: str, rows: int, epochs: int | None) -> dict:
    """Train one configuration through SynthDesk and return its measurements."""
    from synthdesk.core.job import TrainingPlan
    from synthdesk.core.pipeline import run_training_isolated
    from synthdesk.generators.registry import get_generator

    data, specs = load_rows(name, rows)
    info = get_generator(generator)
    plan = TrainingPlan(generator=generator, rows=None, seed=SEED,
                        epochs=epochs if info.neural else None)
    with TreeMemory() as memory:
        result = run_training_isolated(data, specs, plan)
    quality = result.quality
    return {
        "tree_mb": memory.peak_mb,
        "fit_s": result.fit_s,
        "sample_s": result.sample_s,
        "score_s": result.evaluate_s,
        "overall": quality.overall,
        "column_shapes": quality.column_shapes,
        "column_pair_trends": quality.column_pair_trends,
        "exact_copies": result.exact_copies,
        "rows": len(data),
        "trained_rows": trained_rows(data, plan),
        "synthetic_rows": len(result.synthetic),
        "epochs": (epochs or info.default_epochs) if info.neural else None,
        "epochs_logged": len(result.loss),
        # Rows that copied a real row and were drawn again (absent in older SynthDesk).
        "copies_replaced": getattr(getattr(result, "protection", None), "copies_replaced", None),
    }


def run_one(name: str, generator: str, rows: int, epochs: int | None) -> int:
    """Entry point of ``--one``: print one JSON result line and exit."""
    try:
        record = train_once(name, generator, rows, epochs)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as data
        details = getattr(exc, "details", None)
        record = {"error": f"{type(exc).__name__}: {exc}",
                  "traceback": details or traceback.format_exc()}
    # RUSAGE_CHILDREN covers only children that have ended: the training process has.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    record["peak_mb"] = children.ru_maxrss / 1024
    record["cpu_s"] = children.ru_utime + children.ru_stime
    record["bench_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(RESULT_PREFIX + json.dumps(record), flush=True)
    return 0


# --- the parent: one subprocess per run, then the table --------------------------------


def spawn_one(args: argparse.Namespace, name: str, generator: str) -> dict:
    """Run one configuration in a fresh interpreter and return its result line."""
    command = [sys.executable, str(Path(__file__).resolve()), "--one", name, generator,
               "--rows", str(args.rows)]
    if args.epochs is not None:
        command += ["--epochs", str(args.epochs)]
    env = os.environ.copy()
    if args.threads:
        env |= {"OMP_NUM_THREADS": str(args.threads), "MKL_NUM_THREADS": str(args.threads)}
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout,
                              check=False, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {args.timeout:.0f} s", "wall_s": args.timeout}
    wall_s = time.perf_counter() - started
    load = max(load_before, os.getloadavg()[0])
    lines = [x for x in done.stdout.splitlines() if x.startswith(RESULT_PREFIX)]
    if not lines:
        return {"error": f"no result (exit code {done.returncode})",
                "traceback": done.stderr[-4000:], "wall_s": wall_s}
    return json.loads(lines[-1][len(RESULT_PREFIX):]) | {"wall_s": wall_s, "load": load}


def combine(name: str, generator: str, runs: list[dict]) -> dict:
    """One row from ``runs`` of a configuration: median timings, largest peak."""
    failed = [run for run in runs if "error" in run]
    row = {"table": Path(name).stem, "generator": generator, "runs": len(runs)}
    if failed:
        return row | {"error": failed[0]["error"], "traceback": failed[0].get("traceback")}
    first = runs[0]
    row |= {key: first[key] for key in FIRST_RUN_KEYS}
    row |= {key: statistics.median(run[key] for run in runs) for key in TIMING_KEYS}
    row["peak_mb"] = max(run["peak_mb"] for run in runs)
    row["tree_mb"] = max(run["tree_mb"] for run in runs)
    row["bench_peak_mb"] = max(run["bench_peak_mb"] for run in runs)
    row["load"] = max(run["load"] for run in runs)
    row["quality_varied"] = len({run["overall"] for run in runs}) > 1
    return row


def format_cell(value, pattern: str) -> str:
    if value is None:
        return "-"
    return pattern.format(value)


def format_table(rows: list[dict]) -> str:
    """A plain aligned text table; failed runs show their error after their names."""
    header = [label for _, label, _ in COLUMNS]
    body = [_cells(row) for row in rows]
    widths = [len(h) for h in header]
    for cells in body:
        if len(cells) == len(header):
            widths = [max(w, len(c)) for w, c in zip(widths, cells, strict=True)]
    lines = [_join(header, widths), _join(["-" * w for w in widths], widths)]
    lines += [_join(cells, widths) for cells in body]
    return "\n".join(lines)


def _cells(row: dict) -> list[str]:
    if "error" not in row:
        return [format_cell(row.get(key), fmt) for key, _, fmt in COLUMNS]
    names = [row.get(key, "") if key in TEXT_COLUMNS else "" for key, _, _ in COLUMNS]
    last = max(i for i, (key, _, _) in enumerate(COLUMNS) if key in TEXT_COLUMNS)
    return [*names[: last + 1], f"ERROR: {row['error']}"]


def _join(cells: list[str], widths: list[int]) -> str:
    keys = [key for key, _, _ in COLUMNS]
    padded = [c.ljust(w) if keys[i] in TEXT_COLUMNS else c.rjust(w)
              for i, (c, w) in enumerate(zip(cells, widths, strict=False))]
    if len(cells) > len(widths):  # an error message after the columns it spans
        padded.append(cells[-1])
    return "  ".join(padded).rstrip()


def synthdesk_origin() -> str:
    """Where ``synthdesk`` is imported from, and its git commit if it is a checkout."""
    spec = importlib.util.find_spec("synthdesk")
    if spec is None or spec.origin is None:
        return "not importable"
    folder = Path(spec.origin).parent
    git = ["git", "-C", str(folder)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()
    if not commit:
        return f"{folder} (not a git checkout)"
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "."], capture_output=True,
                           text=True, check=False).stdout.strip()
    return f"{folder} (git {commit}{', with uncommitted changes' if dirty else ''})"


def print_settings(args: argparse.Namespace, argv: list[str]) -> None:
    pythonpath = os.environ.get("PYTHONPATH")
    prefix = [f"PYTHONPATH={pythonpath}"] if pythonpath else []
    print("command: " + shlex.join([*prefix, sys.executable, *argv]))
    print(f"synthdesk: {synthdesk_origin()}")
    print(f"tables: {', '.join(args.tables)}")
    print(f"generators: {', '.join(args.generators)}")
    epochs = args.epochs or "each generator's SynthDesk default"
    print(f"rows: {args.rows or 'all'} (random, seed {SEED}); epochs (neural): {epochs}; "
          f"repeat: {args.repeat} (median timings, max peak MB); seed: {SEED}; "
          f"threads: {args.threads or 'unset (torch default)'}")
    print(f"machine: {os.cpu_count()} cores; load at start {os.getloadavg()[0]:.1f}")
    print("cpu s: user+sys seconds of the training process; load: 1-min load average "
          "(max of before/after the run); peak MB: max resident set of the training "
          "process (ru_maxrss); tree MB: peak summed PSS of the training process and the "
          "workers it starts; copies: share of synthetic rows equal to a real row; "
          "replaced: rows SynthDesk redrew because they copied a real row", flush=True)


def run_all(args: argparse.Namespace) -> list[dict]:
    configs = [(t, g) for t in args.tables for g in args.generators]
    rows = []
    for index, (name, generator) in enumerate(configs, start=1):
        runs = []
        for attempt in range(1, args.repeat + 1):
            run = spawn_one(args, name, generator)
            runs.append(run)
            status = run.get("error") or (f"fit {run['fit_s']:.1f} s, wall {run['wall_s']:.1f} s, "
                                          f"quality {run['overall']:.4f}")
            print(f"[{index}/{len(configs)}] {name} {generator} run {attempt}: {status}",
                  flush=True)
            if "error" in run:
                break  # the same configuration would fail again
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
