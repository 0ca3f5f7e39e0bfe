"""One pipeline for the window, the command line, the self-test and the tests.

A job runs in phases, each a plain function that takes ``progress`` and ``cancel`` and
returns a frozen result:

``read`` -> ``understand`` -> ``protect`` -> ``fit`` -> ``sample`` -> ``check`` ->
``score`` -> ``write``

``run_training`` chains protect to score (the heavy part, run in a child process by
:func:`train`); ``run_job`` chains them all. The window calls the same functions from its
pages (reading on the Open page, :func:`train` on the Train page, :func:`write` on the
Save page), so a job gives the same files and the same report from either.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from synthdesk.core.dataset import Dataset
from synthdesk.core.estimate import JobEstimate, estimate_for
from synthdesk.core.frames import output_frame, training_frame
from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.progress import NEVER, CancelToken, ProgressFn, no_progress, scaled
from synthdesk.core.spill import SpilledRows, held_rows
from synthdesk.errors import InvalidChoice, PrivacyCheckFailed, TrainingFailed
from synthdesk.evaluation.column_relations import (
    KeptRelation,
    PairLoss,
    kept_relations,
    largest_pair_losses,
)
from synthdesk.evaluation.evidence import Evidence, gather_evidence
from synthdesk.evaluation.privacy import exact_copy_share
from synthdesk.evaluation.quality import QualityScores, evaluate_quality
from synthdesk.evaluation.rare_groups import RareGroupEvidence, rare_group_evidence
from synthdesk.export.writers import CsvStyle
from synthdesk.generators.registry import is_neural, label_of
from synthdesk.io.options import ReadOptions
from synthdesk.io.readers import Table, read_table
from synthdesk.privacy.leaks import find_leaks, guard_rare_values, leak_message, rare_text_values
from synthdesk.privacy.protection import (
    Protection,
    protect_training_rows,
    replace_copies,
    replace_unlearnable,
)
from synthdesk.privacy.subjects import choose_subject, split_by_subject, treat_subject
from synthdesk.privacy.treatments import apply_treatments
from synthdesk.schema.columns import Action, ColumnSpec, Kind
from synthdesk.schema.metadata import modelled_columns
from synthdesk.schema.overrides import ColumnOverrides, apply_overrides
from synthdesk.schema.profile import profile_columns

__all__ = [
    "Read", "Understood", "Protected", "Fitted", "Sampled", "Checked", "Scored",
    "TrainingResult", "JobResult", "TIMING_KEYS",
    "read", "understand", "protect", "fit", "sample", "check", "score", "write",
    "run_training", "run_training_isolated", "train", "run_job", "job_timing", "load_table",
    "write_report", "split_holdout", "table_name",
]

# Every timing a report holds, in seconds; ``total_s`` is their sum.
TIMING_KEYS = ("read_s", "protect_s", "fit_s", "sample_s", "check_s", "evaluate_s",
               "train_s", "write_s", "total_s")


# --- results of the phases --------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Read:
    """What ``read`` found: the table as read and each column's detected kind."""

    table: Table
    detected: tuple[ColumnSpec, ...]
    seconds: float


@dataclass(frozen=True, eq=False)
class Understood:
    """The job's dataset: its table(s), with the user's column choices applied."""

    dataset: Dataset
    seconds: float


@dataclass(frozen=True, eq=False)
class Protected:
    """The rows the generator may learn, and those set aside.

    Attributes:
        real: The training rows' modelled columns (dates parsed), before protection.
        holdout: The rows set aside, in the same shape; never learned.
        learn: ``real`` with rare categories hidden and extremes pulled in.
        protection: What was hidden (counts only).
        metadata: SDV's metadata for the table, built from the dataset.
        specs: The columns as learned: the subject key mapped to fresh keys, columns that
            cannot be learned without copying people replaced with fakes.
        subjects: The person each real row belongs to (None: one row per person).

    """

    real: pd.DataFrame
    holdout: pd.DataFrame
    learn: pd.DataFrame
    protection: Protection
    metadata: dict
    seconds: float
    train_rows: pd.DataFrame = field(repr=False, default=None)
    specs: tuple[ColumnSpec, ...] = ()
    subjects: pd.Series | None = field(repr=False, default=None)


@dataclass(frozen=True, eq=False)
class Fitted:
    """The fitted generator, which one ``auto`` chose and why."""

    fitted: object  # synthdesk.generators.FittedGenerator
    generator: str
    reason: str
    seconds: float


