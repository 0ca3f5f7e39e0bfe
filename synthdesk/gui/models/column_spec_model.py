"""The columns page's model: one row per column, kind and treatment editable."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from synthdesk.schema.columns import Action, ColumnSpec, Kind

__all__ = ["ColumnSpecModel", "TREATMENT_LABELS", "KIND_LABELS", "SPARK_ROLE", "REPLACED",
           "check_kind", "CHECK_NOW_ROWS"]

TREATMENT_LABELS = {
    Action.SYNTHESIZE: "Learn and synthesize",
    Action.FAKE: "Replace with fakes",
    Action.CONSISTENT: "Keep consistent fakes",
    Action.DROP: "Leave out",
}
# Treatments whose real values never reach the output.
REPLACED = (Action.FAKE, Action.CONSISTENT)
KIND_LABELS = {
    Kind.INTEGER: "Whole number",
    Kind.DECIMAL: "Decimal number",
    Kind.CATEGORY: "Category",
    Kind.BOOLEAN: "Yes / no",
    Kind.DATE: "Date",
    Kind.DATETIME: "Date and time",
    Kind.IDENTIFIER: "Identifier",
    Kind.TEXT: "Free text",
    Kind.CONSTANT: "Same value everywhere",
    Kind.EMPTY: "Empty",
}
SPARK_ROLE = Qt.ItemDataRole.UserRole + 1

NAME, KIND, SENSITIVE, REASON, TREATMENT, MISSING, SHAPE = range(7)
# Up to this many rows a kind change is checked at once (a few milliseconds); longer
# columns are checked by the page in the background (sig_kind_requested).
CHECK_NOW_ROWS = 100_000
_HEADERS = ("Column", "Kind", "Sensitive", "Why", "Treatment", "Missing", "Shape")


class ColumnSpecModel(QAbstractTableModel):
    """Columns as the user reviews them.

    Signals:
        sig_specs_changed: Any column's kind, sensitivity or treatment changed.
        sig_refused(str): A kind the data does not fit was refused; the reason.
        sig_kind_requested(int, object): A kind was chosen for a long column (row, Kind):
            check it off the GUI thread with :func:`check_kind`, then call
            :meth:`set_checked_kind` or refuse it.

    """

    sig_specs_changed = Signal()
    sig_refused = Signal(str)
    sig_kind_requested = Signal(int, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._specs: list[ColumnSpec] = []
        self._sparks: list[np.ndarray] = []
        self._frame = None

    def set_specs(self, specs: Sequence[ColumnSpec], sparks: Sequence[np.ndarray] = (),
                  frame=None) -> None:
        """Show these columns (and their sparklines, same order).

        With the table's ``frame``, a kind the user picks is checked against the values.
        """
        self.beginResetModel()
        self._frame = frame
        self._specs = list(specs)
        self._sparks = list(sparks) or [np.zeros(0)] * len(self._specs)
        self.endResetModel()
        self.sig_specs_changed.emit()

    @property
    def specs(self) -> list[ColumnSpec]:
        """The columns with the user's choices."""
        return list(self._specs)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802, D102
        return 0 if parent.isValid() else len(self._specs)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802, D102
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802, D102
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _HEADERS[section]
        return None

    def flags(self, index: QModelIndex):  # noqa: D102
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (KIND, TREATMENT):
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == SENSITIVE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):  # noqa: D102
        if not index.isValid():
            return None
        spec = self._specs[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == NAME:
                return spec.name
            if col == KIND:
                return KIND_LABELS.get(spec.kind, str(spec.kind))
            if col == REASON:
                return spec.reason
            if col == TREATMENT:
                return TREATMENT_LABELS.get(spec.action, str(spec.action))
            if col == MISSING:
                return f"{spec.missing:.0%}" if spec.missing else "none"
        if role == Qt.ItemDataRole.EditRole:
            if col == KIND:
                return str(spec.kind)
            if col == TREATMENT:
                return str(spec.action)
        if role == Qt.ItemDataRole.CheckStateRole and col == SENSITIVE:
            return Qt.CheckState.Checked if spec.sensitive else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == REASON and spec.reason:
                return spec.reason
            if col == TREATMENT:
                return {
                    Action.SYNTHESIZE: "Learned from the real values and generated anew.",
                    Action.FAKE: "Real values never reach the output: realistic fakes instead.",
                    Action.CONSISTENT: "Learned, then each real value is always replaced by the "
                                       "same fake, so counts and links between rows survive.",
                    Action.DROP: "Not in the synthetic table.",
                }.get(spec.action, "")
        if role == SPARK_ROLE and col == SHAPE:
            return self._sparks[index.row()] if index.row() < len(self._sparks) else None
        if role == Qt.ItemDataRole.AccessibleTextRole and col == SENSITIVE:
            return "sensitive" if spec.sensitive else "not sensitive"
        return None

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802, D102
        if not index.isValid():
            return False
        row, col = index.row(), index.column()
        spec = self._specs[row]
        if col == KIND and role == Qt.ItemDataRole.EditRole:
            if Kind(value) is spec.kind:
                return True
            if self._frame is not None and len(self._frame) > CHECK_NOW_ROWS:
                self.sig_kind_requested.emit(row, Kind(value))
                return True
            from synthdesk.errors import InvalidChoice

            try:
                new, spark = check_kind(spec, Kind(value), self._frame)
            except InvalidChoice as exc:
                self.sig_refused.emit(f"{spec.name}: {exc.message}")
                return False
            if spark is not None and row < len(self._sparks):
                self._sparks[row] = spark
        elif col == TREATMENT and role == Qt.ItemDataRole.EditRole:
            new = spec.with_changes(action=Action(value))
        elif col == SENSITIVE and role == Qt.ItemDataRole.CheckStateRole:
            sensitive = Qt.CheckState(value) == Qt.CheckState.Checked
            new = spec.with_changes(
                sensitive=sensitive,
                reason=spec.reason if sensitive else "",
                action=(spec.action if spec.action in REPLACED else Action.FAKE) if sensitive
                else (Action.SYNTHESIZE if spec.action in REPLACED else spec.action),
            )
            if sensitive and not spec.reason:
                new = new.with_changes(reason="Marked by you")
        else:
            return False
        if new == spec:
            return True
        self._specs[row] = new
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(_HEADERS) - 1))
        self.sig_specs_changed.emit()
        return True

    def set_checked_kind(self, row: int, spec: ColumnSpec, spark) -> None:
        """Take a kind checked in the background (the column's spec and sparkline)."""
        if row >= len(self._specs) or self._specs[row].name != spec.name:
            return  # the table changed meanwhile
        self._specs[row] = spec
        if spark is not None and row < len(self._sparks):
            self._sparks[row] = spark
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(_HEADERS) - 1))
        self.sig_specs_changed.emit()

    def apply_treatment(self, rows: Iterable[int], action: Action) -> None:
        """Give every row in ``rows`` the same treatment."""
        changed = False
        for row in sorted(set(rows)):
            spec = self._specs[row]
            if spec.action is not action:
                self._specs[row] = spec.with_changes(action=action)
                changed = True
        if changed:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._specs) - 1, len(_HEADERS) - 1))
            self.sig_specs_changed.emit()


def check_kind(spec: ColumnSpec, kind: Kind, frame) -> tuple[ColumnSpec, np.ndarray | None]:
    """``spec`` with the user's kind, checked against the data, and its new sparkline.

    Raises:
        InvalidChoice: The values cannot be read as ``kind``.

    """
    if frame is None or spec.name not in frame.columns:
        return spec.with_changes(kind=kind), None
    from synthdesk.evaluation.distributions import sparkline
    from synthdesk.schema.columns import with_kind

    new = with_kind(spec, kind, frame[spec.name])
    return new, sparkline(frame[spec.name], new)
