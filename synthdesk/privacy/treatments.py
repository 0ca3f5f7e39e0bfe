"""Apply each column's treatment to generated rows: fakes, consistent fakes, fresh keys."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from synthdesk.privacy.fakes import consistent_column, fake_column, guess_locale, normalise
from synthdesk.privacy.leaks import PROTECTED_ACTIONS
from synthdesk.privacy.subjects import person_level_columns
from synthdesk.schema.columns import Action, ColumnSpec, Kind

__all__ = ["apply_treatments"]


def apply_treatments(
    synthetic: pd.DataFrame, real: pd.DataFrame, specs: Sequence[ColumnSpec], seed: int,
    avoid: set[str] | None = None, subject: str | None = None,
) -> pd.DataFrame:
    """Return ``synthetic`` with replaced columns filled in and consistent columns mapped.

    Args:
        synthetic: Generated rows of the learned columns.
        real: The user's table (read only; used to avoid ever reusing a real value).
        specs: Every column, in the user's order.
        seed: The job's seed; the same seed gives the same fakes.
        avoid: More values (trimmed, case-folded) no fake may take: the rare real values
            of every column (see ``synthdesk.privacy.leaks.rare_text_values``).
        subject: The column naming each row's person, when rows belong to people. A
            replaced column that is the same on every row of a real person (a customer's
            name on each invoice) gets one fake per synthetic person, the same on all of
            their rows.

    """
    out = synthetic.copy()
    locale = guess_locale(real, specs)
    protected = [s.name for s in specs if s.action in PROTECTED_ACTIONS and s.name in real]
    secrets = set().union(*(normalise(real[name].dropna().unique()) for name in protected))
    secrets |= avoid or set()
    people = _people(out, subject)
    per_person = set() if people is None else set(person_level_columns(
        real, subject, [s.name for s in specs if s.action is Action.FAKE]))
    for spec in specs:
        if spec.kind is Kind.EMPTY or spec.name not in real.columns:
            continue
        # Keyed by the column's name, not its position: the same column gets the same
        # fakes whichever table or order it comes in.
        column_seed = seed * 1009 + zlib.crc32(str(spec.name).encode("utf-8"))
        if spec.action is Action.FAKE and spec.name in per_person:
            out[spec.name] = _per_person(spec, people, out.index, real[spec.name],
                                         column_seed, locale, secrets)
        elif spec.action is Action.FAKE:
            values = fake_column(spec, real[spec.name], len(out), column_seed, locale, secrets)
            out[spec.name] = values.set_axis(out.index)
        elif spec.action is Action.CONSISTENT:
            out[spec.name] = consistent_column(spec, out[spec.name], real[spec.name],
                                               column_seed, locale, secrets)
    return out


def _per_person(spec: ColumnSpec, people: np.ndarray, index: pd.Index, real: pd.Series,
                seed: int, locale: str, taken: set[str]) -> pd.Series:
    """One distinct fake per synthetic person, on all their rows, with the real missing share."""
    values = consistent_column(spec, pd.Series(people, index=index), real, seed, locale, taken)
    missing = float(real.isna().mean()) if len(real) else 0.0
    if missing > 0:
        absent = np.random.default_rng(seed).random(int(people.max()) + 1) < missing
        values = values.where(~absent[people])
    return values


def _people(synthetic: pd.DataFrame, subject: str | None) -> np.ndarray | None:
    """One number per synthetic row naming its person (a row without one is its own)."""
    if subject is None or subject not in synthetic.columns:
        return None
    codes, _ = pd.factorize(synthetic[subject], use_na_sentinel=True)
    alone = codes < 0
    codes[alone] = codes.max(initial=-1) + 1 + np.arange(int(alone.sum()))
    return codes