@dataclass(frozen=True, eq=False)
class Sampled:
    """Generated rows of the learned columns, copies of rare real rows replaced."""

    synthetic: pd.DataFrame
    protection: Protection
    seconds: float


@dataclass(frozen=True, eq=False)
class Checked:
    """The rows as written: sensitive columns filled, the user's columns and formats."""

    output: pd.DataFrame
    leaked: int
    seconds: float


@dataclass(frozen=True, eq=False)
class Scored:
    """How faithful and how safe the rows are."""

    quality: QualityScores
    exact_copies: float
    evidence: Evidence | None
    seconds: float
    rare_group: RareGroupEvidence | None = None
    kept_relations: tuple[KeptRelation, ...] = ()
    pair_losses: tuple[PairLoss, ...] = ()


@dataclass(frozen=True, eq=False)
class TrainingResult:
    """What training produced (phases protect to score).

    Attributes:
        synthetic: Generated rows, in the input's columns, order and formats.
        quality: Faithfulness scores.
        exact_copies: Share of synthetic rows identical to a real row.
        fit_s: Seconds spent fitting.
        sample_s: Seconds spent generating rows (copy replacement included).
        evaluate_s: Seconds spent checking and scoring.
        loss: Per-epoch losses (neural generators).
        protection: What was hidden or replaced to protect real people (counts only).
        sensitive_values_leaked: Output cells holding a real value of a replaced or
            dropped column; always 0, or training fails.
        evidence: Discriminator, distances to the holdout, usefulness and the verdict.
        generator: The generator that was fitted (the one chosen, for ``auto``).
        generator_reason: Why ``auto`` chose it ("" when the user chose).
        timing: Seconds per phase (``protect_s``, ``fit_s``, ``sample_s``, ``check_s``,
            ``evaluate_s``), and ``train_s``, the whole call as the caller waited for it
            (a child process's start included) once :func:`train` returns.
        estimate: What the job was expected to take, phase by phase; its progress bar's
            shares came from it.
        kept_relations: Relations of the real table kept in the synthetic rows (columns
            that follow from others), with how often each holds on both sides.
        pair_losses: The pairs of columns whose relation the synthetic rows keep least.

    """

    synthetic: pd.DataFrame
    quality: QualityScores
    exact_copies: float
    fit_s: float
    sample_s: float
    evaluate_s: float
    loss: list[dict] = field(default_factory=list)
    protection: Protection = field(default_factory=Protection)
    sensitive_values_leaked: int = 0
    evidence: Evidence | None = None
    generator: str = ""
    generator_reason: str = ""
    timing: dict = field(default_factory=dict)
    rare_group: RareGroupEvidence | None = None
    more: SpilledRows | None = None
    estimate: JobEstimate | None = None
    kept_relations: tuple[KeptRelation, ...] = ()
    pair_losses: tuple[PairLoss, ...] = ()

    @property
    def rows(self) -> int:
        """Every synthetic row made: those held in ``synthetic`` and those kept on disk."""
        return len(self.synthetic) + (self.more.rows if self.more is not None else 0)


@dataclass(frozen=True, eq=False)
class JobResult:
    """A finished job: what was read, how columns were understood, what was made, the report."""

    job: Job
    table: Table
    columns: list[ColumnSpec]
    training: TrainingResult
    timing: dict[str, float]
    report: dict
    dataset: Dataset | None = None


# --- the phases -------------------------------------------------------------------------


def read(path, sheet: str | None = None, options: ReadOptions | None = None,
         progress: ProgressFn = no_progress, cancel: CancelToken = NEVER, *,
         sample_by: str | None = None, seed: int = 0) -> Read:
    """Read a file (with the user's reader overrides) and detect its columns' kinds.

    A text table too large to read whole within the memory budget is read as a random
    sample of its rows, ``sample_by``'s values keeping their shares (see
    :func:`synthdesk.io.readers.read_table`).

    Raises:
        ImportFailed: The file cannot be read.
        Cancelled: ``cancel`` was set.

    """
    started = time.perf_counter()
    cancel.raise_if_set()
    progress(0.0, f"Reading {Path(path).name}")
    table, detected = load_table(path, sheet, options, sample_by=sample_by, seed=seed)
    cancel.raise_if_set()
    progress(1.0, "Read")
    return Read(table, tuple(detected), time.perf_counter() - started)


