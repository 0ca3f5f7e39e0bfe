"""The job's report as plain data: what was read, made, measured and how long it took.

It never holds a real value from the table, only counts, names, settings and scores.
"""

from __future__ import annotations

from collections.abc import Sequence

from synthdesk import __version__
from synthdesk.schema.columns import ColumnSpec

__all__ = ["build_report", "describe_columns"]


def describe_columns(columns: Sequence[ColumnSpec]) -> list[dict]:
    """One plain dict per column: name, kind, missing share, sensitivity and treatment.

    ``reason`` says why a column is sensitive or a quasi-identifier ("" otherwise).
    """
    return [
        {
            "name": spec.name,
            "kind": str(spec.kind),
            "missing": spec.missing,
            "sensitive": spec.sensitive,
            "reason": spec.reason,
            "treatment": str(spec.action),
            "pii_type": spec.pii_type,
            "quasi_identifier": spec.quasi_identifier,
        }
        for spec in columns
    ]


def build_report(job, table, columns: Sequence[ColumnSpec], training, timing: dict) -> dict:
    """Assemble the JSON report of a finished job."""
    plan = job.plan
    return {
        "synthdesk_version": __version__,
        "input": {
            "file": table.source.path.name,
            "rows": int(len(table.data)),
            "columns": int(table.data.shape[1]),
            "source": table.source.to_dict(),
        },
        "output": {
            "file": job.output.name,
            "rows": int(len(training.synthetic)),
            "columns": int(training.synthetic.shape[1]),
        },
        "generator": plan.generator,
        "seed": plan.seed,
        "epochs": plan.epochs,
        "timing": timing,
        "quality": training.quality.to_dict(),
        "privacy": {
            "exact_copies": training.exact_copies,
            "sensitive_values_leaked": training.sensitive_values_leaked,
            "rare_categories_protected": training.protection.rare_categories_protected,
            "rare_categories_by_column": training.protection.rare_categories,
            "extreme_values_clipped": training.protection.clipped_columns,
            "copied_rows_replaced": training.protection.copies_replaced,
            "copied_rows_removed": training.protection.copies_removed,
            "treatments": {spec.name: str(spec.action) for spec in columns},
        },
        "columns": describe_columns(columns),
    }
