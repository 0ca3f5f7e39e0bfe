"""Apply each column's treatment to generated rows: fakes, consistent fakes, fresh keys."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import pandas as pd

from synthdesk.privacy.fakes import consistent_column, fake_column, guess_locale, normalise
from synthdesk.privacy.leaks import PROTECTED_ACTIONS
from synthdesk.schema.columns import Action, ColumnSpec, Kind

__all__ = ["apply_treatments"]


def apply_treatments(
    synthetic: pd.DataFrame, real: pd.DataFrame, specs: Sequence[ColumnSpec], seed: int,
    avoid: set[str] | None = None,
) -> pd.DataFrame:
    """Return ``synthetic`` with replaced columns filled in and consistent columns mapped.

    Args:
        synthetic: Generated rows of the learned columns.
        real: The user's table (read only; used to avoid ever reusing a real value).
        specs: Every column, in the user's order.
        seed: The job's seed; the same seed gives the same fakes.
        avoid: More values (trimmed, case-folded) no fake may take: the rare real values
            of every column (see ``synthdesk.privacy.leaks.rare_text_values``).

    """
    out = synthetic.copy()
    locale = guess_locale(real, specs)
    protected = [s.name for s in specs if s.action in PROTECTED_ACTIONS and s.name in real]
    secrets = set().union(*(normalise(real[name].dropna().unique()) for name in protected))
    secrets |= avoid or set()
    for spec in specs:
        if spec.kind is Kind.EMPTY or spec.name not in real.columns:
            continue
        # Keyed by the column's name, not its position: the same column gets the same
        # fakes whichever table or order it comes in.
        column_seed = seed * 1009 + zlib.crc32(str(spec.name).encode("utf-8"))
        if spec.action is Action.FAKE:
            values = fake_column(spec, real[spec.name], len(out), column_seed, locale, secrets)
            out[spec.name] = values.set_axis(out.index)
        elif spec.action is Action.CONSISTENT:
            out[spec.name] = consistent_column(spec, out[spec.name], real[spec.name],
                                               column_seed, locale, secrets)
    return out
