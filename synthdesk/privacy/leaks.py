"""Proof that no real person's value reached the output, and a guard that sees every column.

Two checks run on the synthetic table before it is written:

- :func:`guard_rare_values` looks at every text cell of every column, flagged sensitive
  or not, and replaces any that equals a real value held by fewer than k subjects in
  the real table (in any column). It does not depend on detection: a name column that
  was never flagged cannot hand back a real name.
- :func:`find_leaks` proves that no real value of a replaced or dropped column is in
  the output; when one is, :func:`leak_message` names each column and its kind of values
  and says how to fix a column that was flagged by mistake.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthdesk.privacy.fakes import fresh_identifiers, normalise
from synthdesk.privacy.protection import RARE_LABEL
from synthdesk.schema.columns import Action, ColumnSpec, Kind
from synthdesk.schema.pii import PII_LABELS
from synthdesk.schema.rarity import MIN_SUBJECTS, subject_codes

__all__ = ["PROTECTED_ACTIONS", "Leak", "count_leaks", "find_leaks", "leak_message",
           "guard_rare_values", "rare_text_values", "columns_to_unmark", "scrub", "HIDDEN"]

HIDDEN = "<hidden>"

PROTECTED_ACTIONS = (Action.FAKE, Action.CONSISTENT, Action.DROP)
MIRROR_MIN_VALUES = 5
# Kinds whose values are compared as text by the leak guard. Numbers and dates are
# learned as quantities: extremes are pulled in and copied rows replaced instead.
TEXT_KINDS = (Kind.CATEGORY, Kind.TEXT, Kind.IDENTIFIER, Kind.BOOLEAN, Kind.CONSTANT)
# Short whole numbers (counts, ages, codes below 1,000) are shared by chance between
# columns of any table; they never identify anyone and never count as a leak.
_SHORT_NUMBER = re.compile(r"^[+-]?\d{1,3}$")
_KIND_WORDS = {
    Kind.INTEGER: "whole numbers", Kind.DECIMAL: "decimal numbers", Kind.CATEGORY: "categories",
    Kind.BOOLEAN: "yes/no values", Kind.DATE: "dates", Kind.DATETIME: "dates and times",
    Kind.IDENTIFIER: "identifiers", Kind.TEXT: "text", Kind.CONSTANT: "one repeated value",
    Kind.EMPTY: "no values",
}


@dataclass(frozen=True)
class Leak:
    """Cells of one output column that hold real values of one protected column."""

    column: str
    source: str
    cells: int


def count_leaks(real: pd.DataFrame, output: pd.DataFrame, specs: Sequence[ColumnSpec],
                subjects: pd.Series | None = None) -> int:
    """Count output cells holding a real value of a replaced or dropped column."""
    return sum(leak.cells for leak in find_leaks(real, output, specs, subjects))


def find_leaks(real: pd.DataFrame, output: pd.DataFrame, specs: Sequence[ColumnSpec],
               subjects: pd.Series | None = None) -> list[Leak]:
    """Find output cells holding a real value of a replaced or dropped column.

    Every cell of a replaced column is compared (as trimmed, case-folded text) with the
    real values of every protected column. So is every cell of a learned column that
    mirrors a protected one: it holds at least half of that column's distinct real
    values, and at least :data:`MIRROR_MIN_VALUES` of them (a login beside an e-mail
    address). In a learned column, a value that at least k people hold in that same
    real column is the column's own common value (a race "White" and a person called
    White), not a leak; short whole numbers are never one (a count of 3 in two count
    columns). Other learned columns never saw the protected ones.
    """
    protected = [s.name for s in specs if s.action in PROTECTED_ACTIONS and s.name in real]
    if not protected:
        return []
    secret_sets = {name: _distinctive(normalise(real[name].dropna().unique()))
                   for name in protected}
    secret_sets = {name: values for name, values in secret_sets.items() if values}
    if not secret_sets:
        return []
    leaks = []
    for name in output.columns:
        cells = _as_text(output[name])
        if name in protected or name not in real.columns:
            allowed: set[str] = set()
            sources = secret_sets
        else:
            sources = {source: values for source, values in secret_sets.items()
                       if _mirrors(real[name], values)}
            if not sources:
                continue
            allowed = _common_text(real[name], subjects)
        for source, values in sources.items():
            hits = int((cells.isin(values) & ~cells.isin(allowed)).sum())
            if hits:
                leaks.append(Leak(name, source, hits))
    return leaks


def leak_message(leaks: Sequence[Leak], specs: Sequence[ColumnSpec]) -> str:
    """The analyst's message when :func:`find_leaks` found something: what, where, what to do.

    It names every column and its kind of values (never a value) and says how to tell
    SynthDesk that a column flagged sensitive is not personal data.
    """
    by_name = {s.name: s for s in specs}
    total = sum(leak.cells for leak in leaks)
    parts = []
    for leak in leaks:
        where = ("its own output" if leak.column == leak.source
                 else f"column '{leak.column}'")
        parts.append(f"'{leak.source}' ({_describe(by_name.get(leak.source))}): "
                     f"{leak.cells:,} cells in {where}")
    sources = list(dict.fromkeys(leak.source for leak in leaks))
    fixes = " ".join(f"--not-sensitive {name}" for name in sources)
    return (f"Nothing was written: {total:,} cells of the synthetic table hold a real value "
            f"of a replaced or dropped column. " + "; ".join(parts) + ". If "
            + ", ".join(f"'{name}'" for name in sources) + " is not personal data, mark it "
            f"not sensitive ({fixes} on the command line, or 'Mark not sensitive' in the "
            "window) and run again; if it is, drop the columns that share its values or "
            "mark them sensitive too.")


def columns_to_unmark(message: str, specs: Sequence[ColumnSpec]) -> list[str]:
    """The replaced or dropped columns that a :func:`leak_message` names, in table order."""
    return [s.name for s in specs if s.action in PROTECTED_ACTIONS and f"'{s.name}' (" in message]


def _describe(spec: ColumnSpec | None) -> str:
    if spec is None:
        return "values"
    label = PII_LABELS.get(spec.pii_type or "", "")
    kind = _KIND_WORDS.get(spec.kind, str(spec.kind))
    flagged = f"flagged as {label}" if label else "flagged sensitive" if spec.sensitive else ""
    return f"{kind}, {flagged}" if flagged else kind


def _distinctive(values: set[str]) -> set[str]:
    return {v for v in values if not _SHORT_NUMBER.match(v)}


def _common_text(column: pd.Series, subjects: pd.Series | None) -> set[str]:
    """The values (as text) that at least k subjects hold in ``column``."""
    text = _as_text(column)
    keys = subject_codes(column.index, subjects)[column.notna().to_numpy()]
    counts = pd.DataFrame({"v": text.to_numpy(), "s": keys}).drop_duplicates()
    held = counts["v"].value_counts()
    return set(held[held >= MIN_SUBJECTS].index)


def _mirrors(column: pd.Series, secret: set[str]) -> bool:
    values = normalise(column.dropna().unique())
    shared = len(values & secret)
    return shared >= MIRROR_MIN_VALUES and shared >= len(secret) / 2


def _as_text(column: pd.Series) -> pd.Series:
    values = column.dropna()
    if pd.api.types.is_float_dtype(values):
        whole = values == values.round()
        text = values.astype("object").where(~whole, values.round().astype("int64"))
        return text.astype(str).str.strip().str.casefold()
    return values.astype(str).str.strip().str.casefold()


def _text_per_row(column: pd.Series) -> np.ndarray:
    """:func:`_as_text` of each present cell, made once per distinct value (memory-light)."""
    codes, uniques = pd.factorize(column)
    text = _as_text(pd.Series(uniques, dtype=column.dtype if len(uniques) else object))
    return text.to_numpy(dtype=object)[codes[codes >= 0]]


def rare_text_values(real: pd.DataFrame, specs: Sequence[ColumnSpec],
                     subjects: pd.Series | None = None,
                     threshold: int = MIN_SUBJECTS) -> set[str]:
    """Real text values (trimmed, case-folded) that fewer than ``threshold`` subjects hold.

    A value counts once per subject over every text column of the table: a city that
    is the birthplace of three people and the home of three others is held by six.
    Short whole numbers are left out (they identify no one).
    """
    pairs, per_column = [], []
    codes = subject_codes(real.index, subjects)
    for spec in specs:
        if spec.name not in real.columns or spec.kind not in TEXT_KINDS:
            continue
        column = real[spec.name]
        pair = pd.DataFrame({"v": _text_per_row(column),
                             "s": codes[column.notna().to_numpy()]})
        if subjects is not None:
            pair = pair.drop_duplicates()
        pairs.append(pair)
        per_column.append(pair["v"].value_counts())
    if not pairs:
        return set()
    # A value in one column only is held by its count there; one in several columns is
    # counted again over their rows together (a subject holding it twice counts once).
    counts = pd.concat(per_column, axis=1).fillna(0)
    held = counts.sum(axis=1)
    shared = counts.index[(counts > 0).sum(axis=1) > 1]
    if len(shared):
        wanted = set(shared)
        joined = pd.concat([p[p["v"].isin(wanted)] for p in pairs], ignore_index=True)
        held.loc[shared] = joined.drop_duplicates()["v"].value_counts().reindex(shared)
    return _distinctive(set(held[held < threshold].index))


def guard_rare_values(output: pd.DataFrame, real: pd.DataFrame, specs: Sequence[ColumnSpec],
                      subjects: pd.Series | None = None, seed: int = 0,
                      threshold: int = MIN_SUBJECTS,
                      rare: set[str] | None = None) -> tuple[pd.DataFrame, dict[str, int]]:
    """Replace every output text cell that equals a real value held by fewer than k subjects.

    Every column is looked at, whatever detection said. A learned category gets the
    label rare categories are learned as (``(other)``); an identifier or a replaced
    column gets a new value of the same shape. ``real`` is the user's whole table;
    ``rare`` is :func:`rare_text_values` when already computed.

    Returns:
        The output, and column -> cells replaced (columns with none are left out).

    """
    if rare is None:
        rare = rare_text_values(real, specs, subjects, threshold)
    if not rare:
        return output, {}
    out = output.copy()
    by_name = {s.name: s for s in specs}
    replaced: dict[str, int] = {}
    rng = np.random.default_rng(seed)
    for name in out.columns:
        spec = by_name.get(name)
        column = out[name]
        if spec is None or (spec.kind not in TEXT_KINDS and spec.action is Action.SYNTHESIZE):
            continue
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
            continue
        text = _as_text(column)
        hit_index = text.index[text.isin(rare)]
        if not len(hit_index):
            continue
        if spec.action is Action.SYNTHESIZE and spec.kind is not Kind.IDENTIFIER:
            fresh = pd.Series(RARE_LABEL, index=hit_index, dtype="object")
        else:
            taken = rare | normalise(real[name].dropna().unique()) if name in real else rare
            shapes = column.loc[hit_index].astype(str)
            fresh = fresh_identifiers(shapes, len(hit_index), rng, taken).set_axis(hit_index)
        out[name] = column.astype("object")
        out.loc[hit_index, name] = fresh.astype("object")
        replaced[name] = len(hit_index)
    return out, replaced


def scrub(text: str, real: pd.DataFrame, specs: Sequence[ColumnSpec]) -> str:
    """Hide every real value of a sensitive or protected column that appears in ``text``.

    Error messages and tracebacks from libraries may quote the cell they choked on; this
    runs on them before they leave the training process, so no log or dialog shows one.
    A value is hidden where it stands as a whole (not inside a longer word or number), so
    SynthDesk's own counts ("3,120 cells") and column names survive.
    """
    if not text:
        return text
    names = [s.name for s in specs
             if (s.sensitive or s.action in PROTECTED_ACTIONS) and s.name in real.columns]
    values = {str(v).strip() for name in names for v in real[name].dropna().unique()}
    for value in sorted((v for v in values if len(v) >= 3), key=len, reverse=True):
        if value in text:
            text = re.sub(_whole(value), HIDDEN, text)
    return text


def _whole(value: str) -> str:
    """A pattern for ``value`` standing alone: a number not inside a longer number."""
    before = r"(?<![\w.,])" if value[0].isdigit() else r"(?<!\w)" if value[0].isalnum() else ""
    after = r"(?![\w]|[.,]\d)" if value[-1].isdigit() else r"(?!\w)" if value[-1].isalnum() \
        else ""
    return before + re.escape(value) + after
