"""The job's report as plain data: what was read, made, measured and how long it took.

It never holds a real value from the table, only counts, names, settings and scores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from synthdesk import __version__
from synthdesk.evaluation.summary import sampling_note
from synthdesk.evaluation.verdict import THRESHOLDS
from synthdesk.schema.columns import Action, ColumnSpec
from synthdesk.schema.rarity import SUBJECT_REASON

__all__ = ["build_report", "describe_columns", "report_columns"]


def describe_columns(columns: Sequence[ColumnSpec]) -> list[dict]:
    """One plain dict per column: name, kind, missing share, sensitivity and treatment.

    ``reason`` says why a column is sensitive or a quasi-identifier ("" otherwise).
    """
    return [
        {
            "name": spec.name,
            "kind": str(spec.kind),
            "evidence": spec.evidence,
            "missing": spec.missing,
            "sensitive": spec.sensitive,
            "reason": spec.reason,
            "treatment": str(spec.action),
            "pii_type": spec.pii_type,
            "quasi_identifier": spec.quasi_identifier,
        }
        for spec in columns
    ]


def report_columns(columns: Sequence[ColumnSpec]) -> list[dict]:
    """:func:`describe_columns` as reports hold it: no real lowest or highest value."""
    return [_without_extremes(entry) for entry in describe_columns(columns)]


def build_report(job, table, columns: Sequence[ColumnSpec], training, timing: dict) -> dict:
    """Assemble the report of a finished job (the JSON report; the HTML one shows the same)."""
    plan = job.plan
    evidence = training.evidence
    distances = evidence.distances if evidence else None
    quality = training.quality.to_dict()
    quality["discriminator_auc"] = evidence.discriminator_auc if evidence else None
    return {
        "synthdesk_version": __version__,
        "input": {
            "file": table.source.path.name,
            "rows": int(len(table.data)),
            "columns": int(table.data.shape[1]),
            "source": table.source.to_dict(),
            # A file too large to read whole: "rows" are a sample of its rows.
            **({} if table.source.rows_in_file is None else {
                "rows_in_file": table.source.rows_in_file,
                "sample": sampling_note(0, 0, None, int(len(table.data)),
                                        table.source.rows_in_file)}),
        },
        "output": {
            "file": job.output.name,
            "rows": int(getattr(training, "rows", len(training.synthetic))),
            "columns": int(training.synthetic.shape[1]),
            "scored_rows": int(len(training.synthetic)),
        },
        "generator": training.generator or plan.generator,
        "generator_reason": training.generator_reason,
        "seed": plan.seed,
        "epochs": plan.epochs,
        "timing": timing,
        "quality": quality,
        "privacy": {
            "dcr_share": distances.dcr_share if distances else None,
            "dcr_subjects": distances.subjects_compared if distances else None,
            "nndr": distances.nndr_synthetic if distances else None,
            "nndr_holdout": distances.nndr_holdout if distances else None,
            "exact_copies": training.exact_copies,
            "holdout_exact_copies": distances.holdout_copies if distances else None,
            "holdout_rows": evidence.holdout_rows if evidence else 0,
            "sensitive_values_leaked": training.sensitive_values_leaked,
            "rare_categories_protected": training.protection.rare_categories_protected,
            "rare_categories_by_column": training.protection.rare_categories,
            "extreme_values_clipped": training.protection.clipped_columns,
            "copied_rows_replaced": training.protection.copies_replaced,
            "copied_rows_removed": training.protection.copies_removed,
            "leak_guard_replaced": training.protection.leak_guard_replaced,
            "leak_guard_by_column": training.protection.leak_guard,
            "columns_replaced_unlearnable": training.protection.replaced_columns,
            "mostly_other": training.protection.mostly_other,
            "subject": training.protection.subject,
            "subjects": training.protection.subjects,
            "treatments": {spec.name: str(_treated(spec, training.protection).action)
                           for spec in columns},
        },
        "utility": evidence.utility.to_dict() if evidence and evidence.utility else None,
        "rare_group": training.rare_group.to_dict()
        if getattr(training, "rare_group", None) else None,
        "verdict": evidence.verdict.to_dict() if evidence else None,
        "kept_relations": [kept.to_dict() for kept in getattr(training, "kept_relations", ())],
        "largest_pair_losses": [pair.to_dict()
                                for pair in getattr(training, "pair_losses", ())],
        "thresholds": {name: {"value": value, "meaning": meaning}
                       for name, (value, meaning) in THRESHOLDS.items()},
        "columns": [_without_extremes(entry) for entry in
                    describe_columns([_treated(spec, training.protection) for spec in columns])],
    }


_RANGE = re.compile(r" from \S+ to \S+$")


def _without_extremes(entry: dict) -> dict:
    """A column's description for the report: no real lowest or highest value in it.

    Kind evidence says "whole numbers from 40000 to 33000000"; one person may hold the
    top of that range, so the report keeps only "whole numbers".
    """
    return {**entry, "evidence": _RANGE.sub("", entry.get("evidence") or "")}


def _treated(spec: ColumnSpec, protection) -> ColumnSpec:
    """The column as training treated it: replaced when it could not be learned."""
    why = protection.replaced_columns.get(spec.name)
    if why is not None and spec.action is Action.SYNTHESIZE:
        return spec.with_changes(action=Action.FAKE, reason=why)
    if spec.name == protection.subject and spec.action is Action.SYNTHESIZE:
        return spec.with_changes(action=Action.CONSISTENT, reason=spec.reason or SUBJECT_REASON)
    return spec
