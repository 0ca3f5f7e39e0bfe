"""Start the SynthDesk window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from synthdesk import __version__

__all__ = ["MainWindow", "main"]


class MainWindow(QMainWindow):
    """The main window. The wizard's pages will live here."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("SynthDesk")
        self.resize(960, 640)
        body = QWidget()
        layout = QVBoxLayout(body)
        title = QLabel("<h1>SynthDesk</h1>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            "Turn a private table into a synthetic one you can share.\n\n"
            "The step-by-step wizard is on its way. Meanwhile the same job runs from a terminal:\n"
            "synthdesk run your_table.csv -o synthetic.csv --report report.json"
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        version = QLabel(f"Version {__version__}")
        version.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addStretch(1)
        layout.addWidget(version)
        self.setCentralWidget(body)


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window and run until it is closed."""
    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    app.setApplicationName("SynthDesk")
    app.setOrganizationName("SynthDesk")
    window = MainWindow()
    window.show()
    return app.exec()