def understand(table: Table, detected: Sequence[ColumnSpec],
               columns: Sequence[ColumnSpec] | None = None,
               overrides: ColumnOverrides | None = None, subject: str | None = None,
               progress: ProgressFn = no_progress, cancel: CancelToken = NEVER) -> Understood:
    """Apply the user's column choices (or corrections) and make the job's dataset.

    The table is named after its file (and sheet); ``subject`` names the column that
    says whose rows they are (None: one row per person).
    """
    started = time.perf_counter()
    cancel.raise_if_set()
    chosen = list(columns) if columns is not None else \
        apply_overrides(list(detected), overrides or ColumnOverrides(), table.data)
    dataset = Dataset.one(_table_name(table), table.data, chosen, subject)
    progress(1.0, "Columns understood")
    return Understood(dataset, time.perf_counter() - started)


def protect(dataset: Dataset, plan: TrainingPlan, progress: ProgressFn = no_progress,
            cancel: CancelToken = NEVER) -> Protected:
    """Set rows aside (by subject), shape the rest for a generator and hide what is rare.

    Raises:
        InvalidChoice: The plan or the column choices cannot be used.
        TrainingFailed: The table is too small to learn.

    """
    started = time.perf_counter()
    table = dataset.main
    data, specs = table.data, table.columns
    progress(0.0, "Checking the table")
    _validate(data, specs, plan)
    cancel.raise_if_set()
    # Privacy counts people, not rows: hide what fewer than k people hold.
    subject = table.subject or choose_subject(data, specs, plan.subject)
    subjects = data[subject] if subject else None
    specs = treat_subject(specs, subject)
    train_rows, holdout_rows = split_holdout(data, plan.holdout_share(len(data)), plan.seed,
                                             subjects=subjects)
    learn, protection = protect_training_rows(training_frame(train_rows, specs), specs,
                                              subjects=subjects)
    protection.subject = subject
    specs = replace_unlearnable(specs, protection)
    real = training_frame(train_rows, specs)
    holdout = training_frame(holdout_rows, specs)
    learn = learn[real.columns]
    if plan.conditions or plan.rebalance is not None:
        from synthdesk.generators.conditions import row_conditions

        row_conditions(plan.conditions, plan.rebalance, learn, 1, plan.seed)  # before fitting
    metadata = dataset.with_columns(table.name, specs).to_sdv_metadata([table.name])
    progress(1.0, "Protected the rare values")
    return Protected(real, holdout, learn, protection, metadata,
                     time.perf_counter() - started, train_rows=train_rows,
                     specs=tuple(specs), subjects=subjects)


def fit(protected: Protected, plan: TrainingPlan, progress: ProgressFn = no_progress,
        cancel: CancelToken = NEVER) -> Fitted:
    """Fit the planned generator (``auto``: the one the table's size calls for).

    Raises:
        TrainingFailed: The generator could not learn.
        Cancelled: ``cancel`` was set.

    """
    from synthdesk.generators import fit_generator
    from synthdesk.generators.choice import choose_generator
    from synthdesk.generators.registry import AUTO_GENERATOR

    started = time.perf_counter()
    learn = protected.learn
    generator, why = plan.generator, ""
    if generator == AUTO_GENERATOR:
        choice = choose_generator(len(learn), len(learn.columns))
        generator, why = choice.name, choice.reason
        progress(0.0, f"Chose {generator}: {why}")
    progress(0.0, "Training")
    fitted = fit_generator(learn, protected.metadata, generator, epochs=plan.epochs,
                           seed=plan.seed, progress=progress, cancel=cancel,
                           first_columns=plan.conditioned_columns(),
                           strata_column=plan.rebalance.column if plan.rebalance else None,
                           people=protected.subjects, unclipped=protected.real)
    return Fitted(fitted, generator, why, time.perf_counter() - started)


