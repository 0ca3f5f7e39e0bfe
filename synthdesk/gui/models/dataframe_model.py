"""A read-only table model over a DataFrame that stays fast for a million rows.

Only the cells Qt asks for are formatted, one at a time, straight from numpy arrays.
"""

from __future__ import annotations

import math

import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

__all__ = ["DataFrameModel", "column_arrays"]


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
        self.set_frame(frame if frame is not None else pd.DataFrame())

    def set_frame(self, frame: pd.DataFrame, arrays: list | None = None) -> None:
        """Show another table; ``arrays`` are its :func:`column_arrays` if already made."""
        self.beginResetModel()
        self._frame = frame
        # One numpy array per column: indexing it is far cheaper than frame.iat.
        self._columns = arrays if arrays is not None else column_arrays(frame)
        self._headers = [str(c) for c in frame.columns]
        self.endResetModel()

    @property
    def frame(self) -> pd.DataFrame:
        """The table shown."""
        return self._frame

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802, D102
        return 0 if parent.isValid() else len(self._frame)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802, D102
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):  # noqa: D102
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _text(self._columns[index.column()][index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            value = self._columns[index.column()][index.row()]
            if isinstance(value, int | float) and not isinstance(value, bool):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802, D102
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if section < len(self._headers) else None
        return str(section + 1)


def _text(value) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)
