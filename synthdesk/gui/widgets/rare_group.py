"""Method page controls for rare cases: make more of a group, keep to a segment, augment."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from synthdesk.errors import InvalidChoice
from synthdesk.generators.conditions import (
    Condition,
    Rebalance,
    parse_condition,
)
from synthdesk.schema.columns import Action, Kind

__all__ = ["RareGroupBox", "EQUAL_SHARES"]

EQUAL_SHARES = "Every value equally"
_MAX_VALUES = 200


class RareGroupBox(QGroupBox):
    """"Make more of a rare group": a column, a value and its share; a segment; augment.

    Signals:
        sig_changed: The choices changed (the page re-checks whether it is complete).

    """

    sig_changed = Signal()

    def __init__(self, parent=None):
        super().__init__("Make more of a rare group", parent)
        self.setCheckable(True)
        self.setChecked(False)
        self.setAccessibleName("Make more of a rare group")
        self.setToolTip("For fraud, churn or a rare diagnosis: give the rare cases a larger "
                        "share of the synthetic rows. The other columns follow the real rows "
                        "of that group.")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 4, 8, 4)
        # The choices show only once the box is ticked, so the page stays short.
        self.choices = QWidget()
        self.choices.setVisible(False)
        outer.addWidget(self.choices)
        form = QFormLayout(self.choices)
        form.setContentsMargins(0, 0, 0, 0)
        self.column = QComboBox()
        self.column.setAccessibleName("Column whose rare group to make more of")
        self.value = QComboBox()
        self.value.setAccessibleName("The rare value")
        self.share = QSpinBox()
        self.share.setRange(1, 99)
        self.share.setValue(50)
        self.share.setSuffix(" % of the synthetic rows")
        self.share.setAccessibleName("Share of the synthetic rows the value gets")
        self.segment = QLineEdit()
        self.segment.setPlaceholderText("e.g. state=BY; age=60..120 (optional)")
        self.segment.setAccessibleName("Generate only rows where these conditions hold")
        self.segment.setToolTip("COLUMN=VALUE, or COLUMN=LOW..HIGH for numbers and dates; "
                                "separate several with ';'. Every row meets all of them.")
        self.augment = QCheckBox("Save my real rows with the synthetic rare rows added "
                                 "(to train a model; not for sharing)")
        self.augment.setAccessibleName("Save the real rows plus synthetic rows of the group")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #d32f2f;")
        self.problem.setVisible(False)
        form.addRow("Column:", self.column)
        form.addRow("Value:", self.value)
        form.addRow("Its share:", self.share)
        form.addRow("Only rows where:", self.segment)
        form.addRow(self.augment)
        form.addRow(self.problem)
        self._data = None
        self.toggled.connect(self.choices.setVisible)
        self.column.currentIndexChanged.connect(self._on_column)
        self.value.currentIndexChanged.connect(self._on_value)
        for signal in (self.toggled, self.share.valueChanged, self.segment.textChanged,
                       self.augment.toggled, self.value.currentIndexChanged):
            signal.connect(self._changed)

    def set_table(self, data, specs) -> None:
        """Offer the table's learned category and yes/no columns, rarest group first."""
        self._data = data
        current = self.column.currentData()
        self.column.blockSignals(True)
        self.column.clear()
        for spec in specs:
            if spec.action is Action.SYNTHESIZE and spec.kind in (Kind.CATEGORY,
                                                                  Kind.BOOLEAN):
                self.column.addItem(spec.name, spec.name)
        self.column.blockSignals(False)
        index = self.column.findData(current)
        self.column.setCurrentIndex(max(index, 0))
        self._on_column()

    def set_related(self, related: bool) -> None:
        """With related tables: the main table's groups, and no real rows saved (augment)."""
        self.setTitle("Make more of a rare group of the main table (its related rows "
                      "follow)" if related else "Make more of a rare group")
        if related:
            self.augment.setChecked(False)
        self.augment.setVisible(not related)

    def rebalance(self) -> Rebalance | None:
        """The rebalance chosen, or None."""
        if not self.isChecked() or self.column.currentData() is None:
            return None
        value = self.value.currentData()
        if value is None:
            return Rebalance(self.column.currentData())
        return Rebalance(self.column.currentData(), ((value, self.share.value() / 100),))

    def conditions(self) -> tuple[Condition, ...]:
        """The segment's conditions (raises InvalidChoice for text that is not one)."""
        if not self.isChecked():
            return ()
        parts = [p.strip() for p in self.segment.text().split(";") if p.strip()]
        return tuple(parse_condition(p) for p in parts)

    def problem_text(self) -> str:
        """Why the choices cannot be used, or ""."""
        try:
            self.conditions()
        except InvalidChoice as exc:
            return exc.message
        if self.isChecked() and self.column.currentData() is None:
            return "The table has no learned category or yes/no column to rebalance."
        return ""

    def _on_column(self, *_args) -> None:
        name = self.column.currentData()
        self.value.blockSignals(True)
        self.value.clear()
        if name is not None and self._data is not None:
            counts = self._data[name].dropna().astype(str).value_counts()
            # Rarest first: the group an analyst wants more of.
            for value, count in list(counts.sort_values().items())[:_MAX_VALUES]:
                self.value.addItem(f"{value}  ({count / counts.sum():.1%} of the rows)", value)
            self.value.addItem(EQUAL_SHARES, None)
        self.value.blockSignals(False)
        self._on_value()

    def _on_value(self, *_args) -> None:
        self.share.setEnabled(self.value.currentData() is not None)

    def _changed(self, *_args) -> None:
        text = self.problem_text()
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.sig_changed.emit()