def sample(fitted: Fitted, protected: Protected, specs: Sequence[ColumnSpec],
           plan: TrainingPlan, rows: int, progress: ProgressFn = no_progress,
           cancel: CancelToken = NEVER) -> Sampled:
    """Generate ``rows`` rows and replace those that copy a rare real row.

    Raises:
        TrainingFailed: No rows could be generated.
        Cancelled: ``cancel`` was set.

    """
    from synthdesk.generators import sample_rows
    from synthdesk.generators.conditions import row_conditions

    started = time.perf_counter()
    model = fitted.fitted
    conditions = row_conditions(plan.conditions, plan.rebalance, protected.learn, rows,
                                plan.seed)
    synthetic = sample_rows(model, rows, seed=plan.seed, progress=scaled(progress, 0.0, 0.8),
                            cancel=cancel, conditions=conditions)
    learned = _learned(specs)

    def draw(count: int, attempt: int) -> pd.DataFrame:
        # Replacement rows meet the same conditions, in the same proportions.
        again = None if conditions is None else conditions.take(
            np.random.default_rng([plan.seed, attempt]).choice(rows, count))
        return sample_rows(model, count, seed=plan.seed + 7919 * attempt, cancel=cancel,
                           conditions=again)

    progress(0.8, "Replacing rows that copy a real row")
    protection = dataclasses.replace(protected.protection,
                                     rare_categories=dict(protected.protection.rare_categories),
                                     clipped_columns=dict(protected.protection.clipped_columns))
    synthetic = replace_copies(synthetic, protected.real, learned, draw, protection,
                               subjects=protected.subjects)
    progress(1.0, "Generated")
    return Sampled(synthetic, protection, time.perf_counter() - started)


def check(dataset: Dataset, protected: Protected, sampled: Sampled, plan: TrainingPlan,
          progress: ProgressFn = no_progress, cancel: CancelToken = NEVER,
          rare: set[str] | None = None) -> Checked:
    """Fill sensitive columns with fakes and restore the user's columns and formats.

    Then the leak guard, which sees every column, flagged or not: a text value that fewer
    than k people hold in the real table is replaced wherever it comes out; and the leak
    check: no real value of a replaced or dropped column may remain. ``rare``: the real
    table's rare text values, when already found (for further chunks).

    Raises:
        PrivacyCheckFailed: A real value of a replaced or dropped column came through; the
            message names each column and the kind of its values.

    """
    started = time.perf_counter()
    data, specs, subjects = dataset.main.data, list(protected.specs), protected.subjects
    cancel.raise_if_set()
    progress(0.0, "Replacing sensitive columns")
    rare = rare_text_values(data, specs, subjects) if rare is None else rare
    output = output_frame(apply_treatments(sampled.synthetic, data, specs, plan.seed,
                                           avoid=rare, subject=protected.protection.subject),
                          specs)
    progress(0.5, "Looking for real values of people in every column")
    protection = sampled.protection
    output, protection.leak_guard = guard_rare_values(output, data, specs, subjects,
                                                      seed=plan.seed, rare=rare)
    leaks = find_leaks(data, output, specs, subjects)
    if leaks:
        raise PrivacyCheckFailed(leak_message(leaks, specs))
    progress(1.0, "Checked")
    return Checked(output, 0, time.perf_counter() - started)


def score(dataset: Dataset, protected: Protected, fitted: Fitted, sampled: Sampled,
          checked: Checked, plan: TrainingPlan, progress: ProgressFn = no_progress,
          cancel: CancelToken = NEVER) -> Scored:
    """Score faithfulness, copies, distances, usefulness, the verdict and column relations."""
    started = time.perf_counter()
    specs = protected.specs
    learned = _learned(specs)
    quality = evaluate_quality(protected.real, sampled.synthetic, protected.metadata,
                               seed=plan.seed, progress=scaled(progress, 0.0, 0.5),
                               cancel=cancel)
    cancel.raise_if_set()
    model = fitted.fitted
    kept = kept_relations(model.relations, sampled.synthetic,
                          getattr(model.model, "rebuilt_", ()))
    columns = next(iter(protected.metadata["tables"].values()))["columns"]
    losses = largest_pair_losses(protected.real, sampled.synthetic,
                                 {name: meta.get("sdtype") for name, meta in columns.items()},
                                 seed=plan.seed)
    copies = exact_copy_share(protected.train_rows[learned], checked.output[learned])
    target = next((s for s in specs if s.name == plan.target), None)
    evidence = gather_evidence(
        protected.real[learned], protected.holdout[learned], sampled.synthetic[learned],
        quality=quality.overall, leaked=checked.leaked, exact_copies=copies,
        target=plan.target,
        target_is_number=target is not None and target.kind in (Kind.INTEGER, Kind.DECIMAL),
        seed=plan.seed, per_column=quality.per_column, neural=is_neural(fitted.generator),
        protection=sampled.protection, subjects=_subject_labels(protected, sampled),
        progress=scaled(progress, 0.5, 0.9 if plan.rebalance else 1.0), cancel=cancel,
    )
    rare = None
    if plan.rebalance is not None and plan.rebalance.column in learned:
        cancel.raise_if_set()
        progress(0.9, f"Checking whether more {plan.rebalance.column} rows help a model")
        rare = rare_group_evidence(protected.real[learned], protected.holdout[learned],
                                   sampled.synthetic[learned], plan.rebalance.column,
                                   value=plan.rebalance.shares[0][0]
                                   if plan.rebalance.shares else None, seed=plan.seed)
    return Scored(quality, copies, evidence, time.perf_counter() - started, rare, kept, losses)


