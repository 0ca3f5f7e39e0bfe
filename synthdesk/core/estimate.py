"""One estimate of the whole job, phase by phase: the window, the CLI and the report use it.

:func:`estimate_job` gives a :class:`JobEstimate` from the table's shape, the generator
(``auto`` resolved to the generator it would choose, so both give one figure), the epochs
and the rows to generate; :func:`estimate_for` counts those from a table, its columns and a
plan. The progress bar's phases take their shares from it (:meth:`JobEstimate.bar`).

Where the numbers come from: ``bench/job_time.py --json`` measured the whole job through
``synthdesk run`` on this project's 2-core development machine: 21 runs on the riots,
penguins, Lending Club, wide, baseball players, adult, diamonds, 336,776-row and
1,000,000-row tables with the default generator (the trees), the copula on six of them,
TVAE (5 epochs) on three and CTGAN (3 epochs) on two; one run each of TVAE (8 epochs) and
CTGAN (4 epochs) timing every epoch on the Lending Club table (an epoch of CTGAN took 3.4
times one of TVAE); then the eight tables of the benchmark again once the copy checks and
the chunked output had become faster, to which protecting, the trees' learning and
generating, checking and writing were fitted anew (the copula's generating terms are from
before, when copy checks cost more, so they are high). The machine was shared (load 0.5 to
7), so each phase's seconds were first divided by max(1, load / 2), the slowdown of one
process on two busy cores; then the terms below were fitted by non-negative least squares
on the logarithm of the time (small and large tables weigh alike). Generating and scoring
depend on the data as well as on its shape (how often the trees reproduce a real row, which
the copy checks then replace), so they are the least certain phases. These are orders of
magnitude for a comparable computer, not promises; ``bench/job_time.py`` prints each phase
beside its estimate to check them again.

Since then every estimate is multiplied by the slowdown the machine's load explains when it
is made (:func:`machine_slowdown`), and once scoring and the trees' generating were made
faster, every single-table row of :data:`COEFFICIENTS` but the copula's and the neural
generators' was fitted again (``bench/fit_estimate.py``) to 16 runs of the eight tables,
two of each at loads 3.5 to 7.4 from other programs on the 2-core machine. The same table
took up to twice as long in one run as in the other at the same load average, so on such a
machine no figure is within 1.5 times of every run (estimate/actual 0.5 to 2.0 over the
16). To refit after a change to a generator or a phase::

    nice .venv/bin/python bench/job_time.py --json runs.jsonl
    .venv/bin/python bench/fit_estimate.py runs.jsonl

``fit_estimate.py`` prints :data:`COEFFICIENTS` fitted to the runs (each phase divided by
the slowdown of its load) and each table's estimate/actual with the current and the
fitted coefficients; paste the rows that improve the fit.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from synthdesk.core.job import TrainingPlan
from synthdesk.core.spill import held_rows
from synthdesk.generators.choice import choose_generator
from synthdesk.generators.registry import AUTO_GENERATOR, get_generator
from synthdesk.privacy.fakes import FAKER_METHODS
from synthdesk.progress import Phase, PhaseBar, describe_duration
from synthdesk.schema.columns import Action, ColumnSpec, Kind
from synthdesk.schema.metadata import modelled_columns

__all__ = ["JobEstimate", "estimate_job", "estimate_for", "estimate_related", "job_terms",
           "machine_slowdown",
           "COEFFICIENTS",
           "describe_duration", "PHASES"]

# The phases of a job in the order they run, and the stage a person sees each as.
PHASES = {"read": "preparing", "start": "preparing", "protect": "preparing",
          "fit": "learning", "sample": "generating", "check": "scoring", "score": "scoring",
          "write": "scoring"}
# Kinds held as text, whose cells cost more to read, compare and score than numbers.
_TEXT_KINDS = (Kind.CATEGORY, Kind.TEXT, Kind.IDENTIFIER)
# Phases the Train page waits for (reading is done before it, writing after it).
_TRAINING = ("start", "protect", "fit", "sample", "check", "score")

# --- coefficients ------------------------------------------------------------------------
# Seconds on a machine with no other work, per phase and per model ("all" where every
# generator alike), for each term of job_terms(): "fixed" (mostly loading libraries) and
# counts of "cells" (one row of one column). "Text" cells are those of categories, text and
# identifiers: reading profiles them, and the copy checks behind generating and scoring
# compare them value by value, so they cost more than numbers. bench/fit_estimate.py refits
# them from bench/job_time.py --json (see README: "How long a job takes").
COEFFICIENTS: dict[tuple[str, str], dict[str, float]] = {
    # input text cells; every cell of a file too large to read whole (two streaming
    # passes: the 1,000,000 x 20 table, 6 s at load 4).
    ("read", "all"): {"fixed": 0.28, "text_cells": 7.0e-7, "file_cells": 1.5e-7},
    # input and held output cells (sent to the training process and back)
    ("start", "all"): {"fixed": 0.82, "moved_cells": 4.4e-8},
    ("protect", "all"): {"fixed": 0.027, "cells": 6.4e-8, "text_cells": 9.7e-8},
    # learned cells (the trees learn from at most _CART_FIT_ROWS rows); neural: learned
    # cells (each column's shape) and epochs x learned cells (TVAE trains one network, the
    # GANs two: _NEURAL_EPOCH_FACTOR).
    ("fit", "cart"): {"fixed": 1.1, "cells": 2.4e-6, "text_cells": 0.0},
    ("fit", "gaussian_copula"): {"fixed": 2.2, "cells": 9.6e-7, "text_cells": 3.5e-5},
    ("fit", "neural"): {"fixed": 4.8, "cells": 1.1e-4, "epoch_cells": 2.2e-5},
    # output cells, output text cells (the copy guard compares them)
    ("sample", "cart"): {"fixed": 0.055, "cells": 8.4e-9, "text_cells": 1.7e-6},
    ("sample", "gaussian_copula"): {"fixed": 0.07, "cells": 0.0, "text_cells": 8.5e-6},
    ("sample", "neural"): {"fixed": 0.1, "cells": 5.1e-6, "text_cells": 0.0},
    # output text cells (the leak guard looks at every text value); values drawn from
    # Faker for replaced columns (at most _FAKE_POOL a column; fresh identifiers cost next
    # to nothing; the baseball players' idle run, 35.6 s for 60,279 names).
    ("check", "all"): {"fixed": 0.022, "text_cells": 9.5e-8, "fakes": 4.2e-4},
    # held text cells (exact copies); distances from set-aside real rows to learned ones
    # (at most _DISTANCE_ROWS of each); compared cells (at most _SCORED_ROWS rows).
    ("score", "all"): {"fixed": 0.14, "text_cells": 0.0, "distances": 0.0,
                       "compared_cells": 7.8e-6},
    ("write", "all"): {"fixed": 0.011, "cells": 4.3e-7},
}
_CART_FIT_ROWS = 250_000
_NEURAL_EPOCH_FACTOR = {"tvae": 0.3}
_SCORED_ROWS = 20_000
_FAKE_POOL = 50_000
_DISTANCE_ROWS = 5_000
# The machine's load: a job on a machine whose other work keeps L threads runnable gets
# a share cores / (L + _OWN_THREADS) of the processors it would have alone (mostly one
# thread at a time: the trees, the reading; scoring uses two), so it runs that much slower
# once L + _OWN_THREADS passes the cores. The load is read (os.getloadavg, one minute)
# when an estimate is made, at most every _LOAD_TTL seconds, so that the figures shown
# together (each generator's on the Method page) are of one load.
_OWN_THREADS = 1.0
_LOAD_TTL = 30.0
# Every estimate is this much longer than the figures above times the slowdown: finishing
# a little early is better than late, and the load changes while the job runs. 1.4 centres
# the 16 runs the coefficients were fitted to (see the module's docstring).
_MARGIN = 1.4
_load: list[float] = [float("-inf"), 1.0]  # when the load was read, the slowdown then


@dataclass(frozen=True)
class JobEstimate:
    """How long each phase of one job is expected to take, in seconds.

    Attributes:
        generator: The generator the job will fit (``auto`` already resolved).
        rows: Rows of the input.
        columns: Columns of the input.
        learned_columns: Columns the generator learns.
        output_rows: Rows to generate.
        epochs: Epochs of a neural generator (None for the others).
        read_s: Reading and understanding the file.
        start_s: Starting the training process, and taking its output back.
        protect_s: Setting rows aside and hiding rare values.
        fit_s: Learning.
        sample_s: Generating the rows (copies of real rows replaced).
        check_s: Filling replaced columns with fakes, and the privacy checks.
        score_s: The scores.
        write_s: Writing the table and the report.
        slowdown: How much slower than alone the machine's other work made every phase
            (1.0: it had a core to spare), already in the seconds above.
        terms: What each phase's seconds were computed from (:func:`job_terms`), kept in
            reports so that the coefficients can be fitted to them again.

    """

    generator: str
    rows: int
    columns: int
    learned_columns: int
    output_rows: int
    epochs: int | None
    read_s: float
    start_s: float
    protect_s: float
    fit_s: float
    sample_s: float
    check_s: float
    score_s: float
    write_s: float
    slowdown: float = 1.0
    terms: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def total_s(self) -> float:
        """The whole job, reading to writing."""
        return sum(self.seconds(phase) for phase in PHASES)

    @property
    def training_s(self) -> float:
        """What the Train page waits for: starting the training process to scoring."""
        return sum(self.seconds(phase) for phase in _TRAINING)

    def seconds(self, phase: str) -> float:
        """The seconds of one phase (a key of :data:`PHASES`)."""
        return getattr(self, f"{phase}_s")

    def in_words(self) -> str:
        """The training time as a person says it ("about 2 minutes")."""
        return describe_duration(self.training_s)

    def bar(self, *, reading: bool = False, writing: bool = False) -> PhaseBar:
        """The progress bar's phases with their shares: training, or the whole job."""
        names = [*(["read"] if reading else []), *_TRAINING, *(["write"] if writing else [])]
        return PhaseBar([Phase(name, PHASES[name], self.seconds(name)) for name in names])

    def to_dict(self) -> dict:
        """Plain data for the report and ``synthdesk inspect``."""
        seconds = {phase: round(self.seconds(phase), 1) for phase in PHASES}
        seconds["total"] = round(self.total_s, 1)
        return {"generator": self.generator, "rows": self.rows, "columns": self.columns,
                "learned_columns": self.learned_columns, "output_rows": self.output_rows,
                "epochs": self.epochs, "seconds": seconds, "slowdown": round(self.slowdown, 2),
                "training_s": round(self.training_s, 1), "training": self.in_words(),
                "terms": {phase: [model, dict(counts)]
                          for phase, (model, counts) in self.terms.items()}}


