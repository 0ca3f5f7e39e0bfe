"""Column kinds: what each column holds, decided from its values."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import pandas as pd

from synthdesk.sentinels import find_sentinels

__all__ = [
    "Kind", "Action", "ColumnSpec", "detect_kind", "classify", "PII_CELLS", "decimal_places",
    "with_kind", "DATE_FORMATS", "MONTH_FORMATS", "parse_dates", "write_dates",
]

_SAMPLE_ROWS = 5000
_CODE = re.compile(r"^0\d+$")
_DIGITS = re.compile(r"^\d+$")
PII_CELLS = 1_000_000  # values checked for personal data, across all columns
_ID_NAME = re.compile(
    r"(^|[_\s\-.])(id|key|code|cod|no|nr|number|uuid|guid|fips)$|[a-z]I[Dd]$"
    r"|^(id|cod|code|fips)[_\s]|^fips$", re.I
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
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%b %d %Y",
    "%H:%M:%S",
    "%H:%M",
    # Months: dates with month precision, written back the same way.
    "%Y-%m",
    "%Y/%m",
    "%b-%Y",
    "%b %Y",
    "%B %Y",
    "%B-%Y",
    "%b-%y",
    "%m/%Y",
)
MONTH_FORMATS = frozenset(DATE_FORMATS[-8:])
# A time zone written after date-times (``Z``, ``+02:00``, ``-0800``), kept as written.
_ZONE = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
# HHMM clock times held as text ("0400") or whole numbers (517 = 05:17).
_HHMM_TEXT = re.compile(r"^\d{4}$")
_CLOCK_NAME = re.compile(r"time|clock|hhmm|hour|dep|arr|start|end|tst", re.I)
# What any of DATE_FORMATS looks like: a quick test before trying each format.
_DATE_SHAPE = re.compile(
    r"^\s*(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2}|\d{1,2}[-\s][A-Za-z]{3}"
    r"|[A-Za-z]{3,9}\s\d{1,2}|\d{4}[-/]\d{1,2}$|[A-Za-z]{3,9}[-\s]\d{2,4}$"
    r"|\d{1,2}/\d{4}$)"
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
        written_as: How dates were held when ``date_format`` alone cannot say it:
            ``"number"`` for clock times held as whole numbers (HHMM, ``517`` = 05:17),
            ``"milliseconds"`` for fractions of a second written with three digits.
            :func:`write_dates` writes generated values back the same way.

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
    written_as: str | None = None

    def with_changes(self, **changes) -> ColumnSpec:
        """Return a copy with some fields changed."""
        return replace(self, **changes)


def detect_kind(column: pd.Series) -> tuple[Kind, str | None]:
    """Return a column's kind and, for dates held as text, their format."""
    kind, date_format, _ = classify(column)
    return kind, date_format.split("|")[0] if date_format else None


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


