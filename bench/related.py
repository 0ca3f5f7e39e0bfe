"""Related tables: do the link, the sequences and privacy survive, and how fast?

Three real parent-child pairs run through SynthDesk's own pipeline for related tables
(``read_related`` -> ``understand_related`` -> ``run_related_training``: keys found from
the values, 20% of the parents set aside with all their children, protection counted by
parent, fit, sampling as many parents as the real table has, fakes and leak checks):

- ``baseball``: ``lahman_People.csv`` (20,093 players) and ``lahman_Salaries.csv``
  (26,428 salaries; key ``playerID``; ordered by ``yearID``), from ``../shared/datasets``
  (Baseball Databank, CC BY-SA 3.0);
- ``housing``: ``plotnine_txhousing.csv`` as a sequence: the parent table of its 46
  cities is built from it (key ``city``; 187 months each, ordered by ``date``), from
  ``../shared/datasets`` (plotnine, MIT; TAMU real estate center);
- ``gapminder``: Gapminder's countries and their yearly life expectancy, population and
  GDP per head, as shipped in the ``plotly`` package this project already installs
  (``plotly/package_data/datasets/gapminder.csv.gz``; plotly: MIT; data: Gapminder,
  CC BY 4.0). The parent table of its 142 countries (country, continent) is built from
  it; key ``country``, ordered by ``year``.

For the default generator (``cart``: decision trees, each child given its parent and the
child before it) and SDV's ``hma``, it prints per pair:

- ``quality P`` / ``quality C``: SDMetrics' quality of the synthetic parent and child
  tables against the real training rows, beside ``hold P`` / ``hold C``: the real
  holdout's own quality against the same rows (what new real rows score);
- ``valid``: share of synthetic children whose key names a synthetic parent (goal 100%);
- ``KS n``: Kolmogorov-Smirnov distance of children per parent, real vs synthetic,
  beside ``KS n hold``, real training vs real holdout parents (goal: within it);
- ``KS gap``: the same for the gaps between a parent's consecutive children, beside
  ``KS gap hold``;
- ``DCR``: DCR share with each parent and its children as one record (goal <= 0.55;
  with fewer than 1,000 parents set aside, the mean over 25 random cuts of the training
  parents to the holdout's number, see ``evaluation.relations.parent_level_dcr``);
- ``last`` / ``real last``: the latest value of the synthetic children's order column
  (a date or year) beside the real children's (goal: never later);
- ``fit s``, ``sample s``, ``total s``: seconds (total: the whole training call);
- ``load``: the one-minute load average when the configuration started.

Each configuration runs in its own process with a time limit (``--limit``, default 1800
s); one that runs out prints ``timeout``. Run from the repository root::

    .venv/bin/python bench/related.py
    .venv/bin/python bench/related.py --pairs housing gapminder --generators cart
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

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
PAIRS = ("baseball", "housing", "gapminder")
GENERATORS = ("cart", "hma")
COLUMNS = ("pair", "generator", "quality P", "hold P", "quality C", "hold C", "valid",
           "KS n", "KS n hold", "KS gap", "KS gap hold", "DCR", "last", "real last", "fit s",
           "sample s", "total s", "load")


def _gapminder() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "datasets" / "gapminder.csv.gz"


def _pair_files(pair: str, folder: Path) -> tuple[Path, Path]:
    """The pair as two files, building a parent table from a panel where needed."""
    import pandas as pd

    if pair == "baseball":
        return DATASETS / "lahman_People.csv", DATASETS / "lahman_Salaries.csv"
    if pair == "housing":
        child = DATASETS / "plotnine_txhousing.csv"
        cities = pd.read_csv(child)[["city"]].drop_duplicates()
        parent = folder / "cities.csv"
        cities.to_csv(parent, index=False)
        return parent, child
    if pair == "gapminder":
        panel = pd.read_csv(_gapminder())
        parent, child = folder / "countries.csv", folder / "country_years.csv"
        panel[["country", "continent"]].drop_duplicates("country").to_csv(parent, index=False)
        panel[["country", "year", "lifeExp", "pop", "gdpPercap"]].to_csv(child, index=False)
        return parent, child
    raise SystemExit(f"unknown pair {pair!r}")


def measure(pair: str, generator: str) -> dict:
    """One pair with one generator, through SynthDesk's pipeline for related tables."""
    sys.path.insert(0, str(ROOT))
    from synthdesk.core.job import Job, TrainingPlan
    from synthdesk.core.related import (
        ChildSource,
        RelatedJob,
        read_related,
        run_related_training,
        understand_related,
    )
    from synthdesk.evaluation.quality import evaluate_quality

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        parent, child = _pair_files(pair, Path(folder))
        plan = TrainingPlan(generator=generator, holdout=0.2, seed=0)
        job = RelatedJob(Job(parent, Path(folder) / "out", plan=plan), (ChildSource(child),))
        understood = understand_related(read_related(job), job)
        import sdv.multi_table  # noqa: F401 - imported before the clock starts

        started = time.perf_counter()
        result = run_related_training(understood, plan)
        total = time.perf_counter() - started
    from synthdesk.core.related import protect_related

    protected = protect_related(understood, plan)
    names = [t.name for t in understood.tables]
    holdout_quality = []
    for name in names:
        real, hold = protected.real.frames[name], protected.holdout.frames[name]
        columns = {c: m for c, m in protected.real.metadata["tables"][name]["columns"].items()
                   if c in real.columns}
        holdout_quality.append(None if not len(real.columns) else evaluate_quality(
            real, hold, {"tables": {name: {"columns": columns}}}, seed=0).overall)
    relation = result.relations[0]
    sequence = relation["sequence"] or {}
    order = understood.orders[0]
    last = real_last = None
    if order:
        last = _latest(result.tables[1].data[order])
        real_last = _latest(understood.children[0].data[order])
    quality = [result.quality[n].overall if result.quality[n] else None for n in names]
    return {
        "pair": pair, "generator": generator,
        "quality P": quality[0], "hold P": holdout_quality[0],
        "quality C": quality[1], "hold C": holdout_quality[1],
        "valid": relation["valid_parent_share"],
        "KS n": relation["children_per_parent"]["ks_synthetic"],
        "KS n hold": relation["children_per_parent"]["ks_holdout"],
        "KS gap": sequence.get("gap_ks_synthetic"),
        "KS gap hold": sequence.get("gap_ks_holdout"),
        "DCR": result.parent_dcr_share, "last": last, "real last": real_last,
        "fit s": result.timing["fit_s"], "sample s": result.timing["sample_s"],
        "total s": round(total, 1), "load": round(load, 2),
    }


