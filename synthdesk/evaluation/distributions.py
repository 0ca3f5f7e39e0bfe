"""Numbers the window draws: shared bins for real vs synthetic, sparklines, correlations.

Everything here returns plain numpy arrays; the widgets only draw them. What both the
window and the HTML report draw never shows a real value that fewer than
:data:`~synthdesk.schema.rarity.MIN_SUBJECTS` people hold: such categories are
grouped as "(rare values)", and histogram ranges stop where that many people reach.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthdesk.schema.columns import Action, ColumnSpec, Kind
from synthdesk.schema.rarity import MIN_SUBJECTS, RARE_VALUES_LABEL, holders, subject_keys

__all__ = [
    "Distribution",
    "column_distribution",
    "sparkline",
    "numeric_values",
    "correlation_matrices",
    "quality_in_words",
    "NUMERIC_KINDS",
]

NUMERIC_KINDS = (Kind.INTEGER, Kind.DECIMAL, Kind.DATE, Kind.DATETIME)
_OTHER = "Other"


@dataclass(frozen=True)
class Distribution:
    """Real and synthetic shares over the same bins.

    Attributes:
        name: The column.
        numeric: True for histograms (``edges`` set), False for category bars (``labels`` set).
        dates: Whether ``edges`` are seconds since 1970 (dates and times).
        edges: Bin edges, ``len(real) + 1`` of them (numeric only).
        labels: Category labels, the most common first, then "(rare values)" (real
            values fewer than k people hold) and "Other" if needed.
        real: Share of real values in each bin, or None when the real side is not shown.
        synthetic: Share of synthetic values in each bin.

    """

    name: str
    numeric: bool
    dates: bool
    edges: np.ndarray | None
    labels: tuple[str, ...]
    real: np.ndarray | None
    synthetic: np.ndarray


def numeric_values(column: pd.Series, spec: ColumnSpec) -> np.ndarray:
    """Return a column's non-missing values as floats (dates as seconds since 1970)."""
    if spec.kind in (Kind.DATE, Kind.DATETIME):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            times = pd.to_datetime(column, format=spec.date_format, errors="coerce")
        times = times.dropna()
        return times.astype("int64").to_numpy(dtype=float) / 1e9
    values = pd.to_numeric(column, errors="coerce").dropna()
    return values.to_numpy(dtype=float)


