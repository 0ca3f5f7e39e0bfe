"""Step 2: review what each column holds and how it is treated."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from synthdesk.gui.models.column_spec_model import (
    KIND,
    KIND_LABELS,
    NAME,
    SENSITIVE,
    SHAPE,
    SORT_ROLE,
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
from synthdesk.schema.columns import Action, Kind
from synthdesk.schema.metadata import modelled_columns

__all__ = ["ColumnsPage", "ColumnFilterModel"]


class ColumnFilterModel(QSortFilterProxyModel):
    """The columns shown: by name, sensitive only, of one kind; sorted the way each reads."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDynamicSortFilter(False)  # a row must not jump away while it is edited
        self.setSortRole(SORT_ROLE)
        self._text = ""
        self._sensitive_only = False
        self._kind = None

    def set_text(self, text: str) -> None:
        """Show the columns whose name holds ``text`` (any case)."""
        self._text = text.casefold()
        self.invalidateFilter()

    def set_sensitive_only(self, on: bool) -> None:
        """Show only columns marked sensitive."""
        self._sensitive_only = bool(on)
        self.invalidateFilter()

    def set_kind(self, kind) -> None:
        """Show only columns of ``kind`` (None: every kind)."""
        self._kind = None if kind is None else Kind(kind)
        self.invalidateFilter()

    def filterAcceptsRow(self, row, parent) -> bool:  # noqa: N802, D102
        spec = self.sourceModel().spec_at(row)
        if self._text and self._text not in spec.name.casefold():
            return False
        if self._sensitive_only and not spec.sensitive:
            return False
        return self._kind is None or spec.kind is self._kind

    def lessThan(self, left, right) -> bool:  # noqa: N802, D102
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


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
        self._shown = 0  # the table shown: 0 the main one, i the i-th related table
        self._detected_main: tuple | None = None
        switch = QHBoxLayout()  # with related tables: which table's columns are shown
        self.table_label = QLabel("&Table:")
        self.table_choice = QComboBox()
        self.table_choice.setAccessibleName("The table whose columns are shown")
        self.table_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.table_label.setBuddy(self.table_choice)
        self.table_note = QLabel()
        self.table_note.setWordWrap(True)
        switch.addWidget(self.table_label)
        switch.addWidget(self.table_choice)
        switch.addWidget(self.table_note, 1)
        self.table_row = QWidget()
        self.table_row.setLayout(switch)
        switch.setContentsMargins(0, 0, 0, 0)
        self.table_row.setVisible(False)
        self.body.addWidget(self.table_row)
        self.table_choice.currentIndexChanged.connect(self._on_table_chosen)
        top = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter columns by name")
        self.filter.setAccessibleName("Filter columns by name")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(120)
        top.addWidget(self.filter, 1)
        self.sensitive_only = QCheckBox("Sensiti&ve only")
        self.sensitive_only.setAccessibleName("Show only sensitive columns")
        top.addWidget(self.sensitive_only)
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName("Show only columns of this kind")
        self.kind_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_filter.setMinimumContentsLength(10)
        top.addWidget(self.kind_filter)
        self.reset_button = QPushButton("Reset to &detected")
        self.reset_button.setAccessibleName("Undo every change: columns as detected")
        self.reset_button.setToolTip("Every column back to the kind, sensitivity and treatment "
                                     "SynthDesk detected when it read the table.")
        self.reset_button.clicked.connect(self._on_reset)
        top.addWidget(self.reset_button)
        self.body.addLayout(top)
        bulk = QHBoxLayout()  # below the table, beside the counts
        bulk.addWidget(QLabel("Selected columns:"))
        self.bulk_choice = QComboBox()
        self.bulk_choice.setAccessibleName("Treatment for the selected columns")
        for action, label in TREATMENT_LABELS.items():
            self.bulk_choice.addItem(label, str(action))
        bulk.addWidget(self.bulk_choice)
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setAccessibleName("Apply this treatment to the selected columns")
        self.apply_button.clicked.connect(self._on_apply_clicked)
        bulk.addWidget(self.apply_button)

        self.model = ColumnSpecModel(self)
        self.proxy = ColumnFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.filter.textChanged.connect(self.proxy.set_text)
        self.sensitive_only.toggled.connect(self.proxy.set_sensitive_only)
        self.kind_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_kind(self.kind_filter.currentData()))

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Columns of the table")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        triggers = QAbstractItemView.EditTrigger
        self.view.setEditTriggers(triggers.DoubleClicked | triggers.SelectedClicked
                                  | triggers.EditKeyPressed)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
        self.view.clicked.connect(self._on_cell_clicked)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(28)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # both ends of a name read
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(SENSITIVE, Qt.SortOrder.AscendingOrder)  # sensitive first
        self.view.setItemDelegateForColumn(
            KIND, ChoiceDelegate([(str(k), label) for k, label in KIND_LABELS.items()], self))
        self.view.setItemDelegateForColumn(
            TREATMENT,
            ChoiceDelegate([(str(a), label) for a, label in TREATMENT_LABELS.items()], self))
        self.view.setItemDelegateForColumn(SHAPE, SparklineDelegate(SPARK_ROLE, self))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((150, 160, 80, 220, 190, 70, 100)):
            self.view.setColumnWidth(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicatorShown(True)
        self.body.addWidget(self.view, 1)

        self.counts = QLabel()
        self.hidden_note = QLabel()
        self.hidden_note.setWordWrap(True)
        self.hidden_note.setAccessibleName("Columns the last run could not learn")
        self.body.addWidget(self.hidden_note)
        self.counts.setWordWrap(True)
        bulk.insertWidget(0, self.counts, 1)
        self.body.addLayout(bulk)
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
        reload = self._version != self.state.version
        if reload:
            self._version = self.state.version
            self._detected_main = (list(self.state.specs), list(self.state.sparks))
            self._shown = 0
        names = self.table_names()
        if [self.table_choice.itemText(i) for i in range(self.table_choice.count())] != names:
            self._shown = self._shown if self._shown < len(names) else 0
            self.table_choice.blockSignals(True)
            self.table_choice.clear()
            self.table_choice.addItems(names)
            self.table_choice.setCurrentIndex(self._shown)
            self.table_choice.blockSignals(False)
            reload = True
        related = bool(self.state.related)
        self.table_row.setVisible(related)
        self.table_note.setText(
            f"{len(names)} tables: choose one to check its columns. The columns that link "
            "them are keys: each table gets new ones, and each related row points at its "
            "new row of the main table." if related else "")
        if reload or self.model.specs != self._specs_of(self._shown):
            self._show_table(self._shown)
        self._show_hidden_note()

    def _show_hidden_note(self) -> None:
        """What the last run could not learn, of the table shown."""
        protection = getattr(self.state.result, "protection", None)
        if isinstance(protection, dict):  # related tables: table -> what was hidden
            protection = protection.get(self.table_choice.currentText())
        note = hidden_columns_note(protection)
        self.hidden_note.setText(note)
        self.hidden_note.setVisible(bool(note))

    def on_leave(self) -> None:  # noqa: D102
        self._store(self._shown)

    def table_names(self) -> list[str]:
        """The main table's name, then each related table's."""
        from synthdesk.core.pipeline import table_name

        if self.state.table is None:
            return []
        return [table_name(self.state.table), *(r.name for r in self.state.related)]

    def show_table(self, index: int) -> None:
        """Show the columns of table ``index`` (0: the main table; i: the i-th related)."""
        self.table_choice.setCurrentIndex(index)

    def is_complete(self) -> bool:  # noqa: D102
        return not self.kind_runner.running and self._anything_learned()

    def _anything_learned(self) -> bool:
        """A column to learn: in the main table, or with related tables in any table."""
        tables = [self.model.specs if i == self._shown else self._specs_of(i)
                  for i in range(1 + len(self.state.related))]
        return any(modelled_columns(specs) for specs in tables)

    def _specs_of(self, index: int) -> list:
        if index == 0:
            return list(self.state.specs)
        return list(self.state.related[index - 1].specs)

    def _frame_of(self, index: int):
        if index == 0:
            return self.state.table.data
        return self.state.related[index - 1].table.data

    def _store(self, index: int) -> None:
        """The model's columns into the state, for table ``index`` (only if they changed)."""
        specs = self.model.specs
        if index == 0:
            self.state.specs = specs
            self.state.sparks = self.model.sparks
            return
        if index - 1 >= len(self.state.related):
            return
        related = list(self.state.related)
        if tuple(specs) != related[index - 1].specs:
            related[index - 1] = related[index - 1].with_specs(specs, self.model.sparks)
            self.state.related = tuple(related)

    def _show_table(self, index: int) -> None:
        self._shown = index
        if index == 0:
            specs, sparks, detected = self.state.specs, self.state.sparks, self._detected_main
        else:
            choice = self.state.related[index - 1]
            specs, sparks, detected = choice.specs, choice.sparks, (choice.detected,
                                                                    choice.sparks)
        self.filter.clear()
        self.sensitive_only.setChecked(False)
        self.model.set_specs(specs, sparks, self._frame_of(index), detected=detected)
        self._fill_kinds()
        self._fit_names()
        self.view.sortByColumn(SENSITIVE, Qt.SortOrder.AscendingOrder)

    def _on_table_chosen(self, index: int) -> None:
        if index < 0 or index == self._shown or self.kind_runner.running:
            self.table_choice.setCurrentIndex(self._shown)
            return
        self._store(self._shown)
        self.error.clear()
        self._show_table(index)
        self._show_hidden_note()

    def selected_rows(self) -> list[int]:
        """Source rows of the selected columns."""
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return sorted(rows)

    def _fill_kinds(self) -> None:
        self.kind_filter.blockSignals(True)
        self.kind_filter.clear()
        self.kind_filter.addItem("Every kind", None)
        present = {s.kind for s in self.model.specs}
        for kind, label in KIND_LABELS.items():
            if kind in present:
                self.kind_filter.addItem(label, str(kind))
        self.kind_filter.blockSignals(False)
        self.proxy.set_kind(None)

    def _fit_names(self) -> None:
        """Make the name column as wide as the longest name (within reason)."""
        metrics = self.view.fontMetrics()
        widest = max((metrics.horizontalAdvance(s.name) for s in self.model.specs), default=80)
        self.view.setColumnWidth(NAME, min(max(widest + 48, 120), 360))

    def _on_cell_clicked(self, index) -> None:
        if index.column() in (KIND, TREATMENT):
            self.view.edit(index)  # a combo box opens on one click, as it looks

    def _on_reset(self) -> None:
        self.model.reset_to_detected()
        self.error.clear()

    def _on_apply_clicked(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.model.apply_treatment(rows, Action(self.bulk_choice.currentData()))

    def _on_kind_requested(self, row: int, kind) -> None:
        spec, frame = self.model.specs[row], self._frame_of(self._shown)
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
        self._store(self._shown)
        by_action = {a: sum(s.action is a for s in specs) for a in Action}
        sensitive = sum(s.sensitive for s in specs)
        self.reset_button.setEnabled(self.model.changed)
        table = f"{self.table_choice.currentText()}: " if self.state.related else ""
        self.counts.setText(
            f"{table}{len(specs)} columns, {sensitive} sensitive (listed first, in red): "
            f"{by_action[Action.SYNTHESIZE]} learned, "
            f"{by_action[Action.FAKE] + by_action[Action.CONSISTENT]} replaced with fakes, "
            f"{by_action[Action.DROP]} left out."
        )
        if specs and not self._anything_learned():
            self.error.show_error(
                "Every column is left out or empty: keep at least one column to learn from.")
        else:
            self.error.clear()
        self.sig_complete_changed.emit()