def estimate_job(rows: int, columns: int, generator: str = AUTO_GENERATOR, *,
                 learned_columns: int | None = None, text_columns: int = 0,
                 all_text_columns: int | None = None, replaced_columns: int = 0,
                 faked_columns: int | None = None, epochs: int | None = None,
                 output_rows: int | None = None,
                 holdout_share: float | None = None,
                 file_rows: int | None = None, slowdown: float | None = None) -> JobEstimate:
    """Estimate every phase of a job on a table of ``rows`` x ``columns``.

    Args:
        rows: Rows of the input.
        columns: Columns of the input.
        generator: A generator's name, or ``auto`` (resolved as the pipeline resolves it).
        learned_columns: Columns the generator learns (all of them when None).
        text_columns: Learned columns of categories, text or identifiers.
        all_text_columns: Such columns in the whole input (``text_columns`` and the
            replaced ones when None).
        replaced_columns: Columns filled with fakes (or consistent fakes) after generating.
        faked_columns: Those of them whose fakes come from Faker (names, addresses...),
            which take longer than fresh identifiers (all of them when None).
        epochs: Epochs for a neural generator (its default when None).
        output_rows: Rows to generate (as many as the input when None).
        holdout_share: Share of rows set aside (the plan's default when None).
        file_rows: Rows of the file when ``rows`` are a sample of it (a file too large
            to read whole); reading passes over all of them.
        slowdown: How much slower than alone the job will run (:func:`machine_slowdown`,
            from the machine's load now, when None).

    """
    rows, columns = max(int(rows), 1), max(int(columns), 1)
    learned = max(int(learned_columns if learned_columns is not None else columns), 1)
    text = min(max(int(text_columns), 0), learned)
    text_all = all_text_columns if all_text_columns is not None else text + replaced_columns
    faked_columns = replaced_columns if faked_columns is None else faked_columns
    out_rows = max(int(output_rows or rows), 1)
    share = TrainingPlan(holdout=holdout_share).holdout_share(rows)
    learned_rows = max(rows - int(rows * share), 1)
    if generator == AUTO_GENERATOR:
        generator = choose_generator(learned_rows, learned).name
    info = get_generator(generator)
    epochs = (epochs or info.default_epochs or 300) if info.neural else None
    terms = job_terms(rows, columns, generator, learned, text, text_all, faked_columns,
                      out_rows, learned_rows, epochs, file_rows)
    seconds = {phase: sum(COEFFICIENTS[phase, model][name] * value
                          for name, value in counts.items())
               for phase, (model, counts) in terms.items()}
    slowdown = machine_slowdown() if slowdown is None else max(1.0, float(slowdown))
    return JobEstimate(generator=generator, rows=rows, columns=columns,
                       learned_columns=learned, output_rows=out_rows, epochs=epochs,
                       slowdown=slowdown, terms=terms,
                       **{f"{phase}_s": value * _MARGIN * slowdown
                          for phase, value in seconds.items()})


