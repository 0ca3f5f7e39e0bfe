"""The table view shared by Open and Save: every row, each column's kind in its header."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableView

from synthdesk.gui.models.column_spec_model import KIND_LABELS
from synthdesk.gui.models.dataframe_model import DataFrameModel
from synthdesk.schema.columns import Kind

__all__ = ["TablePreview", "MAX_COLUMN_WIDTH"]

MAX_COLUMN_WIDTH = 280
# Columns are sized from this many rows: enough to be right, few enough to stay instant.
_SIZED_FROM_ROWS = 50


class TablePreview(QTableView):
    """A read-only view of a DataFrame that scrolls through all of its rows."""

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.table_model = DataFrameModel()
        self.setModel(self.table_model)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setDefaultSectionSize(22)
        header = self.horizontalHeader()
        header.setResizeContentsPrecision(_SIZED_FROM_ROWS)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(120)

    def show_frame(self, frame, arrays=None, specs=(), marks=None, *,
                   keep_rows: bool = False) -> None:
        """Show ``frame`` with each column's kind (from ``specs``) under its name.

        ``marks`` (column -> (short warning, reason)) join the kind in the header, the
        reason in its tooltip.
        """
        if not keep_rows:
            self.table_model.set_frame(frame, arrays)
        by_name = {s.name: s for s in specs}
        marks = marks or {}
        notes, tips, date_only, formats = [], [], [], []
        for name in (str(c) for c in frame.columns):
            spec = by_name.get(name)
            kind = KIND_LABELS.get(spec.kind, "") if spec is not None else ""
            short, reason = marks.get(name, ("", ""))
            notes.append(" · ".join(p for p in (kind, short) if p))
            tips.append(" ".join(p for p in (kind + "." if kind else "", reason) if p))
            date_only.append(spec is not None and spec.kind is Kind.DATE)
            dated = spec is not None and spec.kind in (Kind.DATE, Kind.DATETIME)
            formats.append(spec.date_format if dated else None)
        self.table_model.set_header_notes(notes, tips, date_only, formats)
        self.fit_columns()
        self.viewport().update()

    def set_marks(self, specs, marks) -> None:
        """Add ``marks`` to the headers without reading the table again."""
        self.show_frame(self.table_model.frame, self.table_model.arrays, specs, marks,
                        keep_rows=True)

    def fit_columns(self) -> None:
        """Size each column to its header and first rows, within a maximum width.

        Measured with the font's metrics over the first rows: Qt's own sizing asks the
        model for every role of every sampled cell and took half a second on 59 columns.
        """
        model = self.table_model
        rows = min(model.rowCount(), _SIZED_FROM_ROWS)
        cells = self.fontMetrics()
        heads = self.horizontalHeader().fontMetrics()
        for column in range(model.columnCount()):
            header = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max((heads.horizontalAdvance(line) for line in header.split("\n")),
                         default=0) + 24
            texts = sorted(model.sample_texts(column, rows), key=len)[-3:]  # the longest
            for text in texts:
                widest = max(widest, cells.horizontalAdvance(text) + 12)
            self.setColumnWidth(column, min(widest, MAX_COLUMN_WIDTH))
