"""``synthdesk --tour DIR``: walk the wizard on the bundled tables and save each page as PNG.

Two runs: the 17-column penguins sample (``01-open.png`` ... ``06-save.png``), then the
59-column mortgage applications table (``wide-*.png``), which shows the views made for
wide tables: sensitive columns first, every column at once, ranked pairs, the rows
before saving.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["run_tour", "TOUR_SIZE", "dark_palette"]

TOUR_SIZE = (1280, 720)


def _wait(app, condition: Callable[[], bool], timeout_s: float) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the tour waited too long for a page")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def dark_palette():
    """A dark palette (Fusion's roles), to check the pages in a dark theme."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#2b2b2b"), (roles.WindowText, "#e8e8e8"),
                         (roles.Base, "#1e1e1e"), (roles.AlternateBase, "#272727"),
                         (roles.Text, "#e8e8e8"), (roles.Button, "#353535"),
                         (roles.ButtonText, "#e8e8e8"), (roles.Highlight, "#2f65ca"),
                         (roles.HighlightedText, "#ffffff"), (roles.ToolTipBase, "#353535"),
                         (roles.ToolTipText, "#e8e8e8"), (roles.PlaceholderText, "#9a9a9a"),
                         (roles.Mid, "#5a5a5a"), (roles.Light, "#454545"),
                         (roles.Dark, "#181818"), (roles.Link, "#8ab4f8")):
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#7a7a7a"))
    return palette


def run_tour(folder: str | Path, size: tuple[int, int] = TOUR_SIZE, dark: bool = False,
             wide: bool = True, sample: bool = True) -> int:
    """Save the pages of a run on the sample table, and of one on the wide table, as PNGs.

    Args:
        folder: Where the pictures go.
        size: The window's size in pixels.
        dark: Draw in a dark palette (Fusion style) instead of the system's.
        wide: Also walk the 59-column table.
        sample: Walk the 17-column sample.

    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from synthdesk.gui.app import create_application

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    if dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    work = Path(tempfile.mkdtemp(prefix="synthdesk-tour-"))
    try:
        settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
        if sample:
            _sample_run(app, folder, work, settings, size)
        if wide:
            _wide_run(app, folder, work, settings, size)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _window(settings, size):
    from synthdesk.gui.app import MainWindow

    window = MainWindow(settings)
    window.resize(*size)
    window.show()
    return window


def _shooter(app, window, folder: Path, prefix: str = ""):
    from synthdesk.gui.wizard import STEPS

    def shoot(index: int, suffix: str = "") -> None:
        app.processEvents()
        name = f"{prefix}{index + 1:02d}-{STEPS[index].lower()}{suffix}.png"
        window.grab().save(str(folder / name))

    return shoot


def _sample_run(app, folder: Path, work: Path, settings, size) -> None:
    from synthdesk.gui.resources import SAMPLE_TABLE

    sample = Path(shutil.copy(SAMPLE_TABLE, work / SAMPLE_TABLE.name))
    window = _window(settings, size)
    wizard = window.wizard
    shoot = _shooter(app, window, folder)
    wizard.import_page.open_path(sample)
    _wait(app, wizard.import_page.is_complete, 60)
    shoot(0)
    wizard.next()
    shoot(1)
    wizard.next()
    generator = wizard.generator_page
    generator.advanced_toggle.setChecked(True)
    generator.holdout.setValue(20)  # a small sample: set rows aside so privacy is measured
    generator.target.setCurrentIndex(max(generator.target.findData("Species"), 0))
    shoot(2)
    wizard.next()
    _wait(app, wizard.train_page.is_complete, 300)
    shoot(3)
    wizard.next()
    compare = wizard.compare_page
    _wait(app, lambda: compare.columns.rowCount() > 0, 60)
    shoot(4, "-overview")
    worst = compare.columns.item(0, 0).text()
    for row in range(compare.columns.rowCount()):  # a number column shows a histogram
        if compare.dists[compare.columns.item(row, 0).text()].numeric:
            compare.columns.selectRow(row)
            break
    shoot(4)
    compare.columns.selectRow(0)
    assert compare.columns.item(0, 0).text() == worst
    shoot(4, "-worst")
    compare.tabs.setCurrentWidget(compare.pairs)
    shoot(4, "-pairs")
    compare.tabs.setCurrentWidget(compare.scores)
    shoot(4, "-scores")
    compare.tabs.setCurrentWidget(compare.overview)
    wizard.export_page.open_folder.setChecked(False)
    wizard.next()
    _wait(app, lambda: not wizard.export_page.marks_runner.running, 60)
    wizard.export_page.path.setText(str(work / "penguins_synthetic.csv"))
    shoot(5)
    window.close()


def _wide_run(app, folder: Path, work: Path, settings, size) -> None:
    from synthdesk.gui.resources import resource_path
    from synthdesk.gui.widgets.help import HelpDialog

    source = resource_path("sample", "loanapp.csv")
    table = Path(shutil.copy(source, work / source.name))
    window = _window(settings, size)
    wizard = window.wizard
    shoot = _shooter(app, window, folder, "wide-")
    wizard.import_page.open_path(table)
    _wait(app, wizard.import_page.is_complete, 60)
    shoot(0)
    wizard.next()
    columns = wizard.columns_page
    # An analyst marks the applicant's ethnicity and sex as sensitive: they come first.
    from PySide6.QtCore import Qt

    from synthdesk.gui.models.column_spec_model import SENSITIVE

    for name in ("black", "hispan", "male"):
        row = next((i for i, s in enumerate(columns.model.specs) if s.name == name), None)
        if row is not None and not columns.model.specs[row].sensitive:
            columns.model.setData(columns.model.index(row, SENSITIVE),
                                  Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    columns.view.sortByColumn(SENSITIVE, Qt.SortOrder.AscendingOrder)
    shoot(1)
    wizard.next()
    generator = wizard.generator_page
    generator.generator.setCurrentIndex(generator.generator.findData("gaussian_copula"))
    shoot(2)
    wizard.next()
    _wait(app, wizard.train_page.is_complete, 1800)
    shoot(3)
    wizard.next()
    compare = wizard.compare_page
    _wait(app, lambda: compare.columns.rowCount() > 0, 120)
    shoot(4)
    skewed = next((v.name for v in compare.views.values() if v.log_scale), None)
    if skewed is not None:
        compare.show_column(skewed)
        compare.tabs.setCurrentWidget(compare.plot)
        shoot(4, "-log-scale")
    compare.search.setText("mort")
    compare.tabs.setCurrentWidget(compare.overview)
    shoot(4, "-search")
    compare.search.clear()
    compare.tabs.setCurrentWidget(compare.pairs)
    shoot(4, "-pairs")
    compare.tabs.setCurrentWidget(compare.overview)
    wizard.export_page.open_folder.setChecked(False)
    wizard.next()
    _wait(app, lambda: not wizard.export_page.marks_runner.running, 60)
    wizard.export_page.path.setText(str(work / "loanapp_synthetic.csv"))
    shoot(5)
    help_dialog = HelpDialog("nndr", window)
    help_dialog.show()
    app.processEvents()
    help_dialog.grab().save(str(folder / "wide-help.png"))
    help_dialog.close()
    window.close()