def job_terms(rows: int, columns: int, generator: str, learned: int, text: int,
              text_all: int, faked: int, out_rows: int, learned_rows: int,
              epochs: int | None, file_rows: int | None = None,
              ) -> dict[str, tuple[str, dict[str, float]]]:
    """What each phase's seconds are proportional to: phase -> (model, term -> count).

    ``model`` names the row of :data:`COEFFICIENTS` that prices the terms (the generator's
    kind for learning and generating, ``"all"`` for the other phases). The estimate is
    the sum of coefficient x count; ``bench/fit_estimate.py`` fits the coefficients to the
    measured seconds with the same terms.
    """
    info = get_generator(generator)
    model = "neural" if info.neural else (generator if generator == "cart"
                                          else "gaussian_copula")
    cells, text_cells = learned_rows * learned, learned_rows * text
    if info.neural:
        fit = {"fixed": 1.0, "cells": cells,
               "epoch_cells": cells * epochs * _NEURAL_EPOCH_FACTOR.get(generator, 1.0)}
    else:
        share = min(learned_rows, _CART_FIT_ROWS) / learned_rows if model == "cart" else 1.0
        fit = {"fixed": 1.0, "cells": share * cells, "text_cells": share * text_cells}
    held = held_rows(out_rows, columns)  # the rows scored and sent back; the rest spill
    set_aside = rows - learned_rows
    return {
        "read": ("all", {"fixed": 1.0, "text_cells": rows * text_all,
                         "file_cells": (file_rows or 0) * columns}),
        "start": ("all", {"fixed": 1.0, "moved_cells": (rows + held) * columns}),
        "protect": ("all", {"fixed": 1.0, "cells": rows * learned, "text_cells": rows * text}),
        "fit": (model, fit),
        "sample": (model, {"fixed": 1.0, "cells": out_rows * learned,
                           "text_cells": out_rows * text}),
        # The rows held: further chunks are checked while generating (the sample phase).
        "check": ("all", {"fixed": 1.0, "text_cells": held * text,
                          "fakes": min(held, _FAKE_POOL) * faked}),
        "score": ("all", {"fixed": 1.0, "text_cells": held * text,
                          "distances": min(set_aside, _DISTANCE_ROWS)
                          * min(learned_rows, _DISTANCE_ROWS),
                          "compared_cells": min(learned_rows, _SCORED_ROWS) * learned}),
        "write": ("all", {"fixed": 1.0, "cells": out_rows * columns}),
    }


