"""Profile a table: each column's kind from its values, then whether it is sensitive.

Kinds come from :mod:`synthdesk.schema.columns`, personal data from
:mod:`synthdesk.schema.pii`; this module joins them, so neither imports the other's caller.
"""

from __future__ import annotations

import pandas as pd

from synthdesk.schema.columns import (
    PII_CELLS,
    Action,
    ColumnSpec,
    Kind,
    classify,
    decimal_places,
)
from synthdesk.schema.pii import detect_pii

__all__ = ["profile_columns"]


def profile_columns(data: pd.DataFrame) -> list[ColumnSpec]:
    """Decide every column's kind and flag sensitive ones, in column order."""
    # What the reader learned beyond the values (synthdesk.io.readers.EVIDENCE and UNITS).
    known = data.attrs.get("synthdesk_evidence", {})
    units = data.attrs.get("synthdesk_units", {})
    # Personal data is checked on the first 500 values of each column; a very wide table
    # is checked on fewer (at least 100), so that profiling stays within seconds.
    sample_rows = int(min(500, max(100, PII_CELLS // max(1, data.shape[1]))))
    specs = []
    for name in data.columns:
        column = data[name]
        kind, date_format, evidence = classify(column)
        written_as = None
        if date_format and "|" in date_format:  # how the values were held, see _classify
            date_format, written_as = date_format.split("|")
        unit = None
        if kind in (Kind.DATE, Kind.DATETIME) and str(name) in known:
            evidence = known[str(name)]
        if kind in (Kind.INTEGER, Kind.DECIMAL) and str(name) in units:
            unit = units[str(name)]
            evidence += ", written as percentages" if unit == "%" else \
                f", written as amounts in {unit}"
        spec = ColumnSpec(
            name=str(name),
            kind=kind,
            missing=round(float(column.isna().mean()), 4) if len(column) else 0.0,
            date_format=date_format,
            evidence=evidence,
            decimals=decimal_places(column) if kind is Kind.DECIMAL else None,
            unit=unit,
            written_as=written_as,
        )
        spec = detect_pii(column, spec, sample_rows)
        if evidence.startswith("place names"):
            # "Adams County, NE" can read like a person's name; a place is learned, and
            # counted with the other quasi-identifiers in the privacy checks.
            spec = spec.with_changes(
                sensitive=False, action=Action.SYNTHESIZE, quasi_identifier=True,
                pii_type="city", reason=spec.reason if spec.pii_type == "city" and spec.reason
                else "place names: learned, and counted as a quasi-identifier")
        specs.append(spec)
    return specs
