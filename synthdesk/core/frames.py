"""Shape the user's table for a generator, and the generator's rows back for the user."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from synthdesk.schema.columns import Action, ColumnSpec, Kind, parse_dates, write_dates
from synthdesk.schema.metadata import modelled_columns

__all__ = ["training_frame", "output_frame"]


def training_frame(data: pd.DataFrame, specs: Sequence[ColumnSpec]) -> pd.DataFrame:
    """Return the modelled columns, with dates held as text parsed to timestamps.

    Dates that do not match the column's format become missing.
    """
    frame = {}
    for spec in modelled_columns(specs):
        column = data[spec.name]
        if spec.kind in (Kind.DATE, Kind.DATETIME) and spec.date_format and \
                spec.action is Action.SYNTHESIZE:
            column = parse_dates(column, spec)
        frame[spec.name] = column
    return pd.DataFrame(frame, index=data.index)


def output_frame(synthetic: pd.DataFrame, specs: Sequence[ColumnSpec]) -> pd.DataFrame:
    """Return generated rows with the input's columns, in its order and formats.

    ``synthetic`` holds every column that is not dropped or empty (learned columns and
    replaced ones, see :func:`synthdesk.privacy.treatments.apply_treatments`). Dropped
    columns stay out; empty columns come back empty; integers stay integers; dates held
    as text are written in their original format.
    """
    columns = {}
    for spec in specs:
        if spec.action is Action.DROP:
            continue
        if spec.kind is Kind.EMPTY:
            columns[spec.name] = pd.Series(pd.NA, index=synthetic.index, dtype="object")
            continue
        column = synthetic[spec.name]
        if spec.kind is Kind.INTEGER and spec.action is Action.SYNTHESIZE:
            column = pd.to_numeric(column, errors="coerce").round().astype("Int64")
        elif spec.kind in (Kind.DATE, Kind.DATETIME) and spec.date_format and \
                spec.action is Action.SYNTHESIZE:
            column = write_dates(column, spec)
        columns[spec.name] = column
    return pd.DataFrame(columns, index=synthetic.index)
