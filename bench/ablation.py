"""Where does the decision trees' fidelity go? Each setting of SynthDesk's trees, one at a time.

Every variant is SynthDesk's decision-tree generator (``CartGenerator``) with some of its
settings changed, run through the user's pipeline on the training part of the anchors'
tables (``bench/anchors.py``: the same 80/20 split, seed 0, ``--holdout 0``), and scored by
the anchors' scorer (``bench/anchors_score.py``: mostlyai-qa and SDMetrics plus TSTR, in
the anchors venv). The pipeline's own protections (rare categories hidden, extremes pulled
in, copies of rare rows replaced, the leak guard) run for every variant: what varies is
what the generator adds on top of them and how it draws.

Variants (``--variants``, comma-separated; default: all):

- ``default``: ``CartGenerator()`` as it ships;
- ``old``: the settings before this benchmark (leaves of 30, min_gain 1e-4, kernel 0.5 of
  Silverman on every number but spikes, categories under 10 rows pooled, copy guard,
  order binary-last), and ``none``: every protection of the generator off (leaves of 5,
  min_gain 1e-8 as synthpop's defaults, no kernel, no pooling, no copy guard);
- ``only-copy``, ``only-pool``, ``only-smooth``, ``only-leaf``: ``none`` with one of the
  old protections back on;
- ``leaf5``, ``leaf10``, ``gain0``: ``old`` with leaves of 5 or 10 rows, or min_gain 1e-8;
- ``smooth0``, ``smooth0.25``, ``smooth1``: ``old`` with another kernel width;
- ``order-data``, ``order-distinct``, ``order-many``: ``old`` with another column order;
- ``draw-donor``, ``draw-grid``, ``draw-shared``: ``old`` drawing numbers within a leaf as
  a donor's value, the kernel snapped to the column's step, or the donor's value when 5
  people of the column hold it (else a draw between the leaf's neighbouring values, on
  the donor's round step);
- ``new-*``: the same variations around ``default``, to check that each of its choices
  still helps: ``new-leaf10``, ``new-leaf30``, ``new-kernel``, ``new-order-old``,
  ``new-pool10``, ``new-gain``.

Printed per table and variant: ``acc``, ``disc``, ``DCR`` (mostlyai-qa's accuracy,
discriminator AUC, DCR share), ``TSTR``, ``copies`` (share of rows equal to a training row;
the holdout line gives the real holdout's share, the reference), ``fit+sample s`` (the
generator's own seconds) and ``CPU s`` (the whole in-process job). Then the mean over the
tables per variant. Run from the repository root, one heavy process at a time::

    nice -n 5 .venv/bin/python bench/ablation.py --rows 3000
    nice -n 5 .venv/bin/python bench/ablation.py --rows 3000 --tables salaries,txhousing \\
        --variants old,default,draw-shared

``--venv`` (or ``$ANCHORS_VENV``) names the anchors venv of ``bench/anchors_setup.sh``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import anchors  # bench/anchors.py: the tables, their split and the scorer's venv
import pandas as pd

ROOT = anchors.ROOT
sys.path.insert(0, str(ROOT))

from synthdesk.core.job import Job, TrainingPlan  # noqa: E402
from synthdesk.core.pipeline import run_job  # noqa: E402
from synthdesk.generators.cart import CartGenerator  # noqa: E402

OLD = {"min_leaf": 30, "min_gain": 1e-4, "smoothing": 0.5, "rare_count": 10,
       "remove_copies": True, "order": "binary-last", "numbers": "kernel"}
NONE = {**OLD, "min_leaf": 5, "min_gain": 1e-8, "smoothing": 0.0, "rare_count": 0,
        "remove_copies": False}
VARIANTS: dict[str, dict] = {
    "default": {},
    "old": OLD,
    "none": NONE,
    "only-copy": {**NONE, "remove_copies": True},
    "only-pool": {**NONE, "rare_count": 10},
    "only-smooth": {**NONE, "smoothing": 0.5},
    "only-leaf": {**NONE, "min_leaf": 30, "min_gain": 1e-4},
    "leaf5": {**OLD, "min_leaf": 5},
    "leaf10": {**OLD, "min_leaf": 10},
    "gain0": {**OLD, "min_gain": 1e-8},
    "smooth0": {**OLD, "smoothing": 0.0},
    "smooth0.25": {**OLD, "smoothing": 0.25},
    "smooth1": {**OLD, "smoothing": 1.0},
    "order-data": {**OLD, "order": "data"},
    "order-distinct": {**OLD, "order": "distinct"},
    "order-many": {**OLD, "order": "many-first"},
    "draw-donor": {**OLD, "numbers": "donor"},
    "draw-grid": {**OLD, "numbers": "grid"},
    "draw-shared": {**OLD, "numbers": "shared"},
    "new-leaf10": {"min_leaf": 10},
    "new-leaf30": {"min_leaf": 30},
    "new-kernel": {"numbers": "kernel"},
    "new-order-old": {"order": "binary-last"},
    "new-pool10": {"rare_count": 10},
    "new-gain": {"min_gain": 1e-4},
}
COLUMNS = (("table", "{}"), ("variant", "{}"), ("acc", "{:.3f}"), ("disc", "{:.3f}"),
           ("DCR", "{:.3f}"), ("TSTR", "{:.3f}"), ("copies", "{:.3f}"),
           ("fit+sample s", "{:.1f}"), ("CPU s", "{:.1f}"))
MEANS = ("acc", "disc", "DCR", "TSTR", "copies", "fit+sample s", "CPU s")

# The variants' generator classes live in this module, so that the pipeline finds each by
# its "module:Class" name (synthdesk.generators.registry.get_generator).
_MODULE = types.ModuleType("synthdesk_ablation_variants")
sys.modules[_MODULE.__name__] = _MODULE


def _generator(name: str) -> str:
    """The pipeline's name for variant NAME's generator class."""
    settings = VARIANTS[name]
    class_name = "V_" + "".join(ch if ch.isalnum() else "_" for ch in name)

    def __init__(self, seed=0, **kwargs):
        CartGenerator.__init__(self, seed=seed, **{**settings, **kwargs})

    setattr(_MODULE, class_name, type(class_name, (CartGenerator,), {"__init__": __init__}))
    return f"{_MODULE.__name__}:{class_name}"


def _run(variant: str, train: Path, folder: Path) -> dict:
    output = folder / f"{train.stem}_{variant}.csv"
    plan = TrainingPlan(generator=_generator(variant), holdout=0, seed=anchors.SEED)
    cpu = time.process_time()
    result = run_job(Job(input=train, output=output, plan=plan), isolated=False)
    timing = result.timing
    return {"output": output, "cpu_s": time.process_time() - cpu,
            "fit_sample_s": timing["fit_s"] + timing["sample_s"]}


def _score(name: str, train: Path, holdout: Path, outputs: dict[str, Path],
           folder: Path, venv: Path) -> dict:
    table = anchors.TABLES[name]
    columns = list(pd.read_csv(train, nrows=0).columns)
    for path in outputs.values():  # columns the pipeline replaced or dropped are not scored
        present = set(pd.read_csv(path, nrows=0).columns)
        columns = [c for c in columns if c in present]
    spec = {"train": str(train), "holdout": str(holdout), "columns": columns,
            "target": table.target, "positive": table.positive,
            "synthetic": {variant: str(path) for variant, path in outputs.items()},
            "out": str(folder / f"{name}_ablation_scores.json")}
    spec_path = folder / f"{name}_ablation_spec.json"
    spec_path.write_text(json.dumps(spec))
    done = subprocess.run([str(venv / "bin" / "python"), str(anchors.BENCH / "anchors_score.py"),
                           str(spec_path)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"{name}: scoring failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return {}
    return json.loads(Path(spec["out"]).read_text())


def _table(name: str, variants: list[str], rows: int | None, folder: Path,
           venv: Path) -> list[dict]:
    train, holdout, _, _ = anchors._split(name, anchors.TABLES[name], rows, folder)
    runs = {variant: _run(variant, train, folder) for variant in variants}
    scores = _score(name, train, holdout, {v: r["output"] for v, r in runs.items()}, folder,
                    venv)
    lines = []
    for variant in [*variants, "holdout"]:
        figures, run = scores.get(variant, {}), runs.get(variant, {})
        lines.append({"table": name, "variant": variant, "acc": figures.get("acc"),
                      "disc": figures.get("disc"), "DCR": figures.get("dcr"),
                      "TSTR": figures.get("tstr"), "copies": figures.get("copies"),
                      "fit+sample s": run.get("fit_sample_s"), "CPU s": run.get("cpu_s")})
    return lines


def _means(lines: list[dict], variants: list[str]) -> list[dict]:
    out = []
    for variant in [*variants, "holdout"]:
        mine = [line for line in lines if line["variant"] == variant]
        mean = {"table": "mean", "variant": variant}
        for key in MEANS:
            values = [line[key] for line in mine if line[key] is not None]
            mean[key] = sum(values) / len(values) if values else None
        out.append(mean)
    return out


def _print(lines: list[dict]) -> None:
    print("| " + " | ".join(name for name, _ in COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for line in lines:
        print("| " + " | ".join(anchors._cell(line[name], form) for name, form in COLUMNS)
              + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=lambda t: anchors._names(t, anchors.TABLES),
                        default=list(anchors.TABLES), help="comma-separated (default: all)")
    parser.add_argument("--variants", type=lambda t: anchors._names(t, VARIANTS),
                        default=list(VARIANTS), help="comma-separated (default: all)")
    parser.add_argument("--rows", type=int, help="at most this many rows per table (a sample, "
                        "seed 0, before the 80/20 split)")
    parser.add_argument("--venv", type=Path,
                        default=Path(os.environ.get("ANCHORS_VENV",
                                                    anchors.BENCH / ".venv-anchors")),
                        help="venv of bench/anchors_setup.sh")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()
    if not (args.venv / "bin" / "python").exists():
        parser.error(f"no anchors venv at {args.venv}: run bench/anchors_setup.sh first")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores; rows {args.rows or 'all'}", flush=True)
    lines: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="synthdesk-ablation-") as folder:  # real rows
        for name in args.tables:
            table_lines = _table(name, args.variants, args.rows, Path(folder), args.venv)
            lines += table_lines
            _print(table_lines)
            sys.stdout.flush()
    if len(args.tables) > 1:
        print("\nMean over the tables:")
        _print(_means(lines, args.variants))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps(lines, indent=1))


if __name__ == "__main__":
    main()
