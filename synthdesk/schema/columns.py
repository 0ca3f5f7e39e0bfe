"""Column kinds: what each column holds, decided from its values."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import pandas as pd

__all__ = [
    "Kind", "Action", "ColumnSpec", "profile_columns", "detect_kind", "decimal_places",
    "with_kind", "DATE_FORMATS",
]

_SAMPLE_ROWS = 5000
_CODE = re.compile(r"^0\d+$")
_DIGITS = re.compile(r"^\d+$")
_PII_CELLS = 1_000_000  # values checked for personal data, across all columns
_ID_NAME = re.compile(
    r"(^|[_\s\-.])(id|key|code|no|nr|number|uuid|guid)$|[a-z]I[Dd]$|^id[_\s]", re.I
)

# Formats tried for text columns that may hold dates. Day-first and month-first twins are
# both tried; which one a column uses is decided from its values (see ``_date_format``).
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d.%m.%y",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d-%b-%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%H:%M:%S",
    "%H:%M",
)
# What any of DATE_FORMATS looks like: a quick test before trying each format.
_DATE_SHAPE = re.compile(
    r"^\s*(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2}|\d{1,2}[-\s][A-Za-z]{3}"
    r"|[A-Za-z]{3,9}\s\d{1,2})"
)
_BOOLEAN_PAIRS = (
    {"true", "false"}, {"yes", "no"}, {"y", "n"}, {"t", "f"}, {"0", "1"}, {"oui", "non"},
    {"ja", "nein"}, {"si", "no"},
    # Exports that mix the long and short forms in one column ("yes", "Y", "no", "N").
    {"yes", "no", "y", "n"}, {"true", "false", "t", "f"},
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
        evidence: Why the kind was chosen, in plain words ("whole numbers from 1 to 9").
        decimals: Decimal places of a decimal column (the most any value uses, up to 6).
        unit: ``"%"`` or a currency symbol (``"$"``, ``"€"``...) when the input wrote the
            numbers with one; the numbers hold the figure as written (``12.5%`` is 12.5).
            Spreadsheet exports show it again (see ``synthdesk.export.write_table``).

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
    evidence: str = ""
    decimals: int | None = None
    unit: str | None = None

    def with_changes(self, **changes) -> ColumnSpec:
        """Return a copy with some fields changed."""
        return replace(self, **changes)


def profile_columns(data: pd.DataFrame) -> list[ColumnSpec]:
    """Decide every column's kind and flag sensitive ones, in column order."""
    from synthdesk.schema.pii import detect_pii  # local: pii uses this module's kinds

    # What the reader learned beyond the values (synthdesk.io.readers.EVIDENCE and UNITS).
    known = data.attrs.get("synthdesk_evidence", {})
    units = data.attrs.get("synthdesk_units", {})
    # Personal data is checked on the first 500 values of each column; a very wide table
    # is checked on fewer (at least 100), so that profiling stays within seconds.
    sample_rows = int(min(500, max(100, _PII_CELLS // max(1, data.shape[1]))))
    specs = []
    for name in data.columns:
        column = data[name]
        kind, date_format, evidence = _classify(column)
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
        )
        specs.append(detect_pii(column, spec, sample_rows))
    return specs


def detect_kind(column: pd.Series) -> tuple[Kind, str | None]:
    """Return a column's kind and, for dates held as text, their format."""
    kind, date_format, _ = _classify(column)
    return kind, date_format


def with_kind(spec: ColumnSpec, kind: Kind | str, column: pd.Series) -> ColumnSpec:
    """Return ``spec`` with the kind the user chose, and what that kind needs from the data.

    Choosing date or datetime for dates held as text finds their format; choosing decimal
    counts decimal places; choosing integer or decimal checks that the values are numbers.
    The result goes in ``Job.columns``, so the choice is kept with the job and reaches the
    generator through ``synthdesk.schema.metadata``.

    Raises:
        InvalidChoice: The values cannot be read as the chosen kind.

    """
    from synthdesk.errors import InvalidChoice

    try:
        kind = Kind(kind)
    except ValueError:
        choices = ", ".join(k.value for k in Kind)
        raise InvalidChoice(f"{kind!r} is not a kind; choose one of: {choices}.") from None
    values = column.dropna()
    date_format, decimals = None, None
    if kind in (Kind.INTEGER, Kind.DECIMAL) and not pd.api.types.is_numeric_dtype(column):
        raise InvalidChoice(f"{spec.name!r} holds text, not numbers: it cannot be {kind}.")
    if kind is Kind.INTEGER and not bool((values == values.round()).all()):
        raise InvalidChoice(f"{spec.name!r} has values with decimals: choose decimal.")
    if kind is Kind.DECIMAL:
        decimals = decimal_places(column)
    if kind in (Kind.DATE, Kind.DATETIME) and not pd.api.types.is_datetime64_any_dtype(column):
        date_format, _ = _date_format(values.astype(str).str.strip())
        if date_format is None:
            raise InvalidChoice(f"{spec.name!r} does not hold dates SynthDesk can read.")
    return spec.with_changes(kind=kind, date_format=date_format, decimals=decimals,
                             evidence=f"chosen by you (detected: {spec.kind})")


def decimal_places(column: pd.Series) -> int | None:
    """The most decimal places any value of a numeric column uses (up to 6)."""
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return None
    values = column.to_numpy(dtype="float64", na_value=np.nan)[:_SAMPLE_ROWS * 4 * 4]
    values = values[np.isfinite(values)][:_SAMPLE_ROWS * 4]
    if values.size == 0:
        return None
    for places in range(7):
        scaled = values * 10**places
        if (np.abs(scaled - np.round(scaled)) < 1e-6 * np.maximum(1.0, np.abs(scaled))).all():
            return places
    return None


def _classify(column: pd.Series) -> tuple[Kind, str | None, str]:
    """The kind, the text date format and the evidence for them.

    Cheap tests come first and numbers are tested with numpy: on a table with thousands
    of columns, pandas' fixed cost per call would otherwise outweigh the work.
    """
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        values = column.dropna()
        if values.empty:
            return Kind.EMPTY, None, "every cell is empty"
        if (values == values.iloc[0]).all():
            return Kind.CONSTANT, None, "every filled cell holds the same value"
        return Kind.BOOLEAN, None, "true/false values"
    if pd.api.types.is_numeric_dtype(dtype):
        return _classify_numbers(column)
    values = column.dropna()
    if values.empty:
        return Kind.EMPTY, None, "every cell is empty"
    if (values == values.iloc[0]).all():
        return Kind.CONSTANT, None, "every filled cell holds the same value"
    if isinstance(values.iloc[0], (bool, np.bool_)) and (
            values.map(type).isin([bool, np.bool_]).all()):
        return Kind.BOOLEAN, None, "true/false values"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        times = pd.DatetimeIndex(values)
        if bool((times == times.normalize()).all()):
            return Kind.DATE, None, "dates"
        return Kind.DATETIME, None, "dates with times of day"
    text = values.astype(str).str.strip()
    distinct = text.unique()
    if len(distinct) <= 12:
        lowered = {str(v).lower() for v in distinct}
        if any(lowered <= pair for pair in _BOOLEAN_PAIRS):
            shown = "/".join(sorted(str(v) for v in distinct[:4]))
            return Kind.BOOLEAN, None, f"only {shown}"
    date_format, how = _date_format(text)
    if date_format:
        if date_format.startswith("%H"):
            return Kind.DATETIME, date_format, f"times of day written {_example(date_format)}"
        has_time = "%H" in date_format
        kind = Kind.DATETIME if has_time else Kind.DATE
        return kind, date_format, f"dates written {_example(date_format)}{how}"
    if _looks_like_key(column, text):
        return Kind.IDENTIFIER, None, "a different code on (nearly) every row"
    unique_share = len(distinct) / len(text)
    if unique_share > 0.5:
        mean_words = text.head(_SAMPLE_ROWS).str.count(r"\s+").mean() + 1
        if mean_words >= 3:
            return Kind.TEXT, None, f"free text, {mean_words:.0f} words on average"
    if any(_CODE.match(v) for v in distinct) and all(_DIGITS.match(v) for v in distinct):
        return Kind.CATEGORY, None, "codes with leading zeros, kept as text"
    return Kind.CATEGORY, None, f"{len(distinct):,} distinct values"


def _classify_numbers(column: pd.Series) -> tuple[Kind, str | None, str]:
    if pd.api.types.is_integer_dtype(column.dtype) and not column.hasnans:
        present = column.to_numpy()
        integral = True
    else:
        present = column.to_numpy(dtype="float64", na_value=np.nan)
        present = present[~np.isnan(present)]
        integral = None
    if present.size == 0:
        return Kind.EMPTY, None, "every cell is empty"
    if (present == present[0]).all():
        return Kind.CONSTANT, None, "every filled cell holds the same value"
    if ((present == 0) | (present == 1)).all():
        return Kind.BOOLEAN, None, "only 0 and 1"
    if integral is None:
        integral = bool((present == np.round(present)).all())
    if integral and len(present) >= 20 and _looks_like_key(column, column.dropna()):
        return Kind.IDENTIFIER, None, "a different whole number on every row"
    low, high = present.min(), present.max()
    if integral:
        return Kind.INTEGER, None, f"whole numbers from {low:g} to {high:g}"
    return Kind.DECIMAL, None, f"numbers with decimals from {low:g} to {high:g}"


def _example(date_format: str) -> str:
    return pd.Timestamp("2024-01-31 13:45:30").strftime(date_format)


def _looks_like_key(column: pd.Series, values: pd.Series) -> bool:
    """A key is unique (a few rows may lack it) and named like one or free of spaces."""
    if len(values) < 20 or not values.is_unique or column.isna().mean() > 0.05:
        return False
    if _ID_NAME.search(str(column.name)) or str(column.name).startswith(("Unnamed", "column_")):
        return not column.isna().any() or not pd.api.types.is_numeric_dtype(values)
    if pd.api.types.is_numeric_dtype(values):
        if column.isna().any():
            return False
        ordered = values.sort_values().to_numpy()
        return bool(((ordered[1:] - ordered[:-1]) == 1).all())
    text = values.astype(str)
    return not text.str.contains(r"\s").any() and text.str.contains(r"\d").mean() > 0.9


def _date_format(text: pd.Series) -> tuple[str | None, str]:
    """The format of dates held as text, and how day-first or month-first was decided."""
    first = text.iloc[0] if len(text) else ""
    if len(first) > 32 or not _DATE_SHAPE.match(first):
        return None, ""  # the first value already says no: spare the column-wide tests
    sample = text.head(_SAMPLE_ROWS)
    if sample.str.len().max() > 32 or not sample.head(200).str.match(_DATE_SHAPE).all():
        return None, ""
    matches = [fmt for fmt in DATE_FORMATS if _parses(sample, fmt)]
    if not matches:
        return None, ""
    first = matches[0]
    twin = _twin(first)
    if twin is None or twin not in matches:
        if twin is not None:
            return first, " (a value above 12 shows which part is the day)"
        return first, ""
    # Every value reads both ways: the day changes more often than the month.
    parts = sample.str.extract(r"^(\d{1,2})\D(\d{1,2})\D")
    day_first = parts[0].nunique() >= parts[1].nunique()
    chosen = first if ("%d" in first.split("%m")[0]) == day_first else twin
    return chosen, " (no day above 12: the part that varies more is taken as the day)"


def _twin(date_format: str) -> str | None:
    if "%d" in date_format and "%m" in date_format and not date_format.startswith("%Y"):
        swapped = date_format.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
        return swapped
    return None


def _parses(sample: pd.Series, date_format: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(sample, format=date_format, errors="coerce")
    return bool(parsed.notna().mean() >= 0.98)
