"""Step 6: write the synthetic table (CSV or Excel) and, if wanted, a report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QWidget,
)

from synthdesk.core.job import Job
from synthdesk.core.pipeline import write
from synthdesk.export.writers import EXCEL_MAX_ROWS, CsvStyle
from synthdesk.gui.pages.base import InlineError, WizardPage
from synthdesk.gui.tasks import TaskRunner
from synthdesk.gui.widgets.table_preview import TablePreview

__all__ = ["ExportPage", "preview_marks", "related_output"]

# A synthetic column at least this share "(other)" is marked in the preview.
_MOSTLY_OTHER = 0.5


def preview_marks(synthetic, specs, views=None) -> dict[str, tuple[str, str]]:
    """Columns to flag in the preview: replaced with fakes, or mostly ``(other)``.

    Returns column -> (short mark, reason). With the Compare page's ``views`` (name ->
    ColumnView) it reads no values; without them it reads the text columns, in a worker.
    """
    from synthdesk.evaluation.overview import other_share
    from synthdesk.gui.models.column_spec_model import REPLACED

    marks = {}
    for spec in specs:
        if spec.name not in synthetic.columns:
            continue
        if spec.action in REPLACED:
            marks[spec.name] = ("fakes", "Replaced with realistic fakes: no real value.")
            continue
        if views and spec.name in views:
            share = views[spec.name].other_synthetic
        elif synthetic[spec.name].dtype == object:
            share = other_share(synthetic[spec.name]) or 0.0
        else:
            share = 0.0  # numbers and dates never hold the "(other)" label
        if share >= _MOSTLY_OTHER:
            marks[spec.name] = (f"{share:.0%} (other)",
                                f"{share:.0%} of its values are “(other)”: rare real values "
                                "are hidden, so little of this column is left.")
    return marks


# How CSV files are written: the label shown and the writer's style.
CSV_STYLES = (
    ("UTF-8 (standard)", CsvStyle()),
    ("UTF-8 for Excel (accents shown correctly)", CsvStyle(bom=True)),
    ("Excel in Europe (; and decimal comma)", CsvStyle.excel_europe()),
)


def _write(state, output: Path, reports: list[Path], style: CsvStyle):
    """The export task: the pipeline's write phase, on the job the pages have built."""
    table, result, specs, plan = state.table, state.result, list(state.specs), state.plan
    job = Job(input=table.source.path, output=output, sheet=table.source.sheet, plan=plan,
              report=reports[0] if reports else None, columns=tuple(specs))
    read_s = state.read_s

    def task(progress, cancel):
        write(job, table, specs, result, read_s=read_s, reports=reports, style=style,
              progress=progress, cancel=cancel)
        return output

    return task


def _write_related(state, output: Path, reports: list[Path]):
    """Related tables: a folder of CSV files or one workbook, through the core."""
    from synthdesk.core.related import RelatedJob, write_related

    table, result, specs, plan = state.table, state.result, list(state.specs), state.plan
    understood = state.understood()
    job = RelatedJob(Job(input=table.source.path, output=output, sheet=table.source.sheet,
                         plan=plan, columns=tuple(specs)),
                     tuple(r.related_source() for r in state.related),
                     keep_orphans=state.keep_orphans)
    read_s = state.read_s

    def task(progress, cancel):
        write_related(job, understood, result, read_s=read_s, progress=progress,
                      cancel=cancel, reports=reports)
        return output

    return task


def related_output(path: Path, workbook: bool) -> Path:
    """Where related tables go: ``NAME.xlsx``, or the folder ``NAME`` for CSV files."""
    return path.with_suffix(".xlsx") if workbook else path.with_suffix("")


