"""A read-only table model over a DataFrame that stays fast for a million rows.

Only the cells Qt asks for are formatted, one at a time, straight from numpy arrays.
"""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QDate, QDateTime, QLocale, QModelIndex, Qt, QTime

__all__ = ["DataFrameModel", "column_arrays"]

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def column_arrays(frame: pd.DataFrame) -> list:
    """One numpy array per column; call it in a worker for big tables (it may copy)."""
    return [frame.iloc[:, i].to_numpy() for i in range(frame.shape[1])]


class DataFrameModel(QAbstractTableModel):
    """Shows a DataFrame's cells as text; missing cells are blank."""

    def __init__(self, frame: pd.DataFrame | None = None, parent=None):
        super().__init__(parent)
        self._frame = pd.DataFrame()
        self._columns: list = []
        self._headers: list[str] = []
        self._right: list[bool] = []
        self._rows = 0
        self._notes: list[str] = []
        self._tips: list[str] = []
        self._date_only: list[bool] = []
        self._date_formats: list[str | None] = []
        self._locale = QLocale()
        self.set_frame(frame if frame is not None else pd.DataFrame())

    def set_frame(self, frame: pd.DataFrame, arrays: list | None = None) -> None:
        """Show another table; ``arrays`` are its :func:`column_arrays` if already made."""
        self.beginResetModel()
        self._frame = frame
        # One numpy array per column: indexing it is far cheaper than frame.iat.
        self._columns = arrays if arrays is not None else column_arrays(frame)
        self._headers = [str(c) for c in frame.columns]
        self._rows = len(frame)
        self._right = [getattr(a, "dtype", None) is not None and a.dtype.kind in "iuf"
                       for a in self._columns]
        self._notes = [""] * len(self._headers)
        self._tips = [""] * len(self._headers)
        self._date_only = [False] * len(self._headers)
        self._date_formats = [None] * len(self._headers)
        self.endResetModel()

    def set_header_notes(self, notes: list[str], tips: list[str] | None = None,
                         date_only: list[bool] | None = None,
                         date_formats: list[str | None] | None = None) -> None:
        """Per column: a second header line (kind, warning), its tooltip, whether days only.

        Date columns that hold days only are shown without a time.
        """
        count = len(self._headers)
        self._notes = (list(notes) + [""] * count)[:count]
        self._tips = (list(tips or []) + [""] * count)[:count]
        self._date_only = (list(date_only or []) + [False] * count)[:count]
        self._date_formats = (list(date_formats or []) + [None] * count)[:count]
        if count:  # the cells' text changes only for dates: the view repaints itself
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, count - 1)

    @property
    def arrays(self) -> list:
        """The columns as numpy arrays."""
        return self._columns

    @property
    def frame(self) -> pd.DataFrame:
        """The table shown."""
        return self._frame

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802, D102
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802, D102
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):  # noqa: D102
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self._columns[index.column()][index.row()]
            column = index.column()
            if isinstance(value, str) and self._date_formats[column]:
                try:  # a date read as text: shown as this computer writes dates
                    value = _dt.datetime.strptime(value, self._date_formats[column])
                except ValueError:
                    return value
            if isinstance(value, np.datetime64 | _dt.datetime | _dt.date):
                return self._date_text(value, self._date_only[column])
            return _text(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and self._right[index.column()]:
            return _RIGHT
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802, D102
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and section >= len(self._headers):
            return None
        if role == Qt.ItemDataRole.ToolTipRole and horizontal:
            tip = self._tips[section]
            return f"{self._headers[section]}: {tip}" if tip else self._headers[section]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if horizontal:
            note = self._notes[section]
            return f"{self._headers[section]}\n{note}" if note else self._headers[section]
        return str(section + 1)

    def sample_texts(self, column: int, rows: int) -> list[str]:
        """The text of the first ``rows`` cells of ``column``, as shown (for sizing)."""
        return [self.data(self.index(row, column)) or "" for row in range(min(rows, self._rows))] \
            if self._date_formats[column] or self._date_only[column] else \
            [_text(value) for value in self._columns[column][:rows]]

    def _date_text(self, value, date_only: bool) -> str:
        """A date as this computer's locale writes it (short format)."""
        stamp = pd.Timestamp(value)
        if stamp is pd.NaT or pd.isna(stamp):
            return ""
        day = QDate(stamp.year, stamp.month, stamp.day)
        short = QLocale.FormatType.ShortFormat
        plain_day = isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)
        if date_only or plain_day:
            return self._locale.toString(day, short)
        moment = QDateTime(day, QTime(stamp.hour, stamp.minute, stamp.second))
        return self._locale.toString(moment, short)


def _text(value) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)
