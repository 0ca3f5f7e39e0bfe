"""Column kinds: what each column holds, decided from its values."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, replace
from enum import StrEnum

import pandas as pd

__all__ = ["Kind", "Action", "ColumnSpec", "profile_columns", "detect_kind", "DATE_FORMATS"]

_SAMPLE_ROWS = 5000
_ID_NAME = re.compile(
    r"(^|[_\s\-.])(id|key|code|no|nr|number|uuid|guid)$|[a-z]I[Dd]$|^id[_\s]", re.I
)

# Formats tried, in order, for text columns that may hold dates.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d-%m-%Y",
)


class Kind(StrEnum):
    """What a column holds, in the words the app shows."""

    INTEGER = "integer"
    DECIMAL = "decimal"
    CATEGORY = "category"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    IDENTIFIER = "identifier"
    TEXT = "text"
    CONSTANT = "constant"
    EMPTY = "empty"


class Action(StrEnum):
    """What SynthDesk does with a column."""

    SYNTHESIZE = "synthesize"  # learned like any other column
    FAKE = "fake"  # replaced by realistic fakes (or fresh identifiers), never learned
    CONSISTENT = "consistent"  # learned, then each real value mapped to one fake
    DROP = "drop"  # left out of the output


@dataclass(frozen=True)
class ColumnSpec:
    """One column as SynthDesk understands it.

    Attributes:
        name: The column's header.
        kind: What the values are.
        missing: Share of missing cells, 0..1.
        sensitive: Whether the column may identify a person.
        reason: Why it was flagged sensitive, in plain words ("" if not).
        pii_type: The kind of personal data (``"email"``, ``"first_name"``...) when known.
        date_format: strftime format of dates stored as text.
        action: What to do with the column.
        quasi_identifier: Not identifying alone but with others (age, ZIP code, city,
            gender, job): learned, and counted in the privacy checks.

    """

    name: str
    kind: Kind
    missing: float = 0.0
    sensitive: bool = False
    reason: str = ""
    pii_type: str | None = None
    date_format: str | None = None
    action: Action = Action.SYNTHESIZE
    quasi_identifier: bool = False

    def with_changes(self, **changes) -> ColumnSpec:
        """Return a copy with some fields changed."""
        return replace(self, **changes)


def profile_columns(data: pd.DataFrame) -> list[ColumnSpec]:
    """Decide every column's kind and flag sensitive ones, in column order."""
    from synthdesk.schema.pii import detect_pii  # local: pii uses this module's kinds

    specs = []
    for name in data.columns:
        column = data[name]
        kind, date_format = detect_kind(column)
        spec = ColumnSpec(
            name=str(name),
            kind=kind,
            missing=round(float(column.isna().mean()), 4) if len(column) else 0.0,
            date_format=date_format,
        )
        specs.append(detect_pii(column, spec))
    return specs


def detect_kind(column: pd.Series) -> tuple[Kind, str | None]:
    """Return a column's kind and, for dates held as text, their format."""
    values = column.dropna()
    if values.empty:
        return Kind.EMPTY, None
    if (values == values.iloc[0]).all():
        return Kind.CONSTANT, None
    if pd.api.types.is_bool_dtype(column):
        return Kind.BOOLEAN, None
    if pd.api.types.is_datetime64_any_dtype(column):
        times = pd.DatetimeIndex(values)
        is_date = bool((times == times.normalize()).all())
        return (Kind.DATE if is_date else Kind.DATETIME), None
    if pd.api.types.is_numeric_dtype(column):
        integral = bool((values == values.round()).all())
        if integral and _looks_like_key(column, values):
            return Kind.IDENTIFIER, None
        return (Kind.INTEGER if integral else Kind.DECIMAL), None
    text = values.astype(str).str.strip()
    lowered = set(text.str.lower().unique()[:10])
    if lowered and lowered <= {"true", "false"} | {"yes", "no"} | {"y", "n"}:
        return Kind.BOOLEAN, None
    date_format = _date_format(text)
    if date_format:
        has_time = "%H" in date_format
        return (Kind.DATETIME if has_time else Kind.DATE), date_format
    if _looks_like_key(column, text):
        return Kind.IDENTIFIER, None
    unique_share = text.nunique() / len(text)
    mean_words = text.head(_SAMPLE_ROWS).str.count(r"\s+").mean() + 1
    if unique_share > 0.5 and mean_words >= 3:
        return Kind.TEXT, None
    return Kind.CATEGORY, None


def _looks_like_key(column: pd.Series, values: pd.Series) -> bool:
    """A key is unique on every row and either named like one or free of spaces."""
    if len(values) < 20 or column.isna().any() or not values.is_unique:
        return False
    if _ID_NAME.search(str(column.name)) or str(column.name).startswith("Unnamed"):
        return True
    if pd.api.types.is_numeric_dtype(values):
        ordered = values.sort_values().to_numpy()
        return bool(((ordered[1:] - ordered[:-1]) == 1).all())
    text = values.astype(str)
    return not text.str.contains(r"\s").any() and text.str.contains(r"\d").mean() > 0.9


def _date_format(text: pd.Series) -> str | None:
    sample = text.head(_SAMPLE_ROWS)
    if not sample.str.contains(r"\d").all() or sample.str.len().max() > 32:
        return None
    for fmt in DATE_FORMATS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = pd.to_datetime(sample, format=fmt, errors="coerce")
        if parsed.notna().mean() >= 0.98:
            return fmt
    return None