def parse_dates(column: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Dates held as text (or HHMM whole numbers) as timestamps, by ``spec.date_format``.

    Values that do not match become missing.
    """
    if spec.written_as == "number" or pd.api.types.is_numeric_dtype(column):
        numbers = pd.to_numeric(column, errors="coerce")
        column = numbers.map(lambda v: None if pd.isna(v) else f"{int(v):04d}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.to_datetime(column, format=spec.date_format, errors="coerce")


def write_dates(times: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Generated timestamps written the way the input wrote them (:func:`parse_dates`).

    The format's literal time zone (``Z``, ``+02:00``) comes back as written, months as
    months, three-digit fractions of a second with three digits, and HHMM clocks held as
    whole numbers as whole numbers (valid times: minutes below 60).
    """
    times = pd.to_datetime(times, errors="coerce")
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_localize(None)
    text = times.dt.strftime(spec.date_format)
    if spec.written_as == "milliseconds":
        text = text.str.replace(r"([.,]\d{3})\d{3}", r"\1", regex=True)
    if spec.written_as == "number":
        return pd.to_numeric(text, errors="coerce").astype("Int64")
    return text


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


def classify(column: pd.Series) -> tuple[Kind, str | None, str]:
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
        written = "|milliseconds" if _milliseconds(text, date_format) else ""
        if date_format.startswith("%H"):
            return (Kind.DATETIME, date_format + written,
                    f"times of day written {_example(date_format)}")
        if date_format in MONTH_FORMATS:
            return Kind.DATE, date_format, f"months written {_example(date_format)}{how}"
        has_time = "%H" in date_format
        kind = Kind.DATETIME if has_time else Kind.DATE
        zone = _ZONE.search(date_format) if "%H" in date_format else None
        kept = f", time zone {zone.group(1)} kept as written" if zone else ""
        shown = _example(date_format)
        if written:
            shown = re.sub(r"([.,]\d{3})\d{3}", r"\1", shown)
        return kind, date_format + written, f"dates written {shown}{how}{kept}"
    if _hhmm_text(column, text, distinct):
        return Kind.DATETIME, "%H%M", "clock times written HHMM (0930 = 09:30)"
    places = _place_names(text)
    if places:
        return Kind.CATEGORY, None, f"place names written {places}"
    unique_share = len(distinct) / len(text)
    if _looks_like_key(column, text):
        if _DATE_SHAPE.match(text.iloc[0]) or text.head(200).str.contains(r"\d:\d\d").any():
            return Kind.CATEGORY, None, (f"{len(distinct):,} distinct values (uncertain: they "
                                         "look like dates or times in a format SynthDesk "
                                         "does not know; choose the kind)")
        return Kind.IDENTIFIER, None, "a different code on (nearly) every row"
    if unique_share > 0.5:
        mean_words = text.head(_SAMPLE_ROWS).str.count(r"\s+").mean() + 1
        if mean_words >= 3:
            return Kind.TEXT, None, f"free text, {mean_words:.0f} words on average"
    if any(_CODE.match(v) for v in distinct) and all(_DIGITS.match(v) for v in distinct):
        return Kind.CATEGORY, None, "codes with leading zeros, kept as text"
    if unique_share > 0.9 and len(text) >= 20:
        return Kind.CATEGORY, None, (f"{len(distinct):,} distinct values (uncertain: nearly "
                                     "every row differs; a name, a code or free text?)")
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
    if integral and _hhmm_numbers(present, str(column.name)):
        return (Kind.DATETIME, "%H%M|number",
                "clock times held as whole numbers, HHMM (517 = 05:17)")
    sentinels = find_sentinels(present)
    if sentinels:
        present = present[~np.isin(present, [v for v, _ in sentinels])]
    low, high = present.min(), present.max()
    said = "; ".join(f"{v:g} ({n:,} times)" for v, n in sentinels)
    flagged = (f" (uncertain: {said} lies far outside the other values, probably a code for "
               "'unknown'; it can be read as missing)") if sentinels else ""
    if integral:
        return Kind.INTEGER, None, f"whole numbers from {low:g} to {high:g}{flagged}"
    return Kind.DECIMAL, None, f"numbers with decimals from {low:g} to {high:g}{flagged}"


def _milliseconds(text: pd.Series, date_format: str) -> bool:
    """Whether fractions of a second are written with three digits (``.250``)."""
    if "%f" not in date_format:
        return False
    return bool(text.head(200).str.contains(r"[.,]\d{3}(?!\d)").all())


def _hhmm_text(column: pd.Series, text: pd.Series, distinct) -> bool:
    """Four digits, hours below 24 and minutes below 60, with some leading zeros."""
    if len(text) < 20 or len(distinct) < 5 or _ID_NAME.search(str(column.name)):
        return False
    if not all(_HHMM_TEXT.match(v) for v in distinct):
        return False
    numbers = np.array([int(v) for v in distinct])
    return bool(any(v.startswith("0") for v in distinct)) and _clock_like(numbers, 3)


def _hhmm_numbers(present: np.ndarray, name: str) -> bool:
    """Whole numbers that read as HHMM clock times: 0 to 2359, minutes always below 60.

    Minutes of 60 to 99 never appearing among many varied values is what sets clocks
    apart from counts and measures (a column of 30 random counts below 2400 passes by
    chance about once in 40,000); a name saying time or clock lowers the bar.
    """
    named = bool(_CLOCK_NAME.search(name)) and not _ID_NAME.search(name)
    distinct = np.unique(present)
    if len(present) < (10 if named else 30) or len(distinct) < (6 if named else 12):
        return False
    return _clock_like(distinct, 2 if named else 4)


def _clock_like(numbers: np.ndarray, hours_needed: int) -> bool:
    if numbers.min() < 0 or numbers.max() > 2359:
        return False
    minutes, hours = numbers % 100, numbers // 100
    return bool((minutes < 60).all()) and len(np.unique(hours)) >= hours_needed and \
        len(np.unique(minutes)) >= 2


# "City, ST", "Adams County, NE", "Paris, France": a place, then its state or country.
_PLACE = re.compile(r"^[A-Z][\w.'\- ]*[a-z.],\s(?:[A-Z]{2,3}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)*)$")


def _place_names(text: pd.Series) -> str | None:
    """How place names are written when (nearly) every value is one, else ``None``."""
    sample = text.head(500)
    if len(sample) < 10 or ", " not in sample.iloc[0] or sample.str.match(_PLACE).mean() < 0.95:
        return None
    return "'City, ST'" if sample.str.contains(r", [A-Z]{2,3}$").mean() >= 0.95 else \
        "'Place, Region'"


def _example(date_format: str) -> str:
    return pd.Timestamp("2024-01-31 13:45:30").strftime(date_format)


def _looks_like_key(column: pd.Series, values: pd.Series) -> bool:
    """A key is unique (a few rows may lack it) and named like one or free of spaces."""
    if len(values) < 20 or not values.is_unique or column.isna().mean() > 0.05:
        return False
    if _ID_NAME.search(str(column.name)) or str(column.name).startswith(("Unnamed", "column_")):
        return column.isna().sum() <= max(1, len(column) // 100) or \
            not pd.api.types.is_numeric_dtype(values)
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
    zone = _ZONE.search(first)
    if zone and re.search(r"\d:\d\d", first[:zone.start()]) and \
            sample.head(200).str.endswith(zone.group(1)).all() and \
            sample.str.endswith(zone.group(1)).all():
        # One time zone on every value: kept as written, as a literal after the time.
        suffix = zone.group(1)
        bare = sample.str.slice(0, -len(suffix))
        matches = [fmt for fmt in DATE_FORMATS if "%H" in fmt and not fmt.startswith("%H")
                   and _parses(bare, fmt)]
        return (matches[0] + suffix, "") if matches else (None, "")
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