def run_training(
    data: pd.DataFrame,
    specs: Sequence[ColumnSpec],
    plan: TrainingPlan,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
) -> TrainingResult:
    """Run the phases protect, fit, sample, check and score on one table.

    Before fitting, rare categories and extreme values of learned columns are hidden;
    after sampling, rows that copy a real row are replaced, sensitive columns are filled
    with fakes, and the output is scanned for real values of protected columns.
    Each phase takes the share of the progress bar its estimated seconds give it
    (:meth:`synthdesk.core.estimate.JobEstimate.bar`).

    Raises:
        InvalidChoice: The plan or the column choices cannot be used.
        TrainingFailed: The generator could not learn or generate.
        PrivacyCheckFailed: A real value of a protected column came through.
        Cancelled: ``cancel`` was set.

    """
    estimate = estimate_for(data, specs, plan)
    bar = estimate.bar()
    progress(0.0, "Starting")  # the bar's start phase: loading what training needs
    dataset = Dataset.one("table", data, specs, getattr(plan, "subject", None))
    protected = protect(dataset, plan, bar.scaled(progress, "protect"), cancel)
    fitted = fit(protected, plan, bar.scaled(progress, "fit"), cancel)
    wanted = plan.rows or len(data)
    held = held_rows(wanted, len(specs))
    if wanted > held:  # in chunks: each is generated, then checked, while generating
        generating = bar.scaled(progress, "sample", "check")
        share = held / wanted  # of the generating phase, for the rows held in memory
        sampling = scaled(generating, 0.0, 0.9 * share)
        checking = scaled(generating, 0.9 * share, share)
    else:
        sampling, checking = bar.scaled(progress, "sample"), bar.scaled(progress, "check")
    sampled = sample(fitted, protected, protected.specs, plan, held, sampling, cancel)
    looked_up = time.perf_counter()
    rare = rare_text_values(data, protected.specs, protected.subjects)  # once per job
    checked = check(dataset, protected, sampled, plan, checking, cancel, rare)
    checked = dataclasses.replace(checked, seconds=time.perf_counter() - looked_up)
    more = None
    if wanted > held:
        more, extra_s = _spill_rows(dataset, protected, fitted, plan, sampled.protection,
                                    wanted - held, held, rare, scaled(generating, share, 1.0),
                                    cancel)
        sampled = dataclasses.replace(sampled, seconds=sampled.seconds + extra_s)
    scored = score(dataset, protected, fitted, sampled, checked, plan,
                   bar.scaled(progress, "score"), cancel)
    progress(1.0, "Training finished")
    timing = {"protect_s": protected.seconds, "fit_s": fitted.seconds,
              "sample_s": sampled.seconds, "check_s": checked.seconds,
              "evaluate_s": checked.seconds + scored.seconds}
    return TrainingResult(
        checked.output, scored.quality, scored.exact_copies, fitted.seconds, sampled.seconds,
        timing["evaluate_s"], fitted.fitted.loss, protection=sampled.protection,
        sensitive_values_leaked=checked.leaked, evidence=scored.evidence,
        generator=fitted.generator, generator_reason=fitted.reason, timing=timing,
        rare_group=scored.rare_group, more=more, estimate=estimate,
        kept_relations=scored.kept_relations, pair_losses=scored.pair_losses,
    )


