import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from synthdesk.gui.app import MainWindow, main

pytestmark = pytest.mark.gui


def test_main_window_opens_on_the_first_step(qtbot, settings):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "SynthDesk"
    assert not window.windowIcon().isNull()
    wizard = window.wizard
    assert wizard.index == 0 and wizard.current_page.title == "Open your table"
    assert not wizard.back_button.isEnabled() and not wizard.next_button.isEnabled()
    assert wizard.import_page.open_button.accessibleName()


def test_window_size_is_remembered(qtbot, settings):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    # A size above the window's smallest (which the pages' contents set), within the 800x600 test screen.
    assert window.minimumSizeHint().height() < 600
    window.resize(780, 590)
    window.show()
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (780, 590)


def test_main_opens_the_window_and_returns_when_closed(qtbot):
    shown = []

    def close_window():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        shown.extend(w.isVisible() for w in windows)
        for window in windows:
            window.close()
        QApplication.quit()

    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)  # else a stray quit event ends the next test's wait
    try:
        QTimer.singleShot(200, close_window)
        assert main([]) == 0
    finally:
        app.setQuitOnLastWindowClosed(True)
    assert shown == [True]


def test_lazy_window_shows_first_and_builds_the_wizard_when_its_modules_are_in(qtbot, settings):
    window = MainWindow(settings, lazy=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.wizard is not None, timeout=30_000)
    assert window.centralWidget() is window.wizard
    assert all(action.isEnabled() for action in window._wizard_actions)
