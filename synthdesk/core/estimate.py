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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from synthdesk.core.job import TrainingPlan
from synthdesk.core.spill import held_rows
from synthdesk.generators.choice import choose_generator
from synthdesk.generators.registry import AUTO_GENERATOR, get_generator
from synthdesk.privacy.fakes import FAKER_METHODS
from synthdesk.progress import Phase, PhaseBar, describe_duration
from synthdesk.schema.columns import Action, ColumnSpec, Kind
from synthdesk.schema.metadata import modelled_columns

__all__ = ["JobEstimate", "estimate_job", "estimate_for", "describe_duration", "PHASES"]

# The phases of a job in the order they run, and the stage a person sees each as.
PHASES = {"read": "preparing", "start": "preparing", "protect": "preparing",
          "fit": "learning", "sample": "generating", "check": "scoring", "score": "scoring",
          "write": "scoring"}
# Kinds held as text, whose cells cost more to read, compare and score than numbers.
_TEXT_KINDS = (Kind.CATEGORY, Kind.TEXT, Kind.IDENTIFIER)
# Phases the Train page waits for (reading is done before it, writing after it).
_TRAINING = ("start", "protect", "fit", "sample", "check", "score")

# --- coefficients ------------------------------------------------------------------------
# The fixed seconds (mostly loading libraries) are those of the last idle benchmark run:
# dividing by the load does not undo the wait for a busy disk, and fitted at busy times they
# came out 1.5 times too high.
# Seconds on a machine with no other work, per "cell" (one row of one column). "Text" cells
# are those of categories, text and identifiers: reading profiles them, and the copy checks
# behind generating and scoring compare them value by value, so they cost more than numbers.
_READ = (0.2, 7.1e-7)  # fixed, per input text cell
# A file too large to read whole: two streaming passes over every cell of the file (the
# 1,000,000 x 20 table: 6 s at load 4, about 3 s idle).
_READ_PASSES = 1.5e-7
_START = (0.5, 2.4e-8)  # fixed, per input and held output cell (sent there and back)
_PROTECT = (0.04, 4.6e-8, 2.8e-8)  # fixed, per learned cell, per learned text cell
# Learning, per generator: fixed (loading its libraries), per learned cell, per learned
# text cell. The trees learn from at most _CART_FIT_ROWS rows.
_FIT = {"cart": (0.9, 1.25e-6, 0.0), "gaussian_copula": (2.2, 9.6e-7, 3.5e-5)}
_CART_FIT_ROWS = 250_000
# Neural generators: fixed, per learned cell (fitting each column's shape before the first
# epoch), per epoch and learned cell (TVAE trains one network, the GANs two).
_NEURAL_FIT = (4.8, 1.1e-4, 2.2e-5)
_NEURAL_EPOCH_FACTOR = {"tvae": 0.3}
# Generating: fixed, per output cell, per output text cell.
_SAMPLE = {"cart": (0.07, 2.3e-7, 1.3e-6), "gaussian_copula": (0.07, 0.0, 8.5e-6),
           "neural": (0.1, 5.1e-6, 0.0)}
# Checking: fixed, per output text cell (the leak guard looks at every text value), per
# value drawn from Faker for a replaced column (at most _FAKE_POOL a column; fresh
# identifiers cost next to nothing). Faker's price is the baseball players' idle run (35.6 s
# for 60,279 names): dividing by the load understated it.
_CHECK = {"fixed": 0.055, "text": 9.9e-7, "fake": 5.5e-4}
# Scoring: fixed; loading the scorers when the generator has not loaded them (the trees
# use no SDV code); per text cell of the rows held (exact copies); per distance from a
# set-aside real row to a learned one (at most _DISTANCE_ROWS of each); per compared cell
# (at most _SCORED_ROWS rows). Fitted to the seven runs on an idle machine (load < 1.6).
_SCORE = {"fixed": 0.075, "load": 1.4, "text": 4.5e-6, "distance": 4.1e-8,
          "compared": 6.9e-6}