def machine_slowdown(load: float | None = None, cores: int | None = None) -> float:
    """How much slower than alone a job runs with the machine's other work: 1.0 or more.

    ``max(1, (load + _OWN_THREADS) / cores)``, ``load`` the one-minute load average and
    ``cores`` the processors (the machine's now when None; the load is read again after
    :data:`_LOAD_TTL` seconds). A system without a load average (Windows) counts as idle.
    """
    if load is None:
        now = time.monotonic()
        if now - _load[0] < _LOAD_TTL:
            return _load[1]
        try:
            load = os.getloadavg()[0]
        except (AttributeError, OSError):
            load = 0.0
        _load[:] = [now, machine_slowdown(load, cores)]
        return _load[1]
    cores = max(1, int(cores or os.cpu_count() or 1))
    return max(1.0, (max(0.0, float(load)) + _OWN_THREADS) / cores)


def estimate_for(data: pd.DataFrame, specs: Sequence[ColumnSpec],
                 plan: TrainingPlan, file_rows: int | None = None) -> JobEstimate:
    """The estimate of training ``plan`` on ``data`` with the columns ``specs``.

    ``file_rows``: the rows of the file ``data`` is a sample of, when it was too large to
    read whole.
    """
    return estimate_job(len(data), data.shape[1], plan.generator, **_counts(specs),
                        epochs=plan.epochs, output_rows=plan.rows,
                        holdout_share=plan.holdout, file_rows=file_rows)


