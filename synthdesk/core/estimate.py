"""One estimate of the whole job, phase by phase: the window, the CLI and the report use it.

:func:`estimate_job` gives a :class:`JobEstimate` from the table's shape, the generator
(``auto`` resolved to the generator it would choose, so both give one figure), the epochs
and the rows to generate; :func:`estimate_for` counts those from a table, its columns and a
plan. The progress bar's phases take their shares from it (:meth:`JobEstimate.bar`).

The coefficients below were fitted (least squares on the logarithm of the time, so that
small and large tables weigh alike) to ``bench/job_time.py --json`` measurements of the
whole job through ``synthdesk run`` on this project's 2-core development machine under its
usual load (1 to 2.5): the riots, penguins, Lending Club, wide, baseball players, adult,
diamonds, 336,776-row and 1,000,000-row tables with the default generator, the copula on
four of them and TVAE with a few epochs on three. They are orders of magnitude for a
comparable computer, not promises; ``bench/job_time.py`` prints each phase beside its
estimate to check them again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from synthdesk.core.job import TrainingPlan
from synthdesk.generators.choice import choose_generator
from synthdesk.generators.registry import AUTO_GENERATOR, get_generator
from synthdesk.progress import Phase, PhaseBar, describe_duration
from synthdesk.schema.columns import Action, ColumnSpec
from synthdesk.schema.metadata import modelled_columns

__all__ = ["JobEstimate", "estimate_job", "estimate_for", "describe_duration", "PHASES"]

# The phases of a job in the order they run, and the stage a person sees each as.
PHASES = {"read": "preparing", "start": "preparing", "protect": "preparing",
          "fit": "learning", "sample": "generating", "score": "scoring", "write": "scoring"}
# Phases the Train page waits for (reading is done before it, writing after it).
_TRAINING = ("start", "protect", "fit", "sample", "score")

# --- coefficients (seconds; "cell" is one row of one column) ----------------------------
# Reading and profiling the file: per cell of the input.
_READ = (0.25, 1.0e-6)
# Starting the training process, sending the table and taking the output back.
_START = (0.6, 1.5e-7)
# Holding out rows, hiding rare values: per learned cell.
_PROTECT = (0.05, 1.0e-6)
# Per generator: fixed seconds (loading its libraries), then per learned cell of the
# rows it learns from (the trees learn from at most _CART_FIT_ROWS rows).
_FIT = {"cart": (0.8, 3.0e-6), "gaussian_copula": (2.5, 2.0e-6)}
_CART_FIT_ROWS = 250_000
# Neural generators: per epoch and learned cell (the GANs train two networks).
_NEURAL_FIT = (4.0, 1.0e-6)
_NEURAL_FACTOR = {"tvae": 0.5, "copulagan": 1.1}
# Generating: per output cell.
_SAMPLE = {"cart": (0.1, 2.0e-6), "gaussian_copula": (0.1, 1.0e-6), "neural": (0.5, 1.0e-6)}
# Checking and scoring: loading the scorers, per compared cell (at most _SCORED_ROWS rows),
# per pair of columns compared, per cell of the whole output (copies, the leak check) and
# per fake value made for a replaced column.
_SCORE = (1.5, 2.0e-5, 1.0e-3, 2.0e-7)
_SCORED_ROWS = 20_000
_FAKE_PER_VALUE = 1.0e-4
# Writing the table and the report: per output cell.
_WRITE = (0.1, 3.0e-7)


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
        score_s: Filling replaced columns, the privacy checks and the scores.
        write_s: Writing the table and the report.

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
    score_s: float
    write_s: float

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
                "epochs": self.epochs, "seconds": seconds,
                "training_s": round(self.training_s, 1), "training": self.in_words()}


def estimate_job(rows: int, columns: int, generator: str = AUTO_GENERATOR, *,
                 learned_columns: int | None = None, replaced_columns: int = 0,
                 epochs: int | None = None, output_rows: int | None = None,
                 holdout_share: float | None = None) -> JobEstimate:
    """Estimate every phase of a job on a table of ``rows`` x ``columns``.

    Args:
        rows: Rows of the input.
        columns: Columns of the input.
        generator: A generator's name, or ``auto`` (resolved as the pipeline resolves it).
        learned_columns: Columns the generator learns (all of them when None).
        replaced_columns: Columns filled with fakes after generating.
        epochs: Epochs for a neural generator (its default when None).
        output_rows: Rows to generate (as many as the input when None).
        holdout_share: Share of rows set aside (the plan's default when None).

    """
    rows, columns = max(int(rows), 1), max(int(columns), 1)
    learned = max(int(learned_columns if learned_columns is not None else columns), 1)
    out_rows = max(int(output_rows or rows), 1)
    share = TrainingPlan(holdout=holdout_share).holdout_share(rows)
    learned_rows = max(rows - int(rows * share), 1)
    if generator == AUTO_GENERATOR:
        generator = choose_generator(learned_rows, learned).name
    info = get_generator(generator)
    if info.neural:
        epochs = epochs or info.default_epochs or 300
        fixed, per_cell = _NEURAL_FIT
        fit_s = fixed + epochs * per_cell * learned_rows * learned * \
            _NEURAL_FACTOR.get(generator, 1.0)
        sample = _SAMPLE["neural"]
    else:
        epochs = None
        fixed, per_cell = _FIT.get(generator, _FIT["gaussian_copula"])
        fitted_rows = min(learned_rows, _CART_FIT_ROWS) if generator == "cart" else learned_rows
        fit_s = fixed + per_cell * fitted_rows * learned
        sample = _SAMPLE.get(generator, _SAMPLE["gaussian_copula"])
    out_columns = columns
    scored = min(learned_rows, _SCORED_ROWS)
    score_fixed, per_scored, per_pair, per_output = _SCORE
    return JobEstimate(
        generator=generator, rows=rows, columns=columns, learned_columns=learned,
        output_rows=out_rows, epochs=epochs,
        read_s=_READ[0] + _READ[1] * rows * columns,
        start_s=_START[0] + _START[1] * (rows + out_rows) * columns,
        protect_s=_PROTECT[0] + _PROTECT[1] * rows * learned,
        fit_s=fit_s,
        sample_s=sample[0] + sample[1] * out_rows * learned,
        score_s=(score_fixed + per_scored * scored * learned
                 + per_pair * math.comb(learned, 2) + per_output * out_rows * out_columns
                 + _FAKE_PER_VALUE * out_rows * replaced_columns),
        write_s=_WRITE[0] + _WRITE[1] * out_rows * out_columns,
    )


def estimate_for(data: pd.DataFrame, specs: Sequence[ColumnSpec],
                 plan: TrainingPlan) -> JobEstimate:
    """The estimate of training ``plan`` on ``data`` with the columns ``specs``."""
    replaced = sum(s.action in (Action.FAKE, Action.CONSISTENT) for s in specs)
    return estimate_job(len(data), data.shape[1], plan.generator,
                        learned_columns=len(modelled_columns(specs)),
                        replaced_columns=replaced, epochs=plan.epochs, output_rows=plan.rows,
                        holdout_share=plan.holdout)