class ExportPage(WizardPage):
    """Choose CSV or Excel and where to save; opens the folder when done."""

    title = "Save the synthetic table"
    subtitle = ("The synthetic table has the same columns, in the same order and formats. "
                "Look through its rows below before you save them.")
    sig_start_over = Signal()

    def __init__(self, state, settings: QSettings, parent=None):
        super().__init__(state, parent)
        self.settings = settings
        self.runner = TaskRunner(self)
        self.marks_runner = TaskRunner(self)
        self._previewed = None
        self.marks: dict = {}
        formats = QHBoxLayout()
        formats.addWidget(QLabel("Format:"))
        self.csv = QRadioButton("CSV (.csv)")
        self.xlsx = QRadioButton("Excel (.xlsx)")
        self.csv.setAccessibleName("Save as CSV")
        self.xlsx.setAccessibleName("Save as Excel workbook")
        self.group = QButtonGroup(self)
        self.group.addButton(self.csv)
        self.group.addButton(self.xlsx)
        self.csv.setChecked(True)
        formats.addWidget(self.csv)
        formats.addWidget(self.xlsx)
        formats.addSpacing(16)
        self.csv_style = QComboBox()
        self.csv_style.setAccessibleName("How the CSV file is written")
        for label, style in CSV_STYLES:
            self.csv_style.addItem(label, style)
        formats.addWidget(self.csv_style)
        formats.addStretch(1)
        self.body.addLayout(formats)

        where = QHBoxLayout()
        where.addWidget(QLabel("Save &to:"))
        self.path = QLineEdit()
        self.path.setAccessibleName("File to save the synthetic table to")
        where.itemAt(0).widget().setBuddy(self.path)
        where.addWidget(self.path, 1)
        self.browse = QPushButton("Bro&wse…")
        self.browse.clicked.connect(self._on_browse)
        where.addWidget(self.browse)
        self.body.addLayout(where)

        self.with_report = QCheckBox("Also save a &report to read and mail (.html)")
        self.with_report.setToolTip("Verdicts, every score explained, charts of real and "
                                    "synthetic columns, and the settings; one file that opens "
                                    "offline in any browser.")
        self.with_report.setChecked(True)
        self.body.addWidget(self.with_report)
        self.with_json = QCheckBox("Also save the scores for other tools (.&json)")
        self.with_json.setChecked(True)
        self.body.addWidget(self.with_json)
        note = QLabel("Reports never hold values of sensitive columns; the .json holds no "
                      "values from your table at all.")
        note.setWordWrap(True)
        self.body.addWidget(note)
        self.open_folder = QCheckBox("&Open the folder when done")
        self.open_folder.setChecked(True)
        self.body.addWidget(self.open_folder)
        row = QHBoxLayout()
        self.save_button = QPushButton("&Save")
        self.save_button.setAccessibleName("Save the synthetic table")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.body.addWidget(self.status)
        self.after = QWidget()
        after = QHBoxLayout(self.after)
        after.setContentsMargins(0, 0, 0, 0)
        self.open_file_button = QPushButton("Open the f&ile")
        self.open_report_button = QPushButton("Open the re&port")
        self.open_folder_button = QPushButton("Open the fol&der")
        self.start_over_button = QPushButton("Start &another table")
        self.start_over_button.setAccessibleName("Start again with another table")
        self.open_file_button.clicked.connect(lambda: self._open(self.saved))
        self.open_report_button.clicked.connect(lambda: self._open(self._report()))
        self.open_folder_button.clicked.connect(
            lambda: self._open(self.saved.parent if self.saved else None))
        self.start_over_button.clicked.connect(self.sig_start_over)
        for button in (self.open_file_button, self.open_report_button,
                       self.open_folder_button, self.start_over_button):
            after.addWidget(button)
        after.addStretch(1)
        self.after.setVisible(False)
        self.body.addWidget(self.after)
        self.error = InlineError()
        self.body.addWidget(self.error)
        self.preview_title = QLabel()
        self.body.addWidget(self.preview_title)
        self.preview = TablePreview("The synthetic rows that will be saved")
        self.body.addWidget(self.preview, 1)
        self.opened: list[Path] = []  # what the buttons asked the desktop to open
        self.marks_runner.sig_done.connect(self._on_marks)

        self.csv.toggled.connect(self._on_format_changed)
        self.runner.sig_done.connect(self._on_saved)
        self.runner.sig_failed.connect(self._on_failed)
        self.saved: Path | None = None
        self.reports: list[Path] = []

    # -- public -------------------------------------------------------------------------
    def on_enter(self) -> None:  # noqa: D102
        (self.xlsx if self.state.output_format == "xlsx" else self.csv).setChecked(True)
        result = self.state.result
        related = hasattr(result, "relations")
        self.csv.setText("CSV files in a folder (one per table)" if related else "CSV (.csv)")
        self.xlsx.setText("Excel (.xlsx, a sheet per table)" if related else "Excel (.xlsx)")
        rows = max(len(t.data) for t in result.tables) if related else \
            (result.rows if result is not None else 0)
        too_big = rows > EXCEL_MAX_ROWS
        self.xlsx.setEnabled(not too_big)
        self.xlsx.setToolTip(f"Excel holds at most {EXCEL_MAX_ROWS:,} rows." if too_big else "")
        if too_big:
            self.csv.setChecked(True)
        if result is not None and result is not self._previewed:
            self._show_preview(result)
        if not self.path.text() and self.state.path is not None:
            source = Path(self.state.path)
            self.path.setText(str(source.with_name(f"{source.stem}_synthetic.{self._suffix()}")))
        self._on_format_changed()
        self.csv_style.setVisible(not related)

    def on_leave(self) -> None:  # noqa: D102
        self.state.output_format = self._suffix()

    def save(self) -> None:
        """Write the table (and the report) in the background."""
        text = self.path.text().strip()
        self.error.clear()
        if not text:
            self.error.show_error("Choose where to save the synthetic table.")
            return
        output = Path(text).expanduser()
        related = hasattr(self.state.result, "relations")
        reports = [output.with_name(f"{output.stem}_report.{suffix}")
                   for box, suffix in ((self.with_report, "html"), (self.with_json, "json"))
                   if box.isChecked()]
        written = [output]
        if related:
            from synthdesk.core.related import output_paths

            written = output_paths(output, [t.name for t in self.state.result.tables])
        existing = [p for p in (*written, *reports) if p.exists()]
        if existing and not self.confirm_overwrite(existing):
            self.status.setText("Not saved: the files already there are kept.")
            return
        self.reports = reports
        self.after.setVisible(False)
        self.status.setText(f"Saving {output.name}…")
        self.save_button.setEnabled(False)
        if related:
            self.runner.start(_write_related(self.state, output, reports))
        else:
            self.runner.start(_write(self.state, output, reports, self.csv_style.currentData()))

    def confirm_overwrite(self, paths: list[Path]) -> bool:
        """Ask before replacing files that are already there."""
        names = "\n".join(f"  {p.name}" for p in paths)
        box = QMessageBox(QMessageBox.Icon.Question, "Replace files?",
                          f"These files are already in {paths[0].parent}:\n{names}\n\n"
                          "Replace them with the new synthetic table?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("&Replace")
        box.button(QMessageBox.StandardButton.No).setText("&Keep them")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.question = box
        return box.exec() == QMessageBox.StandardButton.Yes

    # -- slots ---------------------------------------------------------------------------
    def _show_preview(self, result) -> None:
        self._previewed = result
        if hasattr(result, "relations"):  # related tables: the related rows, every table named
            shown = result.tables[-1]
            self.preview.show_frame(shown.data, specs=list(shown.columns))
            self.preview_title.setText(
                "<b>Synthetic tables:</b> " + ", ".join(
                    f"{t.name} ({len(t.data):,} rows)" for t in result.tables)
                + f" · shown: {shown.name}")
            return
        synthetic = result.synthetic
        self.preview.show_frame(synthetic, specs=self.state.specs)
        shown = "" if result.rows == len(synthetic) else f" (the first {len(synthetic):,} shown)"
        self.preview_title.setText(f"<b>Synthetic rows:</b> {result.rows:,} rows × "
                                   f"{synthetic.shape[1]} columns{shown}")
        specs = list(self.state.specs)
        if self.state.column_views_of is result:  # Compare has read every value already
            self._on_marks(preview_marks(synthetic, specs, self.state.column_views))
        else:
            self.marks_runner.start(lambda progress, cancel: preview_marks(synthetic, specs))

    def _on_marks(self, marks) -> None:
        if self._previewed is None:
            return
        self.marks = marks
        self.preview.set_marks(self.state.specs, marks)
        if marks:
            self.preview_title.setText(
                self.preview_title.text() + f" · marked in the header: {len(marks)} "
                "column(s) of fakes or mostly “(other)”")

    def _report(self) -> Path | None:
        return next((p for p in self.reports if p.suffix == ".html"), None)

    def _open(self, path: Path | None) -> None:
        if path is not None:
            self.opened.append(Path(path))
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _suffix(self) -> str:
        return "xlsx" if self.xlsx.isChecked() else "csv"

    def _on_format_changed(self, *_args) -> None:
        self.state.output_format = self._suffix()
        self.csv_style.setEnabled(self._suffix() == "csv")
        text = self.path.text().strip()
        if text and hasattr(self.state.result, "relations"):
            self.path.setText(str(related_output(Path(text), self._suffix() == "xlsx")))
        elif text:
            self.path.setText(str(Path(text).with_suffix(f".{self._suffix()}")))

    def _on_browse(self) -> None:
        start = self.path.text() or str(self.settings.value("last_folder", str(Path.home())))
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the synthetic table", start,
            "Excel (*.xlsx)" if self._suffix() == "xlsx" else "CSV (*.csv)")
        if name:
            self.path.setText(name)
            self._on_format_changed()

    def _on_saved(self, output: Path) -> None:
        self.saved = output
        self.save_button.setEnabled(True)
        names = " and ".join(path.name for path in self.reports)
        reports = f", with {names}," if names else ""
        self.status.setText(f"Saved {output.name}{reports} in {output.parent}.")
        self.settings.setValue("last_folder", str(output.parent))
        self.open_report_button.setEnabled(self._report() is not None)
        self.after.setVisible(True)
        if self.open_folder.isChecked():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(output.parent)))

    def _on_failed(self, error) -> None:
        self.save_button.setEnabled(True)
        self.status.clear()
        self.error.show_error(getattr(error, "message", None) or "The file could not be saved.",
                              getattr(error, "details", ""))
