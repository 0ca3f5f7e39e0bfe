"""Step 2: review what each column holds and how it is treated."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
)

from synthdesk.gui.models.column_spec_model import (
    KIND,
    KIND_LABELS,
    SHAPE,
    SPARK_ROLE,
    TREATMENT,
    TREATMENT_LABELS,
    ColumnSpecModel,
    check_kind,
)
from synthdesk.gui.pages.base import InlineError, WizardPage
from synthdesk.gui.tasks import TaskRunner
from synthdesk.gui.widgets.delegates import ChoiceDelegate, SparklineDelegate
from synthdesk.privacy.protection import hidden_columns_note
from synthdesk.schema.columns import Action
from synthdesk.schema.metadata import modelled_columns

__all__ = ["ColumnsPage"]


class ColumnsPage(WizardPage):
    """One row per column: kind, sensitivity and why, treatment, missing share, shape."""

    title = "Check the columns"
    subtitle = (
        "SynthDesk guessed what each column holds. Columns that may identify a person are "
        "marked sensitive and replaced with realistic fakes, so their real values never reach "
        "the synthetic table. Change anything that looks wrong."
    )

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self._version = -1
        top = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter columns by name")
        self.filter.setAccessibleName("Filter columns by name")
        self.filter.setClearButtonEnabled(True)
        top.addWidget(self.filter, 1)
        top.addSpacing(20)
        top.addWidget(QLabel("Selected columns:"))
        self.bulk_choice = QComboBox()
        self.bulk_choice.setAccessibleName("Treatment for the selected columns")
        for action, label in TREATMENT_LABELS.items():
            self.bulk_choice.addItem(label, str(action))
        top.addWidget(self.bulk_choice)
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setAccessibleName("Apply this treatment to the selected columns")
        self.apply_button.clicked.connect(self._on_apply_clicked)
        top.addWidget(self.apply_button)
        self.body.addLayout(top)

        self.model = ColumnSpecModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Columns of the table")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setItemDelegateForColumn(
            KIND, ChoiceDelegate([(str(k), label) for k, label in KIND_LABELS.items()], self))
        self.view.setItemDelegateForColumn(
            TREATMENT,
            ChoiceDelegate([(str(a), label) for a, label in TREATMENT_LABELS.items()], self))
        self.view.setItemDelegateForColumn(SHAPE, SparklineDelegate(SPARK_ROLE, self))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((150, 150, 75, 260, 160, 65, 100)):
            self.view.setColumnWidth(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.body.addWidget(self.view, 1)

        self.counts = QLabel()
        self.body.addWidget(self.counts)
        self.hidden_note = QLabel()
        self.hidden_note.setWordWrap(True)
        self.hidden_note.setAccessibleName("Columns the last run could not learn")
        self.body.addWidget(self.hidden_note)
        self.error = InlineError()
        self.body.addWidget(self.error)
        self.model.sig_specs_changed.connect(self._on_specs_changed)
        self.model.sig_refused.connect(self._on_refused)
        self.model.sig_kind_requested.connect(self._on_kind_requested)
        self.kind_runner = TaskRunner(self)
        self.kind_runner.sig_done.connect(self._on_kind_checked)
        self.kind_runner.sig_failed.connect(self._on_kind_failed)
        self._kind_row = -1

    def on_enter(self) -> None:  # noqa: D102
        result = self.state.result
        note = hidden_columns_note(getattr(result, "protection", None))
        self.hidden_note.setText(note)
        self.hidden_note.setVisible(bool(note))
        if self._version != self.state.version or self.model.specs != list(self.state.specs):
            self._version = self.state.version
            self.filter.clear()
            self.model.set_specs(self.state.specs, self.state.sparks, self.state.table.data)

    def on_leave(self) -> None:  # noqa: D102
        self.state.specs = self.model.specs

    def is_complete(self) -> bool:  # noqa: D102
        return not self.kind_runner.running and bool(modelled_columns(self.model.specs))

    def selected_rows(self) -> list[int]:
        """Source rows of the selected columns."""
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return sorted(rows)

    def _on_apply_clicked(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.model.apply_treatment(rows, Action(self.bulk_choice.currentData()))

    def _on_kind_requested(self, row: int, kind) -> None:
        spec, frame = self.model.specs[row], self.state.table.data
        self._kind_row = row
        self.counts.setText(f"Checking that {spec.name} fits “{KIND_LABELS[kind]}”…")
        self.kind_runner.start(lambda progress, cancel: check_kind(spec, kind, frame))
        self.sig_complete_changed.emit()  # Next waits for the check

    def _on_kind_checked(self, payload) -> None:
        spec, spark = payload
        self.model.set_checked_kind(self._kind_row, spec, spark)
        self._on_specs_changed()

    def _on_kind_failed(self, error) -> None:
        name = self.model.specs[self._kind_row].name
        self._on_specs_changed()
        self._on_refused(f"{name}: {getattr(error, 'message', None) or 'the kind does not fit.'}")

    def _on_refused(self, message: str) -> None:
        self.error.show_error(f"{message} The column keeps its kind.")

    def _on_specs_changed(self) -> None:
        specs = self.model.specs
        self.state.specs = specs
        by_action = {a: sum(s.action is a for s in specs) for a in Action}
        self.counts.setText(
            f"{len(specs)} columns: {by_action[Action.SYNTHESIZE]} learned, "
            f"{by_action[Action.FAKE] + by_action[Action.CONSISTENT]} replaced with fakes, "
            f"{by_action[Action.DROP]} left out."
        )
        if specs and not modelled_columns(specs):
            self.error.show_error(
                "Every column is left out or empty: keep at least one column to learn from.")
        else:
            self.error.clear()
        self.sig_complete_changed.emit()
