"""One pipeline for the wizard, the command line and the tests.

``run_training`` is the heavy part (fit, sample, score) and runs anywhere;
``run_job`` reads the file, runs training in a child process and writes the results.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from synthdesk.core.frames import output_frame, training_frame
from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.progress import NEVER, CancelToken, ProgressFn, no_progress, scaled
from synthdesk.errors import InvalidChoice, PrivacyCheckFailed, TrainingFailed
from synthdesk.evaluation.evidence import Evidence, gather_evidence
from synthdesk.evaluation.privacy import exact_copy_share
from synthdesk.evaluation.quality import QualityScores, evaluate_quality
from synthdesk.generators.registry import is_neural
from synthdesk.io.options import ReadOptions
from synthdesk.io.readers import Table, read_table
from synthdesk.privacy.leaks import count_leaks
from synthdesk.privacy.protection import Protection, protect_training_rows, replace_copies
from synthdesk.privacy.treatments import apply_treatments
from synthdesk.schema.columns import Action, ColumnSpec, Kind, profile_columns
from synthdesk.schema.metadata import modelled_columns, to_sdv_metadata
from synthdesk.schema.overrides import apply_overrides

__all__ = ["TrainingResult", "JobResult", "load_table", "run_training", "run_job", "write_report",
           "split_holdout"]


@dataclass
class TrainingResult:
    """What training produced.

    Attributes:
        synthetic: Generated rows, in the input's columns, order and formats.
        quality: Faithfulness scores.
        exact_copies: Share of synthetic rows identical to a real row.
        fit_s: Seconds spent fitting.
        sample_s: Seconds spent generating rows.
        evaluate_s: Seconds spent scoring.
        loss: Per-epoch losses (neural generators).
        protection: What was hidden or replaced to protect real people (counts only).
        sensitive_values_leaked: Output cells holding a real value of a replaced or
            dropped column; always 0, or training fails.
        evidence: Discriminator, distances to the holdout, usefulness and the verdict.
        generator: The generator that was fitted (the one chosen, for ``auto``).
        generator_reason: Why ``auto`` chose it ("" when the user chose).

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


@dataclass
class JobResult:
    """A finished job: what was read, how columns were understood, and what was made."""

    job: Job
    table: Table
    columns: list[ColumnSpec]
    training: TrainingResult
    timing: dict[str, float]
    report: dict


def load_table(path, sheet: str | None = None,
               options: ReadOptions | None = None) -> tuple[Table, list[ColumnSpec]]:
    """Read a file (with the user's reader overrides) and decide its columns' kinds."""
    table = read_table(path, sheet=sheet, options=options)
    return table, profile_columns(table.data)


def run_training(
    data: pd.DataFrame,
    specs: Sequence[ColumnSpec],
    plan: TrainingPlan,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
) -> TrainingResult:
    """Fit the planned generator to ``data``, generate rows and score them.

    Before fitting, rare categories and extreme values of learned columns are hidden;
    after sampling, rows that copy a real row are replaced, sensitive columns are filled
    with fakes, and the output is scanned for real values of protected columns.
    Progress runs: checks 0-0.05, fit 0.05-0.8, sample 0.8-0.9, scoring 0.9-1.

    Raises:
        InvalidChoice: The plan or the column choices cannot be used.
        TrainingFailed: The generator could not learn or generate.
        Cancelled: ``cancel`` was set.

    """
    from synthdesk.generators import fit_generator, sample_rows
    from synthdesk.generators.choice import choose_generator
    from synthdesk.generators.registry import AUTO_GENERATOR

    progress(0.0, "Checking the table")
    _validate(data, specs, plan)
    train_rows, holdout_rows = split_holdout(data, plan.holdout_share(len(data)), plan.seed)
    real = training_frame(train_rows, specs)
    holdout = training_frame(holdout_rows, specs)
    learn, protection = protect_training_rows(real, specs)
    metadata = to_sdv_metadata(specs)
    rows = plan.rows or len(data)
    generator, why = plan.generator, ""
    if generator == AUTO_GENERATOR:
        choice = choose_generator(len(learn), len(learn.columns))
        generator, why = choice.name, choice.reason
        progress(0.05, f"Chose {generator}: {why}")
    progress(0.05, "Training")

    started = time.perf_counter()
    fitted = fit_generator(learn, metadata, generator, epochs=plan.epochs, seed=plan.seed,
                           progress=scaled(progress, 0.05, 0.8), cancel=cancel)
    fit_s = time.perf_counter() - started

    started = time.perf_counter()
    synthetic = sample_rows(fitted, rows, seed=plan.seed,
                            progress=scaled(progress, 0.8, 0.88), cancel=cancel)
    learned = [s.name for s in modelled_columns(specs) if s.action is Action.SYNTHESIZE]

    def draw(count: int, attempt: int) -> pd.DataFrame:
        return sample_rows(fitted, count, seed=plan.seed + 7919 * attempt, cancel=cancel)

    progress(0.88, "Replacing rows that copy a real row")
    synthetic = replace_copies(synthetic, real, learned, draw, protection)
    sample_s = time.perf_counter() - started

    started = time.perf_counter()
    quality = evaluate_quality(real, synthetic, metadata, seed=plan.seed,
                               progress=scaled(progress, 0.9, 0.94), cancel=cancel)
    progress(0.94, "Replacing sensitive columns")
    output = output_frame(apply_treatments(synthetic, data, specs, plan.seed), specs)
    leaked = count_leaks(data, output, specs)
    if leaked:
        raise PrivacyCheckFailed(
            f"{leaked} cell(s) of the synthetic table hold a real value from a replaced or "
            "dropped column, so nothing was written. Drop the columns that share values "
            "with the sensitive ones, or mark them sensitive too."
        )
    copies = exact_copy_share(train_rows[learned], output[learned])
    target = next((s for s in specs if s.name == plan.target), None)
    evidence = gather_evidence(
        real[learned], holdout[learned], synthetic[learned], quality=quality.overall,
        leaked=leaked, exact_copies=copies, target=plan.target,
        target_is_number=target is not None and target.kind in (Kind.INTEGER, Kind.DECIMAL),
        seed=plan.seed, per_column=quality.per_column, neural=is_neural(generator),
        progress=scaled(progress, 0.95, 1.0), cancel=cancel,
    )
    evaluate_s = time.perf_counter() - started
    progress(1.0, "Training finished")
    return TrainingResult(output, quality, copies, fit_s, sample_s, evaluate_s, fitted.loss,
                          protection=protection, sensitive_values_leaked=leaked,
                          evidence=evidence, generator=generator, generator_reason=why)


