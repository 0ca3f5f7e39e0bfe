"""Fit the estimate's coefficients to measured jobs, and say how far off the estimate was.

    .venv/bin/python bench/job_time.py --json runs.jsonl      # measure (any tables, loads)
    .venv/bin/python bench/fit_estimate.py runs.jsonl         # fit and compare

Each run of this checkout in ``runs.jsonl`` (the ``--against`` runs are left out) holds
the seconds of every phase, the load average before and after, and its estimate's terms
(``synthdesk.core.estimate.job_terms``, kept in the report). Each phase's seconds are
divided by the slowdown the load explains (``machine_slowdown`` of the mean of the two
load averages), then the coefficients of each (phase, model) row of
``synthdesk.core.estimate.COEFFICIENTS`` are fitted by non-negative least squares on the
relative error (small and large tables weigh alike). A row with fewer runs than terms
keeps its coefficients. The script prints the rows to paste into ``COEFFICIENTS``, then,
table by table, the total that the current coefficients and the fitted ones give (times
the slowdown and ``_MARGIN``) beside the actual total.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.optimize import nnls

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synthdesk.core import estimate  # noqa: E402


def _runs(path: Path) -> list[dict]:
    runs = []
    for line in path.read_text().splitlines():
        run = json.loads(line)
        if run.get("code") == "this" and "error" not in run and \
                (run.get("estimate") or {}).get("terms"):
            runs.append(run)
    return runs


def _slowdown(run: dict) -> float:
    return estimate.machine_slowdown((run["load_before"] + run["load_after"]) / 2)


def fit(runs: list[dict]) -> dict[tuple[str, str], dict[str, float]]:
    """The coefficients fitted to ``runs`` (rows with too few runs keep theirs)."""
    rows = defaultdict(list)
    for run in runs:
        slowdown = _slowdown(run)
        for phase, (model, counts) in run["estimate"]["terms"].items():
            seconds = run["actual"][phase] / slowdown
            if seconds > 0.005:
                rows[phase, model].append((counts, seconds))
    fitted = {key: dict(value) for key, value in estimate.COEFFICIENTS.items()}
    for key, samples in rows.items():
        names = list(estimate.COEFFICIENTS[key])
        x = np.array([[counts.get(n, 0.0) for n in names] for counts, _ in samples])
        y = np.array([seconds for _, seconds in samples])
        used = [i for i in range(len(names)) if x[:, i].any()]
        if len(samples) < len(used):
            continue
        weights = 1 / y
        solution, _ = nnls(x[:, used] * weights[:, None], y * weights)
        for i, value in zip(used, solution, strict=True):
            fitted[key][names[i]] = float(f"{value:.2g}")
    return fitted


def _total(run: dict, coefficients) -> float:
    seconds = sum(coefficients[phase, model].get(name, 0.0) * value
                  for phase, (model, counts) in run["estimate"]["terms"].items()
                  for name, value in counts.items())
    return seconds * estimate._MARGIN * run["estimate"].get("slowdown", 1.0)


def main() -> int:
    """Fit, print the coefficients and each run's estimate beside its actual total."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=Path, help="JSON lines from bench/job_time.py --json")
    args = parser.parse_args()
    runs = _runs(args.runs)
    if not runs:
        print("no runs of this checkout with an estimate's terms")
        return 1
    fitted = fit(runs)
    print("COEFFICIENTS = {")
    for (phase, model), values in fitted.items():
        print(f"    ({phase!r}, {model!r}): {values},")
    print("}")
    print(f"{'table':9} {'load':>5} {'actual':>8} {'now':>8} {'ratio':>6} "
          f"{'fitted':>8} {'ratio':>6}")
    for run in runs:
        actual = run["actual"]["total"]
        now, new = _total(run, estimate.COEFFICIENTS), _total(run, fitted)
        print(f"{run['table']:9} {run['load_before']:5.2f} {actual:8.1f} {now:8.1f} "
              f"{now / actual:6.2f} {new:8.1f} {new / actual:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