def _shares(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    return counts / total if total else counts.astype(float)


def _edges(values: Sequence[np.ndarray], bins: int) -> np.ndarray:
    joined = np.concatenate([v for v in values if v is not None and len(v)]) if any(
        v is not None and len(v) for v in values) else np.array([0.0, 1.0])
    finite = joined[np.isfinite(joined)]
    if not len(finite):
        finite = np.array([0.0, 1.0])
    low, high = float(finite.min()), float(finite.max())
    if low == high:
        low, high = low - 0.5, high + 0.5
    return np.linspace(low, high, bins + 1)


def column_distribution(
    real: pd.Series | None,
    synthetic: pd.Series,
    spec: ColumnSpec,
    *,
    bins: int = 20,
    top: int = 8,
    subjects: pd.Series | None = None,
) -> Distribution:
    """Bin ``real`` and ``synthetic`` the same way, for drawing side by side.

    Args:
        real: The real column, or None to show only the synthetic side (replaced columns).
        synthetic: The synthetic column.
        spec: The column's kind decides histogram or bars.
        bins: Histogram bins for numbers and dates.
        top: Categories shown before the rest are grouped as "Other".
        subjects: The person each real row belongs to (None: each row is one), so that
            no label or bin edge shows a real value fewer than k people hold.

    """
    if spec.kind in NUMERIC_KINDS and spec.action not in (Action.FAKE, Action.CONSISTENT):
        synth = numeric_values(synthetic, spec)
        real_values = numeric_values(real, spec) if real is not None else None
        if real is not None:
            low, high = _shared_range(real, real_values, spec, subjects)
            real_values = np.clip(real_values, low, high)
        edges = _edges([real_values, synth], bins)
        synth_share = _shares(np.histogram(synth, edges)[0])
        real_share = _shares(np.histogram(real_values, edges)[0]) if real is not None else None
        dates = spec.kind in (Kind.DATE, Kind.DATETIME)
        return Distribution(spec.name, True, dates, edges, (), real_share, synth_share)

    reference = real if real is not None else synthetic
    ref_text = reference.dropna().astype(str)
    counts = ref_text.value_counts()
    rare: set[str] = set()
    if real is not None:
        held = holders(ref_text, subjects)
        rare = set(held[held < MIN_SUBJECTS].index)
    shown = [str(v) for v in counts.index if v not in rare]
    labels = shown[:top]
    needs_rare = bool(rare)
    needs_other = len(shown) > top or (
        real is not None and bool((~synthetic.dropna().astype(str).isin([*labels, *rare])).any())
    )

    def shares(column: pd.Series) -> np.ndarray:
        text = column.dropna().astype(str)
        found = text.value_counts().reindex(labels, fill_value=0).to_numpy(dtype=float)
        if needs_rare:
            found = np.append(found, float(text.isin(rare).sum()))
        if needs_other:
            found = np.append(found, float(len(text) - found.sum()))
        return _shares(found)

    all_labels = tuple(labels + ([RARE_VALUES_LABEL] if needs_rare else [])
                       + ([_OTHER] if needs_other else []))
    real_share = shares(real) if real is not None else None
    return Distribution(spec.name, False, False, None, all_labels, real_share, shares(synthetic))


def _shared_range(real: pd.Series, values: np.ndarray, spec: ColumnSpec,
                  subjects: pd.Series | None) -> tuple[float, float]:
    """The range of ``values`` whose ends at least k people reach (each end's k-th person).

    A person counts at the bottom with their lowest value and at the top with their
    highest, so no bin edge is one person's extreme (the CEO's salary).
    """
    if not len(values):
        return -np.inf, np.inf
    present = real.dropna()
    numbers = pd.Series(numeric_values(present, spec))
    if len(numbers) != len(present):  # values that did not parse: count rows
        keys = subject_keys(numbers.index, None)
    else:
        keys = subject_keys(present.index, subjects).reset_index(drop=True)
    lows = numbers.groupby(keys.to_numpy()).min().sort_values()
    highs = numbers.groupby(keys.to_numpy()).max().sort_values()
    if len(lows) < MIN_SUBJECTS:
        middle = float(np.median(values))
        return middle, middle
    return float(lows.iloc[MIN_SUBJECTS - 1]), float(highs.iloc[-MIN_SUBJECTS])


def sparkline(column: pd.Series, spec: ColumnSpec, bins: int = 12, top: int = 6) -> np.ndarray:
    """A tiny shape of one column: histogram shares for numbers, top category shares otherwise."""
    if spec.kind in (Kind.EMPTY, Kind.CONSTANT):
        return np.zeros(0)
    if spec.kind in NUMERIC_KINDS:
        values = numeric_values(column, spec)
        if not len(values):
            return np.zeros(0)
        return _shares(np.histogram(values, _edges([values], bins))[0])
    if spec.kind in (Kind.IDENTIFIER, Kind.TEXT):
        return np.zeros(0)
    counts = column.dropna().astype(str).value_counts()
    return _shares(counts.to_numpy(dtype=float)[:top])


def correlation_matrices(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    specs: Sequence[ColumnSpec],
    *,
    limit: int = 12,
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Pearson correlations between learned number and date columns, real and synthetic.

    Returns:
        Column names, the real matrix, the synthetic matrix, and synthetic minus real.
        Missing values are left out pairwise; a constant column gives 0.

    """
    chosen = [
        s for s in specs
        if s.kind in NUMERIC_KINDS and s.action is Action.SYNTHESIZE
        and s.name in real.columns and s.name in synthetic.columns
    ][:limit]
    names = [s.name for s in chosen]

    def matrix(frame: pd.DataFrame) -> np.ndarray:
        if not chosen:
            return np.zeros((0, 0))
        numbers = {}
        for spec in chosen:
            column = frame[spec.name]
            if spec.kind in (Kind.DATE, Kind.DATETIME):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    times = pd.to_datetime(column, format=spec.date_format, errors="coerce")
                numbers[spec.name] = times.astype("int64").where(times.notna()).astype(float)
            else:
                numbers[spec.name] = pd.to_numeric(column, errors="coerce")
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            corr = pd.DataFrame(numbers).corr().to_numpy(dtype=float)
        corr = np.nan_to_num(corr, nan=0.0)
        np.fill_diagonal(corr, 1.0)
        return corr

    real_m, synth_m = matrix(real), matrix(synthetic)
    return names, real_m, synth_m, synth_m - real_m


def quality_in_words(score: float | None) -> str:
    """Say what an overall 0-1 quality score means, for an analyst."""
    if score is None or not np.isfinite(score):
        return "Not scored"
    if score >= 0.9:
        return "Excellent: the synthetic table follows the real one very closely"
    if score >= 0.8:
        return "Good: the main patterns are kept"
    if score >= 0.65:
        return "Fair: broad patterns are kept, details differ"
    return "Poor: the synthetic table differs noticeably from the real one"
