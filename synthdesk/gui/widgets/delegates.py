"""Item delegates: a combo box for choices and a tiny bar sparkline."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
)

__all__ = ["ChoiceDelegate", "SparklineDelegate"]


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a combo box of ``(value, label)`` choices; drawn as a combo box.

    The cell looks like the control it becomes, so an analyst sees it can be changed
    before clicking it.
    """

    def __init__(self, choices: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.choices = choices

    def paint(self, painter, option, index):  # noqa: D102
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        text = item.text
        item.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        combo = QStyleOptionComboBox()
        combo.rect = option.rect.adjusted(2, 2, -2, -2)
        combo.palette = option.palette
        combo.fontMetrics = option.fontMetrics
        combo.direction = option.direction
        combo.state = QStyle.StateFlag.State_Enabled | (
            option.state & QStyle.StateFlag.State_MouseOver)
        combo.editable = False
        combo.frame = True
        combo.currentText = text
        style.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, combo, painter, widget)
        style.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, combo, painter, widget)

    def sizeHint(self, option, index):  # noqa: N802, D102
        size = super().sizeHint(option, index)
        size.setWidth(size.width() + 28)  # the arrow
        return size

    def createEditor(self, parent, option, index):  # noqa: N802, D102
        combo = QComboBox(parent)
        combo.setAccessibleName("Choose")
        for value, label in self.choices:
            combo.addItem(label, value)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor, index):  # noqa: N802, D102
        value = index.data(Qt.ItemDataRole.EditRole)
        position = editor.findData(value)
        if position >= 0:
            editor.setCurrentIndex(position)

    def setModelData(self, editor, model, index):  # noqa: N802, D102
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class SparklineDelegate(QStyledItemDelegate):
    """Draws the shares in ``role`` as small bars."""

    def __init__(self, role: int, parent=None):
        super().__init__(parent)
        self.role = role

    def paint(self, painter, option, index):  # noqa: D102
        super().paint(painter, option, index)
        values = index.data(self.role)
        if values is None or not len(values):
            return
        values = np.asarray(values, dtype=float)
        peak = values.max() or 1.0
        rect = QRectF(option.rect).adjusted(4, 4, -4, -4)
        width = rect.width() / len(values)
        color = option.palette.color(QPalette.ColorRole.Highlight)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        for i, value in enumerate(values):
            height = rect.height() * value / peak
            painter.drawRect(QRectF(rect.left() + i * width + 0.5, rect.bottom() - height,
                                    max(width - 1, 1), height))
        painter.restore()
