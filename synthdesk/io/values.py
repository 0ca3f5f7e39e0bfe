"""Turn raw cells into clean columns: trimmed text, missing values, numbers held as text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from synthdesk.formats import QUOTED_FORMULA

__all__ = [
    "ERROR_CELLS", "NUMBER_TEXT", "clean_column", "clean_columns", "mixes_numbers",
    "parse_numbers", "unquote_formulas", "unquoted_notice", "NumberText", "QUOTED_FORMULA",
]

# What spreadsheets write in a cell whose formula failed.
ERROR_CELLS = frozenset({
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!", "Err:502",
})
_CURRENCY = "$€£¥₹₩₽"
_SPACES = "\u00a0\u202f "
NUMBER_TEXT = re.compile(
    r"^[-+]?\(?[-+]?[" + _CURRENCY + r"]?\s*[-+]?"
    r"(?:\d{1,3}(?:[,.'’\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|[.,]\d+)"
    r"(?:[eE][-+]?\d+)?\s*[" + _CURRENCY + r"%]?\)?$"
)
_CODE = re.compile(r"^[-+]?0\d")
# Text that a spreadsheet-safe export prefixed with ``'`` so that it cannot run as a
# formula (see ``synthdesk.export.writers.neutralise_formulas``): one ``'`` is removed.
_GROUPED_COMMA = re.compile(r"^[^.,]*\d{1,3}(,\d{3})+\D*$")
_GROUPED_DOT = re.compile(r"^[^.,]*\d{1,3}(\.\d{3}){2,}\D*$|^[^.,]*\d{1,3}(\.\d{3})+,\d+\D*$")


class NumberText:
    """How a column wrote its numbers as text.

    Attributes:
        decimal: The decimal mark, ``"."`` or ``","``.
        percent: Values ended with ``%`` (kept as written: ``12%`` reads as 12).
        currency: The currency symbol the values carried, if any.
        grouped: Values used thousands separators.

    """

    def __init__(self, decimal: str, percent: bool, currency: str | None, grouped: bool):
        self.decimal, self.percent, self.currency, self.grouped = (
            decimal, percent, currency, grouped)

    @property
    def unit(self) -> str | None:
        """``"%"``, the currency symbol, or ``None`` for plain numbers."""
        return "%" if self.percent else self.currency

    def notice(self, name: str) -> str | None:
        """What the user is told about column ``name``; ``None`` for plain numbers."""
        described = self.describe()
        if described == "plain numbers":
            return None
        return f"{name}: numbers written as text ({described}) read as numbers."

    def describe(self) -> str:
        """Say in plain words how the numbers were written."""
        parts = []
        if self.currency:
            parts.append(f"amounts in {self.currency}")
        if self.percent:
            parts.append("percentages")
        if self.grouped:
            parts.append("thousands separators")
        if self.decimal == ",":
            parts.append("decimal comma")
        return ", ".join(parts) or "plain numbers"


def parse_numbers(text: pd.Series, decimal: str | None = None) -> tuple[pd.Series, NumberText]:
    """Read a text column as numbers, if every value is a number written as text.

    Codes with leading zeros (ZIP, FIPS, account numbers) are not numbers: they stay text.

    Args:
        text: Stripped text values, missing as NaN.
        decimal: The decimal mark, when the user set it; detected otherwise.

    Returns:
        The numbers (float64, or int64 when whole and complete) and how they were written;
        ``None`` for both when the column is not numbers.

    """
    values = text.dropna()
    if values.empty:
        return None, None
    head = values.head(2000)
    if not head.str.match(NUMBER_TEXT).all() or head.str.match(_CODE).any():
        return None, None
    if not values.str.match(NUMBER_TEXT).all() or values.str.match(_CODE).any():
        return None, None
    percent = bool(values.str.endswith("%").any())
    symbols = values.str.extract(f"([{_CURRENCY}])", expand=False).dropna().unique()
    currency = str(symbols[0]) if len(symbols) == 1 else None
    core = text.str.replace(f"[{_CURRENCY}%{_SPACES}'’]", "", regex=True)
    negative = core.str.startswith("(") & core.str.endswith(")")
    core = core.str.strip("()")
    with_comma = core[core.str.contains(",", regex=False, na=False)]
    with_dot = core[core.str.contains(".", regex=False, na=False)]
    if decimal is None:
        both = core[core.str.contains(",", regex=False, na=False)
                    & core.str.contains(".", regex=False, na=False)]
        if not both.empty:
            first = both.iloc[0]
            decimal = "," if first.rfind(",") > first.rfind(".") else "."
        elif not with_comma.empty:
            decimal = "." if with_comma.str.match(_GROUPED_COMMA).all() else ","
        elif not with_dot.empty and with_dot.str.match(_GROUPED_DOT).all():
            decimal = ","
        else:
            decimal = "."
    thousands = "," if decimal == "." else "."
    grouped = bool(core.str.contains(thousands, regex=False, na=False).any()) or (
        text.str.contains(f"\\d[{_SPACES}'’]\\d{{3}}", regex=True, na=False).any())
    core = core.str.replace(thousands, "", regex=False)
    if decimal == ",":
        core = core.str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(core, errors="coerce")
    if numbers[text.notna()].isna().any():
        return None, None
    numbers = numbers.where(~negative, -numbers.abs())
    numbers = _narrow(numbers)
    return numbers, NumberText(decimal, percent, currency, grouped)


def _narrow(numbers: pd.Series) -> pd.Series:
    """int64 when every value is present and whole, as pandas reads numbers."""
    if numbers.notna().all() and np.isfinite(numbers).all() and (numbers % 1 == 0).all():
        return numbers.astype("int64")
    return numbers.astype("float64")


def clean_column(
    cells: Sequence | pd.Series,
    missing: frozenset[str],
    decimal: str | None = None,
) -> tuple[pd.Series, str | None, NumberText | None]:
    """Turn one column's raw cells into a typed column.

    Text is trimmed; missing markers and spreadsheet error cells become missing; numbers
    held as text become numbers; dates become timestamps; times become ``HH:MM:SS`` text;
    a column mixing numbers and text is read as text.

    Returns:
        The column, a notice for the user (or ``None``) and how numbers were written.

    """
    series = pd.Series(cells, dtype="object") if not isinstance(cells, pd.Series) else cells
    values = series.astype("object")
    text = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if text.any():
        stripped = values[text].str.strip()
        stripped = stripped.where(~stripped.isin(missing | ERROR_CELLS), None)
        values = values.copy()
        values[text] = stripped
    present = values.dropna()
    if present.empty:
        return values.astype("object"), None, None
    types = {_type_of_class(c) for c in present.map(type).unique()}
    if types == {"bool"}:
        return (values.astype(bool) if len(present) == len(values) else values), None, None
    if types <= {"number"}:
        return _narrow(pd.to_numeric(values, errors="coerce")), None, None
    if types <= {"datetime"}:
        return pd.to_datetime(values, errors="coerce"), None, None
    if types <= {"time"}:
        return values.map(lambda v: v.strftime("%H:%M:%S") if v is not None else None), None, None
    if types <= {"number", "text"}:
        as_text = values.map(lambda v: v if v is None or isinstance(v, str) else _plain(v))
        numbers, how = parse_numbers(as_text, decimal)
        if numbers is not None:
            return numbers, None, how
        if "number" in types and len(types) > 1 or mixes_numbers(as_text.dropna()):
            return as_text, "mixes numbers and text: read as text", None
        return as_text, None, None
    as_text = values.map(lambda v: v if v is None or isinstance(v, str) else _plain(v))
    return as_text, "mixes numbers, dates and text: read as text", None


def clean_columns(names: Sequence[str], cells, missing: frozenset[str],
                  decimal: str | None = None, unquote: bool = True,
                  ) -> tuple[dict, str | None, list[str], dict]:
    """Clean every column of a table given as rows of raw cells (see :func:`clean_column`).

    Args:
        names: The column names, in order.
        cells: ``cells(j)`` returns the raw cells of column ``j``.
        missing: Values read as missing.
        decimal: The decimal mark, when the user set it.
        unquote: Remove the ``'`` put before formulas (:func:`unquote_formulas`); text
            files only, since workbooks keep text cells apart from formulas.

    Returns:
        The columns by name, the decimal mark found in numbers written as text (``None``
        when none was), notices for the user, and the unit of columns whose numbers were
        written with one (``{"rate": "%", "amount": "$"}``).

    """
    columns, found, notices, units = {}, None, [], {}
    for j, name in enumerate(names):
        column, note, how = clean_column(cells(j), missing, decimal)
        if how is not None:
            found = found or how.decimal
            if how.unit:
                units[name] = how.unit
            if how.notice(name):
                notices.append(how.notice(name))
        if note:
            notices.append(f"{name} {note}.")
        if unquote and column.dtype == object:
            column, unquoted = unquote_formulas(column)
            if unquoted:
                notices.append(unquoted_notice(name, unquoted))
        columns[name] = column.reset_index(drop=True)
    return columns, found, notices, units


def unquote_formulas(text: pd.Series) -> tuple[pd.Series, int]:
    """Remove the ``'`` that spreadsheet-safe exports put before ``=``, ``+``, ``-``, ``@``.

    Only a ``'`` directly followed by one of those four (or by more ``'`` and then one of
    them) loses one ``'``: ``'=SUM(A1)`` reads as ``=SUM(A1)``, ``''=x`` as ``'=x``, while
    ``'tis`` and ``'5`` stay as written.

    Returns:
        The values and how many were changed.

    """
    try:
        quoted = text.str.match(QUOTED_FORMULA, na=False)
    except AttributeError:  # not text (booleans with gaps, for example)
        return text, 0
    if not quoted.any():
        return text, 0
    text = text.copy()
    text[quoted] = text[quoted].str.slice(1)
    return text, int(quoted.sum())


def unquoted_notice(name: str, count: int) -> str:
    """What the user is told when :func:`unquote_formulas` changed values."""
    return (f"{name}: the ' that spreadsheet-safe exports put before =, +, - and @ was "
            f"removed from {count:,} value(s).")


def mixes_numbers(text: pd.Series) -> bool:
    """Whether a good share, but not all, of some text values are numbers."""
    head = text.head(2000)
    if head.empty:
        return False
    share = head.str.match(NUMBER_TEXT).mean()
    return 0.2 <= share < 1 and not head.str.match(_CODE).any()


def _type_of_class(cls: type) -> str:
    if issubclass(cls, (bool, np.bool_)):
        return "bool"
    if issubclass(cls, (int, float, np.integer, np.floating)):
        return "number"
    if issubclass(cls, (dt.datetime, dt.date, pd.Timestamp)):
        return "datetime"
    if issubclass(cls, dt.time):
        return "time"
    return "text"


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)
