"""The columns page's model: one row per column, kind and treatment editable."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from synthdesk.schema.columns import Action, ColumnSpec, Kind

__all__ = ["ColumnSpecModel", "TREATMENT_LABELS", "KIND_LABELS", "SPARK_ROLE", "SORT_ROLE",
           "REPLACED", "check_kind", "CHECK_NOW_ROWS", "missing_text", "sensitive_icon",
           "SENSITIVE_TINT"]

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
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a value that sorts the column the way it reads
# A translucent red: it tints the row on light and dark palettes alike, and the text over
# it keeps the palette's own colour.
SENSITIVE_TINT = QColor(229, 57, 53, 48)

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
        self._detected: list[ColumnSpec] = []
        self._detected_sparks: list[np.ndarray] = []

    def set_specs(self, specs: Sequence[ColumnSpec], sparks: Sequence[np.ndarray] = (),
                  frame=None, detected: tuple | None = None) -> None:
        """Show these columns (and their sparklines, same order).

        With the table's ``frame``, a kind the user picks is checked against the values.
        ``detected``: the ``(specs, sparks)`` Reset to detected goes back to (these when
        None).
        """
        self.beginResetModel()
        self._frame = frame
        self._specs = list(specs)
        self._sparks = list(sparks) or [np.zeros(0)] * len(self._specs)
        if detected is None:
            self._detected = list(self._specs)
            self._detected_sparks = list(self._sparks)
        else:
            self._detected = list(detected[0])
            self._detected_sparks = list(detected[1]) or [np.zeros(0)] * len(self._detected)
        self.endResetModel()
        self.sig_specs_changed.emit()

    def reset_to_detected(self) -> None:
        """Undo every change: each column as SynthDesk detected it when the table was read."""
        self.beginResetModel()
        self._specs = list(self._detected)
        self._sparks = list(self._detected_sparks)
        self.endResetModel()
        self.sig_specs_changed.emit()

    def spec_at(self, row: int) -> ColumnSpec:
        """The column shown in ``row``."""
        return self._specs[row]

    @property
    def changed(self) -> bool:
        """Whether any column differs from what was detected."""
        return self._specs != self._detected

    @property
    def specs(self) -> list[ColumnSpec]:
        """The columns with the user's choices."""
        return list(self._specs)

    @property
    def sparks(self) -> list[np.ndarray]:
        """Each column's sparkline, as shown (a kind changed draws a new one)."""
        return list(self._sparks)

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
                return missing_text(spec.missing)
        if role == Qt.ItemDataRole.EditRole:
            if col == KIND:
                return str(spec.kind)
            if col == TREATMENT:
                return str(spec.action)
        if role == Qt.ItemDataRole.CheckStateRole and col == SENSITIVE:
            return Qt.CheckState.Checked if spec.sensitive else Qt.CheckState.Unchecked
        if role == SORT_ROLE:
            return _sort_key(spec, col, index.row())
        if role == Qt.ItemDataRole.BackgroundRole and spec.sensitive:
            return SENSITIVE_TINT
        if role == Qt.ItemDataRole.DecorationRole and col == NAME and spec.sensitive:
            return sensitive_icon()
        if role == Qt.ItemDataRole.TextAlignmentRole and col == MISSING:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == NAME:
                return f"{spec.name} (sensitive: {spec.reason or 'marked'})" if spec.sensitive \
                    else spec.name
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


def missing_text(share: float) -> str:
    """A missing share in one format: ``0%``, ``<1%``, ``12%``."""
    if not share:
        return "0%"
    if share < 0.005:
        return "<1%"
    return f"{share:.0%}"


def _sort_key(spec: ColumnSpec, col: int, row: int):
    if col == NAME:
        return spec.name.lower()
    if col == KIND:
        return KIND_LABELS.get(spec.kind, str(spec.kind))
    if col == SENSITIVE:
        return (0 if spec.sensitive else 1, row)  # sensitive first, then in table order
    if col == REASON:
        return spec.reason.lower()
    if col == TREATMENT:
        return TREATMENT_LABELS.get(spec.action, str(spec.action))
    if col == MISSING:
        return spec.missing
    return row


_ICON: list[QIcon] = []


def sensitive_icon() -> QIcon:
    """A red disc with a white "!": reads on light and dark palettes alike."""
    if not _ICON:
        pixmap = QPixmap(32, 32)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(255, 255, 255))
        painter.setBrush(QColor(211, 47, 47))
        painter.drawEllipse(QPointF(16, 16), 14, 14)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(22)
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, 32, 32), Qt.AlignmentFlag.AlignCenter, "!")
        painter.end()
        _ICON.append(QIcon(pixmap))
    return _ICON[0]


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
