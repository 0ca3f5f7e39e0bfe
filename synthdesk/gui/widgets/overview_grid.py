"""Every column at once: a grid of small real-vs-synthetic charts, worst first, searchable.

One tile per column, drawn by a delegate in a list view in icon mode, so a table of a
thousand columns costs no more to show than the tiles on screen. Colours come from the
palette at paint time, so the grid follows light and dark themes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPalette, QPen
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate

from synthdesk.gui.widgets.distribution_plot import REAL_COLOR, SYNTH_COLOR

__all__ = ["OverviewGrid", "OverviewModel", "VIEW_ROLE", "TILE_SIZE", "score_colour"]

VIEW_ROLE = Qt.ItemDataRole.UserRole + 10
TILE_SIZE = QSize(186, 120)


def score_colour(score: float | None) -> QColor:
    """Green, amber or red by how faithful a column is; grey when not scored."""
    if score is None or not np.isfinite(score):
        return QColor(158, 158, 158)
    if score >= 0.85:
        return QColor(67, 160, 71)
    if score >= 0.7:
        return QColor(249, 168, 37)
    return QColor(229, 57, 53)


class OverviewModel(QAbstractListModel):
    """The columns' :class:`~synthdesk.evaluation.overview.ColumnView` objects, in order."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.views: list = []

    def set_views(self, views) -> None:
        """Show these columns, in this order."""
        self.beginResetModel()
        self.views = list(views)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802, D102
        return 0 if parent.isValid() else len(self.views)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # noqa: D102
        if not index.isValid():
            return None
        view = self.views[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return view.name
        if role == VIEW_ROLE:
            return view
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{view.name}: {_score_text(view)}. Click to see it in full."
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{view.name}, {_score_text(view)}"
        return None


def _score_text(view) -> str:
    if view.replaced:
        return "replaced with fakes"
    if view.score is None:
        return "not scored"
    return f"similarity {view.score:.0%}"


class _TileDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index):  # noqa: N802, D102
        return TILE_SIZE

    def paint(self, painter, option, index):  # noqa: D102
        view = index.data(VIEW_ROLE)
        if view is None:
            return
        palette = option.palette
        rect = QRectF(option.rect).adjusted(4, 4, -4, -4)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight if selected
                                          else QPalette.ColorRole.Mid), 2 if selected else 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, 5, 5)
        inner = rect.adjusted(8, 6, -8, -6)
        text = palette.color(QPalette.ColorRole.Text)

        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        score = _score_text(view).replace("similarity ", "")
        score_width = painter.fontMetrics().horizontalAdvance(score) + 8
        name = painter.fontMetrics().elidedText(view.name, Qt.TextElideMode.ElideMiddle,
                                                int(inner.width() - score_width))
        line = painter.fontMetrics().height()
        painter.drawText(QRectF(inner.left(), inner.top(), inner.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        painter.setPen(score_colour(None if view.replaced else view.score))
        painter.drawText(QRectF(inner.left(), inner.top(), inner.width(), line),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, score)

        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() * 0.85, 7))
        painter.setFont(small)
        note = _note(view)
        note_height = painter.fontMetrics().height() if note else 0
        chart = QRectF(inner.left(), inner.top() + line + 4, inner.width(),
                       inner.height() - line - 6 - note_height)
        _draw_chart(painter, chart, view.distribution, palette)
        if note:
            painter.setPen(text)
            painter.drawText(QRectF(inner.left(), inner.bottom() - note_height, inner.width(),
                                    note_height),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             painter.fontMetrics().elidedText(
                                 note, Qt.TextElideMode.ElideRight, int(inner.width())))
        painter.restore()


def _note(view) -> str:
    parts = []
    if view.replaced:
        parts.append("fakes: synthetic side only")
    if view.other_synthetic or view.other_real:
        parts.append(f"(other): real {view.other_real or 0:.0%} · "
                     f"synthetic {view.other_synthetic:.0%}")
    if view.log_scale:
        parts.append("log scale")
    return " · ".join(parts)


def _draw_chart(painter, rect: QRectF, dist, palette) -> None:
    sides = [(dist.real, QColor(*REAL_COLOR)), (dist.synthetic, QColor(*SYNTH_COLOR))]
    sides = [(np.asarray(s, dtype=float), c) for s, c in sides if s is not None and len(s)]
    if not sides or rect.height() < 4:
        return
    peak = max(float(s.max()) for s, _ in sides) or 1.0
    count = len(sides[0][0])
    slot = rect.width() / max(count, 1)
    painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
    painter.drawLine(rect.bottomLeft(), rect.bottomRight())
    painter.setPen(Qt.PenStyle.NoPen)
    width = slot / len(sides)
    for side, (shares, colour) in enumerate(sides):
        colour.setAlpha(210)
        painter.setBrush(colour)
        for i, share in enumerate(shares):
            height = rect.height() * share / peak
            painter.drawRect(QRectF(rect.left() + i * slot + side * width + 0.5,
                                    rect.bottom() - height, max(width - 1, 1), height))


class OverviewGrid(QListView):
    """Small multiples of every column; :meth:`set_filter` narrows them by name.

    Signals:
        sig_column_clicked(str): A tile was clicked or activated; the column's name.

    """

    sig_column_clicked = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Every column: real (blue) and synthetic (orange), worst first")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setGridSize(TILE_SIZE)
        self.setSpacing(0)
        self.setWrapping(True)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.setItemDelegate(_TileDelegate(self))
        self.source = OverviewModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.source)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setModel(self.proxy)
        self.clicked.connect(self._on_clicked)
        self.activated.connect(self._on_clicked)

    def set_views(self, views) -> None:
        """Show these columns, in this order (worst first)."""
        self.source.set_views(views)

    def set_filter(self, text: str) -> None:
        """Show only columns whose name holds ``text``."""
        self.proxy.setFilterFixedString(text)

    def shown_names(self) -> list[str]:
        """The names of the tiles shown, in order."""
        return [self.proxy.index(r, 0).data() for r in range(self.proxy.rowCount())]

    def _on_clicked(self, index) -> None:
        if index.isValid():
            self.sig_column_clicked.emit(index.data())
