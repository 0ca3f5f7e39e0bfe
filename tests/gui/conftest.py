import gc

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from synthdesk.gui.app import MainWindow

# Settings and logs of the windows the tests open go to a test folder, not the user's.
QStandardPaths.setTestModeEnabled(True)


@pytest.fixture(autouse=True)
def _collect_garbage_here():
    """Free each test's windows on this (the GUI) thread, never in a worker's."""
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if was_enabled:
        gc.enable()


@pytest.fixture
def settings(tmp_path):
    """Settings in a private file, so tests never see or change the user's."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    for page in window.wizard.pages:
        runner = getattr(page, "runner", None)
        if runner is not None:
            runner.cancel()


def load(qtbot, wizard, path, sheet=None):
    """Open ``path`` on the Import page and wait until it is read."""
    page = wizard.import_page
    with qtbot.waitSignal(page.runner.sig_done, timeout=30_000):
        page.open_path(path, sheet)