def _spill_rows(dataset: Dataset, protected: Protected, fitted: Fitted, plan: TrainingPlan,
                protection: Protection, rows: int, chunk: int, rare: set[str],
                progress: ProgressFn, cancel: CancelToken) -> tuple[SpilledRows, float]:
    """Generate and check ``rows`` more rows in chunks of ``chunk``, kept on disk.

    Each chunk has a seed of its own and goes through copy replacement, fakes, the leak
    guard and the leak check like the first; their counts add to ``protection``.
    """
    started = time.perf_counter()
    spill = SpilledRows()
    try:
        done = 0
        while done < rows:
            cancel.raise_if_set()
            count = min(chunk, rows - done)
            progress(done / rows, f"Generating rows {chunk + done + 1:,} to "
                                  f"{chunk + done + count:,} of {chunk + rows:,}")
            seed = plan.seed + 104_729 * (len(spill.chunks) + 1)  # a stream per chunk
            part_plan = dataclasses.replace(plan, seed=seed)
            part = sample(fitted, protected, protected.specs, part_plan, count, cancel=cancel)
            checked = check(dataset, protected, part, part_plan, cancel=cancel, rare=rare)
            _add_counts(protection, part.protection)
            spill.add(checked.output)
            done += count
    except BaseException:
        spill.discard()
        raise
    progress(1.0, f"Generated {chunk + rows:,} rows")
    return spill, time.perf_counter() - started


def _add_counts(total: Protection, part: Protection) -> None:
    """Add what protection changed in one more chunk to the job's counts."""
    total.copies_replaced += part.copies_replaced
    total.copies_removed += part.copies_removed
    for column, count in part.leak_guard.items():
        total.leak_guard[column] = total.leak_guard.get(column, 0) + count


def run_training_isolated(data: pd.DataFrame, specs: Sequence[ColumnSpec], plan: TrainingPlan,
                          progress: ProgressFn = no_progress, cancel: CancelToken = NEVER, *,
                          leave_a_core: bool = False) -> TrainingResult:
    """:func:`run_training` in a spawned child process (``synthdesk.core.runner``).

    Cancel stops the child at once; it also ends if this process dies. With
    ``leave_a_core`` (the window's choice) it runs at a lower priority with one thread
    fewer than the machine has.
    """
    from synthdesk.core.runner import train_in_child

    return train_in_child(run_training, data, specs, plan, progress, cancel,
                          leave_a_core=leave_a_core)


def train(data: pd.DataFrame, specs: Sequence[ColumnSpec], plan: TrainingPlan,
          progress: ProgressFn = no_progress, cancel: CancelToken = NEVER, *,
          isolated: bool = True, leave_a_core: bool = False,
          estimate: JobEstimate | None = None) -> TrainingResult:
    """:func:`run_training` as the window and the command line run it.

    It runs in a child process (``isolated``; Cancel works at any moment) and its wall
    time is kept as ``train_s``.

    ``leave_a_core`` (the window's choice) keeps a core free for drawing the window.
    The result's estimate is ``estimate``, the one shown before training (made here, on
    this machine's load now, when None), not the training process's own: the two differ
    only by the load each read, which does not change the bar's shares.
    """
    started = time.perf_counter()
    estimate = estimate if estimate is not None else estimate_for(data, specs, plan)
    progress(0.0, "Starting the training process")
    if isolated:
        result = run_training_isolated(data, specs, plan, progress, cancel,
                                       leave_a_core=leave_a_core)
    else:
        result = run_training(data, specs, plan, progress, cancel)
    timing = {**result.timing, "train_s": time.perf_counter() - started}
    return dataclasses.replace(result, timing=timing, estimate=estimate)


