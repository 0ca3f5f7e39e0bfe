"""Proof that no real value of a replaced or dropped column reached the output."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from synthdesk.privacy.fakes import normalise
from synthdesk.schema.columns import Action, ColumnSpec

__all__ = ["PROTECTED_ACTIONS", "count_leaks", "scrub", "HIDDEN"]

HIDDEN = "<hidden>"

PROTECTED_ACTIONS = (Action.FAKE, Action.CONSISTENT, Action.DROP)
MIRROR_MIN_VALUES = 5


def count_leaks(real: pd.DataFrame, output: pd.DataFrame, specs: Sequence[ColumnSpec]) -> int:
    """Count output cells holding a real value of a replaced or dropped column.

    Every cell of a replaced column is compared (as trimmed, case-folded text) with the
    real values of every protected column. So is every cell of a learned column that
    mirrors a protected one: it holds at least half of that column's distinct real
    values, and at least :data:`MIRROR_MIN_VALUES` of them (a login beside an e-mail
    address). Other learned columns never saw the protected ones, so a shared value there
    is a coincidence of the data (a race called "White" and a person called White; ages
    that are also row numbers), not a leak.
    """
    protected = [s.name for s in specs if s.action in PROTECTED_ACTIONS and s.name in real]
    if not protected:
        return 0
    secret_sets = [normalise(real[name].dropna().unique()) for name in protected]
    secrets = set().union(*secret_sets)
    if not secrets:
        return 0
    leaked = 0
    for name in output.columns:
        if name in real.columns and name not in protected and \
                not _mirrors(real[name], secret_sets):
            continue
        leaked += int(_as_text(output[name]).isin(secrets).sum())
    return leaked


def _mirrors(column: pd.Series, secret_sets: list[set[str]]) -> bool:
    values = normalise(column.dropna().unique())
    for secret in secret_sets:
        shared = len(values & secret)
        if shared >= MIRROR_MIN_VALUES and shared >= len(secret) / 2:
            return True
    return False


def _as_text(column: pd.Series) -> pd.Series:
    values = column.dropna()
    if pd.api.types.is_float_dtype(values):
        whole = values == values.round()
        text = values.astype("object").where(~whole, values.round().astype("int64"))
        return text.astype(str).str.strip().str.casefold()
    return values.astype(str).str.strip().str.casefold()


def scrub(text: str, real: pd.DataFrame, specs: Sequence[ColumnSpec]) -> str:
    """Hide every real value of a sensitive or protected column that appears in ``text``.

    Error messages and tracebacks from libraries may quote the cell they choked on; this
    runs on them before they leave the training process, so no log or dialog shows one.
    """
    if not text:
        return text
    names = [s.name for s in specs
             if (s.sensitive or s.action in PROTECTED_ACTIONS) and s.name in real.columns]
    values = {str(v).strip() for name in names for v in real[name].dropna().unique()}
    for value in sorted((v for v in values if len(v) >= 3), key=len, reverse=True):
        if value in text:
            text = text.replace(value, HIDDEN)
    return text
