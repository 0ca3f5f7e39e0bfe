"""Start the SynthDesk window."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMainWindow, QMessageBox

from synthdesk import __version__
from synthdesk.gui.compat import collect_garbage_on_gui_thread
from synthdesk.gui.error_dialog import install_error_hooks
from synthdesk.gui.resources import ICON

# pandas, numpy and pyqtgraph take seconds to import on a slow laptop: the window shows
# first and the pages are built once a background thread has imported them.
_HEAVY_MODULES = ("synthdesk.gui.wizard",)

__all__ = ["MainWindow", "main", "PROJECT_FILTER"]

PROJECT_FILTER = "SynthDesk projects (*.synthdesk)"


class MainWindow(QMainWindow):
    """The main window: the wizard, a File menu, and remembered size and files.

    With ``lazy=True`` the window appears at once with a "Starting" note, and the
    wizard replaces it when its modules have been imported off the GUI thread.
    """

    def __init__(self, settings: QSettings | None = None, *, lazy: bool = False) -> None:
        super().__init__()
        collect_garbage_on_gui_thread()
        self.settings = settings or QSettings()
        self.setWindowTitle("SynthDesk")
        self.setWindowIcon(QIcon(str(ICON)))
        self.wizard = None
        self._build_menus()
        if lazy:
            starting = QLabel("Starting SynthDesk…")
            starting.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.setCentralWidget(starting)
            self._imported = threading.Event()
            threading.Thread(target=self._import_heavy, name="synthdesk-imports",
                             daemon=True).start()
            self._import_timer = QTimer(self)
            self._import_timer.setInterval(20)
            self._import_timer.timeout.connect(self._on_import_tick)
            self._import_timer.start()
        else:
            self._build_wizard()
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        self.statusBar().showMessage(
            "Everything stays on this computer: nothing is sent over the network.")

    def _import_heavy(self) -> None:
        import importlib

        for name in _HEAVY_MODULES:
            importlib.import_module(name)
        self._imported.set()

    def _on_import_tick(self) -> None:
        if self._imported.is_set():
            self._import_timer.stop()
            self._build_wizard()

    def _build_wizard(self) -> None:
        from synthdesk.gui.wizard import Wizard

        self.wizard = Wizard(self.settings)
        self.setCentralWidget(self.wizard)
        for action in self._wizard_actions:
            action.setEnabled(True)

    def _on_open_table(self) -> None:
        if self.wizard is not None:
            self.wizard.go_to(0)
            self.wizard.import_page._on_open_clicked()

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self._wizard_actions = []
        actions = (
            ("&Open a table…", QKeySequence.StandardKey.Open, self._on_open_table),
            ("Open a &project…", None, self._on_open_project),
            ("&Save project…", QKeySequence.StandardKey.Save, self._on_save_project),
            (None, None, None),
            ("&Quit", QKeySequence.StandardKey.Quit, self.close),
        )
        for text, shortcut, slot in actions:
            if text is None:
                menu.addSeparator()
                continue
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            if slot is not self.close:
                action.setEnabled(False)  # until the wizard is built
                self._wizard_actions.append(action)
        help_menu = self.menuBar().addMenu("&Help")
        guide = QKeySequence.StandardKey.HelpContents
        for text, topic, shortcut in (("&User guide", "guide", guide),
                                      ("&Glossary of scores", "glossary", None)):
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(lambda _checked=False, t=topic: self._on_help(t))
            help_menu.addAction(action)
        help_menu.addSeparator()
        about = QAction("&About SynthDesk", self)
        about.triggered.connect(self._on_about)
        help_menu.addAction(about)

    # -- projects --------------------------------------------------------------------------
    def save_project(self, path: Path) -> None:
        """Save the job's choices (never its data) as a ``.synthdesk`` file."""
        from synthdesk.core.project import Project, save_project

        wizard = self.wizard
        if wizard.current_page in (wizard.columns_page, wizard.generator_page):
            wizard.current_page.on_leave()  # the page shown holds the newest choices
        state = wizard.state
        if state.path is None:
            raise ValueError("no table is open")
        options = wizard.import_page.read_options()
        save_project(Project(input=Path(state.path), sheet=state.sheet,
                             columns=tuple(state.specs), plan=state.plan,
                             output_format=state.output_format,
                             header_row=options.header_row, delimiter=options.delimiter,
                             encoding=options.encoding, date_serials=options.date_serials,
                             children=tuple(r.related_source() for r in state.related),
                             child_columns=tuple(r.specs for r in state.related),
                             keep_orphans=state.keep_orphans),
                     Path(path))

    def open_project(self, path: Path) -> None:
        """Reopen a saved job: read its tables again and restore every choice."""
        from synthdesk.core.project import load_project

        project = load_project(Path(path))
        wizard = self.wizard
        wizard.go_to(0)
        wizard.state.pending_specs = project.columns
        # Its related tables are read again once the main table is, one after the other.
        wizard.state.pending_related = tuple(
            (child, project.columns_of(i)) for i, child in enumerate(project.children))
        wizard.state.pending_keep_orphans = project.keep_orphans
        wizard.state.output_format = project.output_format
        wizard.generator_page.set_plan(project.plan)
        wizard.state.plan = project.plan
        page = wizard.import_page
        page.header_spin.setValue(-1 if project.header_row is None else project.header_row)
        for combo, value in ((page.delimiter_combo, project.delimiter),
                             (page.encoding_combo, project.encoding)):
            combo.setCurrentIndex(max(combo.findData(value), 0) if value else 0)
        page.serials_check.setChecked(project.date_serials)
        page.open_path(project.input, project.sheet, page.read_options())

    def _on_save_project(self) -> None:
        if self.wizard.state.path is None:
            QMessageBox.information(self, "Save project", "Open a table first.")
            return
        folder = str(self.settings.value("last_folder", str(Path.home())))
        name, _ = QFileDialog.getSaveFileName(self, "Save project", folder, PROJECT_FILTER)
        if not name:
            return
        if not name.endswith(".synthdesk"):
            name += ".synthdesk"
        from synthdesk.errors import SynthDeskError

        try:
            self.save_project(Path(name))
        except SynthDeskError as exc:
            QMessageBox.warning(self, "Save project", exc.message)

    def _on_open_project(self) -> None:
        folder = str(self.settings.value("last_folder", str(Path.home())))
        name, _ = QFileDialog.getOpenFileName(self, "Open project", folder, PROJECT_FILTER)
        if not name:
            return
        from synthdesk.errors import SynthDeskError

        try:
            self.open_project(Path(name))
        except SynthDeskError as exc:
            QMessageBox.warning(self, "Open project", exc.message)

    def _on_help(self, topic: str) -> None:
        from synthdesk.gui.widgets.help import show_help

        self.help_dialog = show_help(topic, self)

    def _on_about(self) -> None:
        from synthdesk.gui.about import AboutDialog

        AboutDialog(self).exec()

    def closeEvent(self, event) -> None:  # noqa: N802, D102
        self.settings.setValue("window/geometry", self.saveGeometry())
        if self.wizard is not None:
            from synthdesk.gui.tasks import thread_pool

            for page in self.wizard.pages:
                runner = getattr(page, "runner", None)
                if runner is not None:
                    runner.cancel()
            # A cancelled training stops its process within two seconds; wait for that,
            # so no worker is left running while Python shuts down.
            thread_pool().waitForDone(3000)
        super().closeEvent(event)


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, named so settings and the log folder land in SynthDesk's place."""
    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    app.setApplicationName("SynthDesk")
    app.setOrganizationName("SynthDesk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(ICON)))
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window and run until it is closed."""
    app = create_application(argv)
    install_error_hooks()
    window = MainWindow(lazy=True)
    window.show()
    if os.environ.get("SYNTHDESK_STARTUP_PROBE"):  # installer/measure-startup.sh
        from synthdesk.gui.startup_probe import probe_startup

        probe_startup(app, window)
    return app.exec()