def write(job: Job, table: Table, columns: Sequence[ColumnSpec], training: TrainingResult,
          read_s: float = 0.0, reports: Sequence[Path] | None = None,
          style: CsvStyle | None = None, progress: ProgressFn = no_progress,
          cancel: CancelToken = NEVER) -> JobResult:
    """Write the synthetic table and its reports; return the job's result and timings.

    The table goes to ``job.output``; the reports to ``reports`` (``job.report`` when
    None), each with every phase's timing.

    Raises:
        ExportFailed: A file cannot be written, or would overwrite the input.
        Cancelled: ``cancel`` was set between files.

    """
    from synthdesk.evaluation.report import build_report
    from synthdesk.export.writers import StagedOutputs, check_outputs, write_table

    started = time.perf_counter()
    reports = list(reports) if reports is not None else \
        ([job.report] if job.report is not None else [])
    source = table.source.path
    check_outputs(source, job.output, *reports)
    cancel.raise_if_set()
    progress(0.0, f"Writing {job.output.name}")
    written = training.synthetic
    if job.plan.augment:
        from synthdesk.generators.conditions import augmented_table

        learned = [s.name for s in columns if s.action is Action.SYNTHESIZE]
        synthetic = training.synthetic if training.more is None else pd.concat(
            [training.synthetic, *training.more.frames()], ignore_index=True)  # every row
        written, _ = augmented_table(table.data, synthetic, job.plan.rebalance, learned)
    more = training.more.frames() if training.more is not None and not job.plan.augment \
        else ()
    with StagedOutputs():  # every file the job writes, or none
        write_table(written, job.output, style=style or CsvStyle(), specs=columns, more=more)
        timing = job_timing(read_s, training, time.perf_counter() - started)
        report = build_report(job, table, columns, training, timing)
        report["generator_label"] = label_of(report["generator"])  # the plain name
        if training.estimate is not None:
            report["estimate"] = training.estimate.to_dict()  # beside "timing"
        for i, path in enumerate(reports):
            cancel.raise_if_set()
            progress(0.4 + 0.6 * i / len(reports), f"Writing {path.name}")
            write_report(report, path, table.data, training.synthetic, columns)
    progress(1.0, "Saved")
    return JobResult(job, table, list(columns), training, timing, report)


def job_timing(read_s: float, training: TrainingResult, write_s: float) -> dict[str, float]:
    """Every timing of :data:`TIMING_KEYS`, rounded to milliseconds.

    ``total_s`` is reading, training (as waited for) and writing the table.
    """
    phases = training.timing
    train_s = phases.get("train_s", training.fit_s + training.sample_s + training.evaluate_s
                         + phases.get("protect_s", 0.0))
    timing = {
        "read_s": read_s,
        "protect_s": phases.get("protect_s", 0.0),
        "fit_s": training.fit_s,
        "sample_s": training.sample_s,
        "check_s": phases.get("check_s", 0.0),
        "evaluate_s": training.evaluate_s,
        "train_s": train_s,
        "write_s": write_s,
        "total_s": read_s + train_s + write_s,
    }
    return {key: round(float(timing[key]), 3) for key in TIMING_KEYS}


def run_job(
    job: Job,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
    *,
    isolated: bool = True,
    estimated: Callable[[JobEstimate], None] | None = None,
) -> JobResult:
    """Read, understand, train, write the synthetic table and (if asked) the report.

    Args:
        job: The user's choices.
        progress: Receives the fraction done and a message. Reading is at 0 (its share
            is known once the table is read); then each phase has the share of the bar
            the job's estimate gives it (:meth:`JobEstimate.bar`, reading and writing
            included).
        cancel: Stops the job; a running fit stops within two seconds.
        isolated: Train in a child process (the default; cancel works at any moment).
        estimated: Receives the job's estimate once the table is read, before training.

    """
    from synthdesk.export.writers import check_output_room, check_output_rows, check_outputs

    check_outputs(job.input, job.output, job.report)  # before any work
    check_output_rows(job.output, job.plan.rows)
    plan = job.plan
    loaded = read(job.input, job.sheet, job.read, scaled(progress, 0.0, 0.0), cancel,
                  sample_by=plan.target or (plan.rebalance.column if plan.rebalance else None),
                  seed=plan.seed)
    in_file = loaded.table.source.rows_in_file
    if in_file is not None and plan.rows is None:
        # Trained on a sample of a file too large to read whole: as many rows as the file
        # holds, written in chunks.
        job = dataclasses.replace(job, plan=dataclasses.replace(plan, rows=in_file))
        check_output_rows(job.output, job.plan.rows)
    understood = understand(loaded.table, loaded.detected, job.columns, job.overrides,
                            getattr(job.plan, "subject", None), cancel=cancel)
    dataset = understood.dataset
    table = dataset.main
    check_output_room(job.input, len(table.data), job.plan.rows or len(table.data),
                      job.output)  # many rows: room for them, before training
    estimate = estimate_for(table.data, table.columns, job.plan, in_file)
    if estimated is not None:
        estimated(estimate)
    bar = estimate.bar(reading=True, writing=True)
    training = train(table.data, table.columns, job.plan,
                     bar.scaled(progress, "start", "score"), cancel, isolated=isolated,
                     estimate=estimate)
    try:
        result = write(job, loaded.table, table.columns, training,
                       read_s=loaded.seconds + understood.seconds,
                       progress=bar.scaled(progress, "write"), cancel=cancel)
    finally:
        if training.more is not None:  # written (or not wanted): the chunks go now
            training.more.discard()
    progress(1.0, "Done")
    return dataclasses.replace(result, dataset=dataset)