def _latest(column) -> str | None:
    """The latest value of an order column (a number, or a date as text), as text."""
    import pandas as pd

    numbers = pd.to_numeric(column, errors="coerce")
    if numbers.notna().any():
        return f"{numbers.max():g}"
    dates = pd.to_datetime(column, errors="coerce")
    return None if dates.isna().all() else str(dates.max().date())


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


def main() -> None:
    """Run every configuration in its own process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", nargs="+", default=list(PAIRS), choices=PAIRS)
    parser.add_argument("--generators", nargs="+", default=list(GENERATORS),
                        choices=GENERATORS)
    parser.add_argument("--limit", type=int, default=1800,
                        help="seconds one configuration may take")
    parser.add_argument("--one", nargs=2, metavar=("PAIR", "GENERATOR"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        sys.stdout.write(json.dumps(measure(*args.one)) + "\n")
        return
    rows = []
    for pair in args.pairs:
        for generator in args.generators:
            try:
                done = subprocess.run([sys.executable, __file__, "--one", pair, generator],
                                      capture_output=True, text=True, timeout=args.limit,
                                      cwd=ROOT)
                if done.returncode:
                    row = {"pair": pair, "generator": generator,
                           "quality P": "failed: " + done.stderr.strip().splitlines()[-1]}
                else:
                    row = json.loads(done.stdout.strip().splitlines()[-1])
            except subprocess.TimeoutExpired:
                row = {"pair": pair, "generator": generator, "quality P": "timeout",
                       "load": round(os.getloadavg()[0], 2)}
            rows.append(row)
            sys.stdout.write("  ".join(_cell(row.get(c)) for c in COLUMNS) + "\n")
            sys.stdout.flush()
    widths = [max(len(c), *(len(_cell(r.get(c))) for r in rows)) for c in COLUMNS]
    lines = ["  ".join(c.rjust(w) for c, w in zip(COLUMNS, widths, strict=True))]
    lines += ["  ".join(_cell(r.get(c)).rjust(w) for c, w in zip(COLUMNS, widths, strict=True))
              for r in rows]
    sys.stdout.write("\n" + "\n".join(lines) + "\n")
    sys.stdout.write(f"load average now: {os.getloadavg()}\n")


if __name__ == "__main__":
    main()