_SCORED_ROWS = 20_000
_FAKE_POOL = 50_000
_DISTANCE_ROWS = 5_000
_WRITE = (0.01, 5.5e-7)  # fixed, per output cell
# Every estimate is this much longer than the idle machine's figures above: a desktop is
# rarely idle (the development machine ran 1 to 3 times slower while others worked on it;
# 1.5 keeps the estimate within 1.5 times the actual from an idle machine to one running
# 2.25 times slower), and finishing a little early is better than late.
_BUSY_FACTOR = 1.5


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
                 learned_columns: int | None = None, text_columns: int = 0,
                 all_text_columns: int | None = None, replaced_columns: int = 0,
                 faked_columns: int | None = None, epochs: int | None = None,
                 output_rows: int | None = None,
                 holdout_share: float | None = None,
                 file_rows: int | None = None) -> JobEstimate:
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
    cells, text_cells = learned_rows * learned, learned_rows * text
    if info.neural:
        epochs = epochs or info.default_epochs or 300
        fixed, per_cell, per_epoch = _NEURAL_FIT
        fit_s = fixed + cells * (per_cell + epochs * per_epoch
                                 * _NEURAL_EPOCH_FACTOR.get(generator, 1.0))
        sample = _SAMPLE["neural"]
    else:
        epochs = None
        fixed, per_cell, per_text = _FIT.get(generator, _FIT["gaussian_copula"])
        share = min(learned_rows, _CART_FIT_ROWS) / learned_rows if generator == "cart" else 1
        fit_s = fixed + share * (per_cell * cells + per_text * text_cells)
        sample = _SAMPLE.get(generator, _SAMPLE["gaussian_copula"])
    set_aside = rows - learned_rows
    held = held_rows(out_rows, columns)  # the rows scored and sent back; the rest spill
    score = _SCORE
    seconds = {
        "read": (_READ[0] + _READ[1] * rows * text_all
                 + (_READ_PASSES * file_rows * columns if file_rows else 0.0)),
        "start": _START[0] + _START[1] * (rows + held) * columns,
        "protect": _PROTECT[0] + rows * (_PROTECT[1] * learned + _PROTECT[2] * text),
        "fit": fit_s,
        "sample": sample[0] + out_rows * (sample[1] * learned + sample[2] * text),
        "check": (_CHECK["fixed"] + _CHECK["text"] * out_rows * text
                  + _CHECK["fake"] * min(out_rows, _FAKE_POOL) * faked_columns),
        "score": (score["fixed"] + (score["load"] if generator == "cart" else 0.0)
                  + score["text"] * held * text
                  + score["distance"] * min(set_aside, _DISTANCE_ROWS)
                  * min(learned_rows, _DISTANCE_ROWS)
                  + score["compared"] * min(learned_rows, _SCORED_ROWS) * learned),
        "write": _WRITE[0] + _WRITE[1] * out_rows * columns,
    }
    return JobEstimate(generator=generator, rows=rows, columns=columns,
                       learned_columns=learned, output_rows=out_rows, epochs=epochs,
                       **{f"{phase}_s": value * _BUSY_FACTOR
                          for phase, value in seconds.items()})


def estimate_for(data: pd.DataFrame, specs: Sequence[ColumnSpec],
                 plan: TrainingPlan, file_rows: int | None = None) -> JobEstimate:
    """The estimate of training ``plan`` on ``data`` with the columns ``specs``.

    ``file_rows``: the rows of the file ``data`` is a sample of, when it was too large to
    read whole.
    """
    learned = modelled_columns(specs)
    replaced = [s for s in specs if s.action in (Action.FAKE, Action.CONSISTENT)]
    return estimate_job(
        len(data), data.shape[1], plan.generator, learned_columns=len(learned),
        text_columns=sum(s.kind in _TEXT_KINDS for s in learned),
        all_text_columns=sum(s.kind in _TEXT_KINDS for s in specs),
        replaced_columns=len(replaced),
        faked_columns=sum(s.pii_type in FAKER_METHODS for s in replaced),
        epochs=plan.epochs, output_rows=plan.rows, holdout_share=plan.holdout,
        file_rows=file_rows)

