import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from synthdesk.gui.app import MainWindow, main

pytestmark = pytest.mark.gui


def test_main_window_shows_what_synthdesk_is(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "SynthDesk"
    texts = " ".join(label.text() for label in window.findChildren(QLabel))
    assert "synthetic" in texts and "synthdesk run" in texts


def test_main_opens_the_window_and_returns_when_closed(qtbot):
    shown = []

    def close_window():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        shown.extend(w.isVisible() for w in windows)
        for window in windows:
            window.close()
        QApplication.quit()

    QTimer.singleShot(200, close_window)
    assert main([]) == 0
    assert shown == [True]