def load_table(path, sheet: str | None = None, options: ReadOptions | None = None, *,
               sample_by: str | None = None, seed: int = 0,
               ) -> tuple[Table, list[ColumnSpec]]:
    """Read a file (with the user's reader overrides) and decide its columns' kinds."""
    table = read_table(path, sheet=sheet, options=options, sample_by=sample_by, seed=seed)
    return table, profile_columns(table.data)


def split_holdout(data: pd.DataFrame, share: float, seed: int,
                  subjects: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set aside a random ``share`` of the rows, which the generator never sees.

    With ``subjects`` (one label per row), a share of the *subjects* is set aside with all
    their rows, so that no person has rows on both sides.
    """
    return split_by_subject(data, share, seed, subjects)


def write_report(report: dict, path: Path, real: pd.DataFrame, synthetic: pd.DataFrame,
                 specs: Sequence[ColumnSpec]) -> None:
    """Write ``report`` as a self-contained HTML page (``.html``) or as JSON (anything else)."""
    from synthdesk.export.writers import write_json, write_text

    if Path(path).suffix.lower() in (".html", ".htm"):
        from synthdesk.evaluation.html_report import render_html

        write_text(render_html(report, real, synthetic, specs), path)
    else:
        write_json(report, path)


def table_name(table: Table) -> str:
    """The name a table read from a file has in a dataset: its file's stem (and sheet)."""
    return _table_name(table)


def _table_name(table: Table) -> str:
    source = table.source
    name = Path(source.path).stem
    return f"{name}.{source.sheet}" if getattr(source, "sheet", None) else name


def _subject_labels(protected: Protected, sampled: Sampled,
                    ) -> tuple[pd.Series, pd.Series, pd.Series] | None:
    """The person of each training, holdout and synthetic row, when rows belong to people.

    Synthetic rows are grouped by their learned subject key (mapped to fresh keys in the
    output); when the key is replaced or dropped, each synthetic row is its own person.
    """
    subject, labels = protected.protection.subject, protected.subjects
    if subject is None or labels is None:
        return None
    synthetic = sampled.synthetic
    made_up = synthetic[subject] if subject in synthetic.columns else \
        pd.Series(pd.NA, index=synthetic.index, dtype="object")
    return (labels.reindex(protected.real.index), labels.reindex(protected.holdout.index),
            made_up)


def _learned(specs: Sequence[ColumnSpec]) -> list[str]:
    return [s.name for s in modelled_columns(specs) if s.action is Action.SYNTHESIZE]


def _validate(data: pd.DataFrame, specs: Sequence[ColumnSpec], plan: TrainingPlan) -> None:
    names = [spec.name for spec in specs]
    unknown = [name for name in names if name not in data.columns]
    if unknown:
        raise InvalidChoice(f"The table has no column named {unknown[0]!r}.")
    if not modelled_columns(specs):
        raise InvalidChoice("Every column is dropped or empty: there is nothing to learn.")
    if len(data) < 2:
        raise TrainingFailed("The table needs at least two rows to learn from.")
    if plan.rows is not None and plan.rows < 1:
        raise InvalidChoice("The number of rows to generate must be at least 1.")
    if plan.epochs is not None and plan.epochs < 1:
        raise InvalidChoice("The number of epochs must be at least 1.")
    if plan.holdout is not None and not 0 <= plan.holdout <= 0.5:
        raise InvalidChoice("The share of rows set aside must be between 0 and 0.5.")
    if plan.augment and plan.rebalance is None:
        raise InvalidChoice("Adding synthetic rows of a rare group needs the group: name "
                            "the column to rebalance (--rebalance COL).")
    if plan.target is not None:
        learned = {s.name for s in modelled_columns(specs) if s.action is Action.SYNTHESIZE}
        if plan.target not in learned:
            raise InvalidChoice(f"{plan.target!r} cannot be the target: choose a column that "
                                "is learned (not replaced, dropped or empty).")
        if plan.holdout_share(len(data)) <= 0:
            raise InvalidChoice("A target needs real rows set aside to test on: this table "
                                "has fewer than 1,000 rows, so set a share of rows to set "
                                "aside.")