def estimate_related(tables: Sequence[tuple[pd.DataFrame, Sequence[ColumnSpec]]],
                     plan: TrainingPlan) -> JobEstimate:
    """The estimate of a related job: the first table is the parent, the others its children.

    Each table is priced by the same terms as a job of its own, and their phases are
    added, but for starting the training process, which happens once. The trees learn
    each child with its parent's columns beside its own; HMA is priced as a copula per
    table (what it fits). ``plan.rows`` counts parents; each child makes as many rows per
    parent as it has.
    """
    generator = "gaussian_copula" if plan.generator == "hma" else "cart"
    parent = tables[0][0]
    scale = (plan.rows or len(parent)) / max(len(parent), 1)
    parent_learned = len(modelled_columns(tables[0][1]))
    slowdown = machine_slowdown()
    parts = []
    for i, (data, specs) in enumerate(tables):
        counts = _counts(specs)
        if i and generator == "cart":
            counts["learned_columns"] += parent_learned
        parts.append(estimate_job(len(data), data.shape[1], generator, **counts,
                                  output_rows=max(1, round(len(data) * scale)),
                                  holdout_share=plan.holdout, slowdown=slowdown))
    seconds = {f"{phase}_s": sum(p.seconds(phase) for p in parts) for phase in PHASES}
    seconds["start_s"] = max(p.start_s for p in parts)
    return JobEstimate(generator="hma" if plan.generator == "hma" else "cart",
                       rows=sum(p.rows for p in parts), columns=sum(p.columns for p in parts),
                       learned_columns=sum(p.learned_columns for p in parts),
                       output_rows=sum(p.output_rows for p in parts), epochs=None,
                       slowdown=slowdown, **seconds)


def _counts(specs: Sequence[ColumnSpec]) -> dict:
    """The columns an estimate counts: learned, text, replaced and faked ones."""
    learned = modelled_columns(specs)
    replaced = [s for s in specs if s.action in (Action.FAKE, Action.CONSISTENT)]
    return {"learned_columns": len(learned),
            "text_columns": sum(s.kind in _TEXT_KINDS for s in learned),
            "all_text_columns": sum(s.kind in _TEXT_KINDS for s in specs),
            "replaced_columns": len(replaced),
            "faked_columns": sum(s.pii_type in FAKER_METHODS for s in replaced)}