def split_holdout(data: pd.DataFrame, share: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set aside a random ``share`` of the rows, which the generator never sees."""
    if share <= 0:
        return data, data.iloc[:0]
    holdout = data.sample(frac=share, random_state=seed)
    return data.drop(index=holdout.index), holdout


def run_job(
    job: Job,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
    *,
    isolated: bool = True,
) -> JobResult:
    """Read, train, write the synthetic table and (if asked) the report.

    Args:
        job: The user's choices.
        progress: Receives the fraction done and a message.
        cancel: Stops the job; a running fit stops within two seconds.
        isolated: Train in a child process (the default; cancel works at any moment).

    """
    from synthdesk.core.runner import run_training_isolated
    from synthdesk.evaluation.report import build_report
    from synthdesk.export.writers import (
        StagedOutputs,
        check_output_rows,
        check_outputs,
        write_table,
    )

    check_outputs(job.input, job.output, job.report)  # before any work
    check_output_rows(job.output, job.plan.rows)
    total_started = time.perf_counter()
    progress(0.0, f"Reading {job.input.name}")
    started = time.perf_counter()
    table, detected = load_table(job.input, job.sheet, job.read)
    read_s = time.perf_counter() - started
    columns = list(job.columns) if job.columns is not None else \
        apply_overrides(detected, job.overrides, table.data)
    cancel.raise_if_set()

    train = run_training_isolated if isolated else run_training
    training = train(table.data, columns, job.plan, scaled(progress, 0.05, 0.95), cancel)

    progress(0.95, f"Writing {job.output.name}")
    with StagedOutputs():  # every file the job writes, or none
        write_table(training.synthetic, job.output, specs=columns)
        timing = {
            "read_s": round(read_s, 3),
            "fit_s": round(training.fit_s, 3),
            "sample_s": round(training.sample_s, 3),
            "evaluate_s": round(training.evaluate_s, 3),
            "total_s": round(time.perf_counter() - total_started, 3),
        }
        report = build_report(job, table, columns, training, timing)
        if job.report is not None:
            write_report(report, job.report, table.data, training.synthetic, columns)
    progress(1.0, "Done")
    return JobResult(job, table, columns, training, timing, report)


def write_report(report: dict, path: Path, real: pd.DataFrame, synthetic: pd.DataFrame,
                 specs: Sequence[ColumnSpec]) -> None:
    """Write ``report`` as a self-contained HTML page (``.html``) or as JSON (anything else)."""
    from synthdesk.export.writers import write_json, write_text

    if Path(path).suffix.lower() in (".html", ".htm"):
        from synthdesk.evaluation.html_report import render_html

        write_text(render_html(report, real, synthetic, specs), path)
    else:
        write_json(report, path)


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
    if plan.target is not None:
        learned = {s.name for s in modelled_columns(specs) if s.action is Action.SYNTHESIZE}
        if plan.target not in learned:
            raise InvalidChoice(f"{plan.target!r} cannot be the target: choose a column that "
                                "is learned (not replaced, dropped or empty).")
        if plan.holdout_share(len(data)) <= 0:
            raise InvalidChoice("A target needs real rows set aside to test on: this table "
                                "has fewer than 1,000 rows, so set a share of rows to set "
                                "aside.")
