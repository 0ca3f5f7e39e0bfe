"""Step 1: open a table (button, drag and drop or recent files) and preview it."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from synthdesk.gui.models.dataframe_model import column_arrays
from synthdesk.gui.pages.base import InlineError, RelatedChoice, WizardPage
from synthdesk.gui.tasks import TaskRunner
from synthdesk.gui.widgets.table_preview import TablePreview
from synthdesk.io.readers import CSV_SUFFIXES, EXCEL_SUFFIXES

__all__ = ["ImportPage", "FILE_FILTER", "MAX_RECENT"]

_DELIMITERS = (("detected", None), ("comma", ","), ("semicolon", ";"), ("tab", "\t"),
               ("vertical bar", "|"))
_ENCODINGS = (("detected", None), ("UTF-8", "utf-8"), ("Windows (cp1252)", "cp1252"),
              ("Latin-1", "latin-1"), ("UTF-16", "utf-16"))

def _patterns(suffixes) -> str:
    return " ".join(f"*{suffix}" for suffix in suffixes)


# Every format the reader takes, from the reader's own lists.
FILE_FILTER = (f"Tables ({_patterns(CSV_SUFFIXES + EXCEL_SUFFIXES)});;"
               f"Text tables ({_patterns(CSV_SUFFIXES)});;"
               f"Spreadsheets ({_patterns(EXCEL_SUFFIXES)});;All files (*)")
MAX_RECENT = 8


def _load(path: Path, sheet: str | None, options=None):
    """The import task: read, profile and sketch each column (a worker waits on a child)."""

    def task(progress, cancel):
        from synthdesk.core.isolated_load import load_table_isolated

        # Reading and profiling run in a child process: their long pandas steps would
        # otherwise hold Python's lock and freeze the window for a second at a time.
        started = time.perf_counter()
        loaded = load_table_isolated(path, sheet, progress, cancel, options)
        cancel.raise_if_set()
        read_s = time.perf_counter() - started  # the report's read_s, as the CLI's
        return (loaded.table, loaded.specs, loaded.sparks, column_arrays(loaded.table.data),
                read_s)

    return task


def _load_related(path: Path, sheet: str | None, parent_table, parent_specs, saved=None,
                  columns=()):
    """The related-table task: read the child, then find how it points at the main table.

    ``saved`` (a ``ChildSource`` from a project) names its key, the parent's key and its
    order column, and ``columns`` its column choices; without them they are detected.
    """

    def task(progress, cancel):
        from dataclasses import replace

        from synthdesk.core.isolated_load import load_table_isolated
        from synthdesk.core.pipeline import table_name
        from synthdesk.core.related import ChildSource, as_key, relate

        loaded = load_table_isolated(path, sheet, progress, cancel, None)
        cancel.raise_if_set()
        progress(0.95, "Finding the key that links the tables")
        source = ChildSource(Path(path), loaded.table.source.sheet)
        if saved is not None:
            source = replace(saved, input=Path(path), sheet=loaded.table.source.sheet)
        match, order = relate(parent_table.data, parent_specs, loaded.table.data,
                              loaded.specs, source, parent_name=table_name(parent_table),
                              child_name=table_name(loaded.table))
        # The key is never learned: the Columns page shows it as the key it is.
        detected = tuple(as_key(loaded.specs, match.child_key))
        chosen = {s.name: s for s in columns}
        specs = tuple(as_key([chosen.get(s.name, s) for s in loaded.specs], match.child_key))
        return RelatedChoice(loaded.table, specs, source, match, order,
                             tuple(loaded.sparks), detected)

    return task


class ImportPage(WizardPage):
    """Choose the table; see what SynthDesk understood.

    Signals:
        sig_loaded: A table was read and the state holds it.

    """

    title = "Open your table"
    subtitle = (
        "Choose a CSV or Excel file. It is only read, never changed, and nothing leaves "
        "this computer."
    )
    sig_loaded = Signal()

    def __init__(self, state, settings: QSettings, parent=None):
        super().__init__(state, parent)
        self.settings = settings
        self.runner = TaskRunner(self)
        self.setAcceptDrops(True)

        row = QHBoxLayout()
        self.open_button = QPushButton("&Open a table…")
        self.open_button.setAccessibleName("Open a table file")
        self.open_button.clicked.connect(self._on_open_clicked)
        row.addWidget(self.open_button)
        hint = QLabel("or drop a CSV or Excel file anywhere on this window")
        row.addWidget(hint)
        row.addStretch(1)
        self.sheet_label = QLabel("&Sheet:")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Sheet to read")
        self.sheet_label.setBuddy(self.sheet_combo)
        self.sheet_combo.activated.connect(self._on_sheet_chosen)
        row.addWidget(self.sheet_label)
        row.addWidget(self.sheet_combo)
        self.body.addLayout(row)

        # When the reader guessed wrong: header row, delimiter and encoding by hand.
        self.options_box = QWidget()
        options = QHBoxLayout(self.options_box)
        options.setContentsMargins(0, 0, 0, 0)
        self.header_spin = QSpinBox()
        self.header_spin.setRange(-1, 10_000)
        self.header_spin.setSpecialValueText("detected")
        self.header_spin.setValue(-1)
        self.header_spin.setAccessibleName("Row that holds the column names")
        self.header_spin.setToolTip("The row that holds the column names; 0 if there is none.")
        self.last_spin = QSpinBox()
        self.last_spin.setRange(0, 10_000_000)
        self.last_spin.setSpecialValueText("detected")
        self.last_spin.setValue(0)
        self.last_spin.setAccessibleName("Row that holds the last record")
        self.last_spin.setToolTip("The row that holds the table's last record; notes and "
                                  "totals below it are left out.")
        self.delimiter_combo = QComboBox()
        self.delimiter_combo.setAccessibleName("Delimiter")
        for label, value in _DELIMITERS:
            self.delimiter_combo.addItem(label, value)
        self.encoding_combo = QComboBox()
        self.encoding_combo.setAccessibleName("Encoding")
        for label, value in _ENCODINGS:
            self.encoding_combo.addItem(label, value)
        self.serials_check = QCheckBox("&Day numbers as dates")
        self.serials_check.setChecked(True)
        self.serials_check.setToolTip("Whole numbers such as 43525 in a column headed as a date "
                                      "are Excel date serials: read them as dates.")
        self.reread_button = QPushButton("Read &again")
        self.reread_button.setAccessibleName("Read the file again with these settings")
        self.reread_button.clicked.connect(self._on_reread)
        for text, widget in (("Header row:", self.header_spin),
                             ("Last row:", self.last_spin),
                             ("Delimiter:", self.delimiter_combo),
                             ("Encoding:", self.encoding_combo)):
            label = QLabel(text)
            label.setBuddy(widget)
            options.addWidget(label)
            options.addWidget(widget)
            options.addSpacing(10)
        options.addWidget(self.serials_check)
        options.addSpacing(10)
        options.addWidget(self.reread_button)
        options.addStretch(1)
        self.options_box.setVisible(False)
        self.body.addWidget(self.options_box)

        self.recent_label = QLabel("Recent files:")
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent files")
        self.recent.setMaximumHeight(64)
        self.recent.itemActivated.connect(self._on_recent_activated)
        self.recent.itemClicked.connect(self._on_recent_activated)
        recent_box = QVBoxLayout()
        recent_box.addWidget(self.recent_label)
        recent_box.addWidget(self.recent)
        self.body.addLayout(recent_box)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.setVisible(False)
        self.body.addWidget(self.busy)
        self.error = InlineError()
        self.body.addWidget(self.error)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What SynthDesk understood about the file")
        self.body.addWidget(self.summary)
        self._build_related()

        self.empty = QFrame()
        self.empty.setObjectName("dropArea")
        self.empty.setStyleSheet(
            "#dropArea { border: 2px dashed palette(mid); border-radius: 8px; }")
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        drop = QLabel("Drop a CSV or Excel file here")
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = drop.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        drop.setFont(font)
        empty_layout.addWidget(drop)
        self.sample_button = QPushButton("Try it with a sample table (344 penguins)")
        self.sample_button.setAccessibleName("Open the bundled sample table")
        self.sample_button.clicked.connect(self._on_sample_clicked)
        empty_layout.addWidget(self.sample_button, 0, Qt.AlignmentFlag.AlignCenter)
        empty_layout.addStretch(1)
        self.body.addWidget(self.empty, 1)

        self.preview = TablePreview("Preview of the table; each column's kind under its name")
        self.model = self.preview.table_model
        self.body.addWidget(self.preview, 1)

        self.preview.setVisible(False)
        self.runner.sig_progress.connect(self._on_progress)
        self.runner.sig_done.connect(self._on_loaded)
        self.runner.sig_failed.connect(self._on_failed)
        self._set_sheet_choice([], None)
        self._refresh_recent()

    def _build_related(self) -> None:
        """Add related tables: other files, or other sheets of this workbook."""
        self.related_runner = TaskRunner(self)
        self.related_box = QWidget()
        box = QVBoxLayout(self.related_box)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.related_button = QPushButton("Add a &related table…")
        self.related_button.setAccessibleName("Add a table whose rows point at this one's rows")
        self.related_button.setToolTip("Another table linked to this one by a key: "
                                       "customers and their invoices, patients and visits. "
                                       "Add as many as point at this table.")
        self.related_button.clicked.connect(self._on_related_clicked)
        row.addWidget(self.related_button)
        self.related_sheet = QComboBox()
        self.related_sheet.setAccessibleName("Another sheet of this workbook as a related "
                                             "table")
        self.related_sheet.activated.connect(self._on_related_sheet)
        row.addWidget(self.related_sheet)
        row.addStretch(1)
        box.addLayout(row)
        self.related_info = QLabel()
        self.related_info.setWordWrap(True)
        self.related_info.setAccessibleName("How the related tables point at this one")
        box.addWidget(self.related_info)
        self.related_list = QVBoxLayout()  # one line per related table, with Remove
        self.related_list.setContentsMargins(0, 0, 0, 0)
        box.addLayout(self.related_list)
        self.related_lines: list[tuple[QWidget, QLabel, QPushButton]] = []
        self.orphans_box = QWidget()
        orphans = QHBoxLayout(self.orphans_box)
        orphans.setContentsMargins(0, 0, 0, 0)
        self.orphans_label = QLabel()
        self.orphans_label.setWordWrap(True)
        self.orphans_drop = QRadioButton("&Leave them out")
        self.orphans_keep = QRadioButton("&Keep them")
        self.orphans_drop.setChecked(True)
        self.orphans_group = QButtonGroup(self)
        for button in (self.orphans_drop, self.orphans_keep):
            self.orphans_group.addButton(button)
            button.toggled.connect(self._on_orphans_choice)
        orphans.addWidget(self.orphans_label)
        orphans.addWidget(self.orphans_drop)
        orphans.addWidget(self.orphans_keep)
        orphans.addStretch(1)
        box.addWidget(self.orphans_box)
        self.related_error = InlineError()
        box.addWidget(self.related_error)
        self.body.addWidget(self.related_box)
        self.related_runner.sig_progress.connect(
            lambda fraction, message: self.related_info.setText(f"{message}…"))
        self.related_runner.sig_done.connect(self._on_related_loaded)
        self.related_runner.sig_failed.connect(self._on_related_failed)
        self.related_box.setVisible(False)

    # -- public -------------------------------------------------------------------------
    def add_related(self, path: str | Path, sheet: str | None = None, saved=None,
                    columns=()) -> None:
        """Read ``path`` (or ``sheet`` of it) as another table whose rows point at this one's.

        ``saved`` and ``columns``: its key, order and column choices from a project.
        """
        if self.state.table is None:
            return
        self.related_error.clear()
        self.related_info.setVisible(True)
        self.related_info.setText(f"Reading {Path(path).name}…")
        self.sig_complete_changed.emit()
        self.related_runner.start(_load_related(Path(path), sheet, self.state.table,
                                                list(self.state.specs), saved, columns))

    def _add_pending_related(self) -> bool:
        """Read the next related table a project named; False when none is left."""
        if not self.state.pending_related:
            return False
        (source, columns), *rest = self.state.pending_related
        self.state.pending_related = tuple(rest)
        self.add_related(source.input, source.sheet, source, columns)
        return True

    def remove_related(self, index: int = -1) -> None:
        """Remove the related table at ``index`` (the last one added by default)."""
        self.related_runner.cancel()
        related = list(self.state.related)
        if related:
            del related[index]
        self.state.related = tuple(related)
        self.related_error.clear()
        self._show_related()
        self.sig_complete_changed.emit()

    def read_options(self):
        """The reader settings chosen by hand (None where detection decides)."""
        from synthdesk.io.options import ReadOptions

        header = self.header_spin.value()
        return ReadOptions(header_row=None if header < 0 else header,
                           delimiter=self.delimiter_combo.currentData(),
                           encoding=self.encoding_combo.currentData(),
                           date_serials=self.serials_check.isChecked(),
                           last_row=self.last_spin.value() or None)

    def open_path(self, path: str | Path, sheet: str | None = None, options=None) -> None:
        """Read ``path`` (and ``sheet``, with reader ``options``) in the background."""
        path = Path(path)
        if options is None:  # a new file: detection decides again
            self.header_spin.setValue(-1)
            self.last_spin.setValue(0)
            self.delimiter_combo.setCurrentIndex(0)
            self.encoding_combo.setCurrentIndex(0)
            self.serials_check.setChecked(True)
        self.error.clear()
        self.state.table = None
        self.state.path = path
        self.state.sheet = sheet
        self.summary.setText(f"Reading {path.name}…")
        self.busy.setVisible(True)
        self.sig_complete_changed.emit()
        self.options_box.setVisible(True)
        text_file = path.suffix.lower() in (*CSV_SUFFIXES, "")
        self.delimiter_combo.setEnabled(text_file)
        self.encoding_combo.setEnabled(text_file)
        self.runner.start(_load(path, sheet, options))

    def is_complete(self) -> bool:  # noqa: D102
        return self.state.table is not None and not self.runner.running and \
            not self.related_runner.running

    def show_start(self) -> None:
        """Back to the start: the drop area, the sample and recent files, for a new table."""
        self.preview.setVisible(False)
        self.empty.setVisible(True)
        self.summary.setText("Open another table. The last one stays open until you do.")
        recent = self.recent.count() > 0
        self.recent.setVisible(recent)
        self.recent_label.setVisible(recent)

    # -- drag and drop ------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802, D102
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802, D102
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self.open_path(urls[0].toLocalFile())
            event.acceptProposedAction()

    # -- slots ---------------------------------------------------------------------------
    def _on_open_clicked(self) -> None:
        folder = str(self.settings.value("last_folder", str(Path.home())))
        name, _ = QFileDialog.getOpenFileName(self, "Open a table", folder, FILE_FILTER)
        if name:
            self.open_path(name)

    def _on_reread(self) -> None:
        if self.state.path is not None:
            self.open_path(self.state.path, self.state.sheet, self.read_options())

    def _on_sample_clicked(self) -> None:
        from synthdesk.gui.resources import SAMPLE_TABLE

        self.open_path(SAMPLE_TABLE)

    def _on_recent_activated(self, item: QListWidgetItem) -> None:
        self.open_path(item.data(Qt.ItemDataRole.UserRole))

    def _on_sheet_chosen(self, index: int) -> None:
        sheet = self.sheet_combo.itemText(index)
        if self.state.path is not None and sheet != self.state.sheet:
            self.open_path(self.state.path, sheet, self.read_options())

    def _on_progress(self, fraction: float, message: str) -> None:
        self.summary.setText(f"{message}…")

    def _on_loaded(self, payload) -> None:
        table, specs, sparks, arrays, read_s = payload
        self.busy.setVisible(False)
        self.state.read_s = read_s
        self.state.table = table
        self.state.sheet = table.source.sheet
        pending = {s.name: s for s in (self.state.pending_specs or ())}
        self.state.pending_specs = None
        self.state.specs = [pending.get(s.name, s) for s in specs]
        self.state.sparks = sparks
        self.state.version += 1
        self.state.result = None
        self.state.related = ()
        self.state.keep_orphans = self.state.pending_keep_orphans
        self.state.pending_keep_orphans = False
        (self.orphans_keep if self.state.keep_orphans else self.orphans_drop).setChecked(True)
        self.preview.show_frame(table.data, arrays, self.state.specs)
        self.empty.setVisible(False)
        self.preview.setVisible(True)
        self.summary.setText(_summary(table, specs))
        self._set_sheet_choice(list(table.source.sheets), table.source.sheet)
        self._remember(table.source.path)
        self._show_related()
        self._add_pending_related()
        self.sig_complete_changed.emit()
        self.sig_loaded.emit()

    def _on_failed(self, error) -> None:
        self.busy.setVisible(False)
        self.state.table = None
        self.state.pending_related = ()  # a project's related tables need its main table
        self.state.pending_keep_orphans = False
        self.model.set_frame(_empty_frame())
        self.preview.setVisible(False)
        self.empty.setVisible(True)
        self._refresh_recent()
        self.summary.clear()
        message = getattr(error, "message", None) or "This file could not be read."
        self.error.show_error(message, getattr(error, "details", ""))
        self.sig_complete_changed.emit()

    def _on_related_clicked(self) -> None:
        folder = str(self.settings.value("last_folder", str(Path.home())))
        name, _ = QFileDialog.getOpenFileName(self, "Add a related table", folder, FILE_FILTER)
        if name:
            self.add_related(name)

    def _on_related_sheet(self, index: int) -> None:
        if index > 0 and self.state.path is not None:
            self.add_related(self.state.path, self.related_sheet.itemText(index))

    def _on_related_loaded(self, choice) -> None:
        added = {(Path(r.source.input).resolve(), r.source.sheet) for r in self.state.related}
        if (Path(choice.source.input).resolve(), choice.source.sheet) in added:
            self._show_related()
            self.related_error.show_error(f"{choice.name} is already a related table.")
        else:
            self.state.related = (*self.state.related, choice)
            self._show_related()
        self._add_pending_related()
        self.sig_complete_changed.emit()

    def _on_related_failed(self, error) -> None:
        self._show_related()
        self._add_pending_related()  # a project's next table; this message stays
        self.related_error.show_error(
            getattr(error, "message", None) or "The related table could not be read.",
            getattr(error, "details", ""))
        self.sig_complete_changed.emit()

    def _on_orphans_choice(self, checked: bool) -> None:
        if checked and self.orphans_keep.isChecked() != self.state.keep_orphans:
            self.state.keep_orphans = self.orphans_keep.isChecked()
            self.sig_complete_changed.emit()

    def _show_related(self) -> None:
        """One line per related table (what points at what) with Remove; orphans' choice."""
        table = self.state.table
        self.related_box.setVisible(table is not None)
        if table is None:
            return
        others = [s for s in table.source.sheets if s != table.source.sheet]
        self.related_sheet.clear()
        self.related_sheet.addItem("or another sheet of this workbook…")
        self.related_sheet.addItems(others)
        self.related_sheet.setVisible(bool(others))
        for widget, _label, _button in self.related_lines:
            self.related_list.removeWidget(widget)
            widget.deleteLater()
        self.related_lines = []
        related = self.state.related
        self.related_button.setText("Add another &related table…" if related
                                    else "Add a &related table…")
        self.related_info.setVisible(True)
        if not related:
            self.related_info.setText("One table. Add a related table if another table's "
                                      "rows point at these rows (customers and their "
                                      "invoices).")
            self.orphans_box.setVisible(False)
            return
        self.related_info.setText(f"{len(related) + 1} tables: this one and "
                                  f"{len(related)} related to it." if len(related) > 1 else "")
        self.related_info.setVisible(len(related) > 1)
        for index, choice in enumerate(related):
            widget = QWidget()
            line = QHBoxLayout(widget)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel(_relation_text(table, choice))
            label.setWordWrap(True)
            label.setAccessibleName(f"How {choice.name} points at this table")
            button = QPushButton("Remove")
            button.setAccessibleName(f"Remove the related table {choice.name}")
            button.clicked.connect(lambda _checked=False, i=index: self.remove_related(i))
            line.addWidget(label, 1)
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.related_list.addWidget(widget)
            widget.setVisible(True)  # at once, not when the event loop next runs
            self.related_lines.append((widget, label, button))
        strays = [(r.name, r.match.orphans) for r in related if r.match.orphans]
        self.orphans_label.setText(
            " and ".join(f"{n:,} rows of {name}" for name, n in strays)
            + " point at no row of this table:")
        self.orphans_box.setVisible(bool(strays))

    # -- helpers -------------------------------------------------------------------------
    def _set_sheet_choice(self, sheets: list[str], current: str | None) -> None:
        self.sheet_combo.clear()
        self.sheet_combo.addItems(sheets)
        if current:
            self.sheet_combo.setCurrentText(current)
        visible = len(sheets) > 1
        self.sheet_combo.setVisible(visible)
        self.sheet_label.setVisible(visible)

    def _remember(self, path: Path) -> None:
        path = Path(path).resolve()
        self.settings.setValue("last_folder", str(path.parent))
        recent = [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("recent_files", [str(path), *recent][:MAX_RECENT])
        self._refresh_recent()

    def recent_files(self) -> list[str]:
        """Files opened before, newest first."""
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _refresh_recent(self) -> None:
        self.recent.clear()
        for name in self.recent_files():
            item = QListWidgetItem(f"{Path(name).name}    —    {Path(name).parent}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(name)
            self.recent.addItem(item)
        # Recent files help before a table is open; afterwards the preview needs the room.
        show = self.recent.count() > 0 and self.state.table is None
        self.recent.setVisible(show)
        self.recent_label.setVisible(show)


def _empty_frame():
    import pandas as pd

    return pd.DataFrame()


def _relation_text(parent, related) -> str:
    """How the related table points at the main one, in one paragraph."""
    from synthdesk.core.pipeline import table_name

    match = related.match
    child, rows = table_name(related.table), len(related.table.data)
    text = (f"<b>Related table {child}</b>: {rows:,} rows, each pointing at a row of "
            f"<b>{table_name(parent)}</b> through its column <b>{match.child_key}</b> "
            f"(= {match.parent_key}). {match.parents_with_children:,} of "
            f"{match.parent_rows:,} rows here have related rows, at most "
            f"{match.most_children:,} each.")
    if related.order:
        text += (f" Each row's related rows are a sequence ordered by <b>{related.order}</b>:"
                 " their order and the gaps between them are kept.")
    if not match.orphans:
        text += " Every related row points at a row here."
    return text


def _summary(table, specs) -> str:
    source = table.source
    rows, cols = table.data.shape
    parts = [f"<b>{source.path.name}</b>: {rows:,} rows × {cols} columns"]
    if source.format == "csv":
        delimiter = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}.get(
            source.delimiter or "", repr(source.delimiter))
        parts.append(f"text file, {source.encoding} encoding, {delimiter}-separated")
    else:
        parts.append(f"Excel workbook, sheet “{source.sheet}”")
    if source.header_row is None:
        parts.append("no header row: columns are numbered")
    elif source.header_row != 1:
        parts.append(f"column names in row {source.header_row}")
    if getattr(source, "last_row", None):
        parts.append(f"last record in row {source.last_row:,}")
    sensitive = [s.name for s in specs if s.sensitive]
    if sensitive:
        parts.append(f"{len(sensitive)} column(s) look sensitive: {', '.join(sensitive[:5])}"
                     + ("…" if len(sensitive) > 5 else ""))
    text = " · ".join(parts)
    notices = list(getattr(source, "notices", ()))
    if notices:
        text += "<br>" + "<br>".join(f"• {n}" for n in notices[:4])
    return text
