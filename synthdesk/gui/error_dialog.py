"""One place for unexpected errors: log the traceback, show a friendly dialog."""

from __future__ import annotations

import datetime
import logging
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

__all__ = ["ErrorDialog", "install_error_hooks", "log_folder", "copy_to_clipboard"]

_log = logging.getLogger("synthdesk")


def log_folder() -> Path:
    """The app's data folder, where ``synthdesk.log`` lives."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def copy_to_clipboard(text: str) -> None:
    """Put ``text`` on the clipboard."""
    QApplication.clipboard().setText(text)


class ErrorDialog(QDialog):
    """"Something went wrong", a plain message and a Copy details button."""

    def __init__(self, message: str, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        self.details = details
        layout = QVBoxLayout(self)
        title = QLabel("<b>Something went wrong</b>")
        text = QLabel(message)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(title)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy details")
        copy.setAccessibleName("Copy the technical details to the clipboard")
        copy.clicked.connect(lambda: copy_to_clipboard(self.details))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class _Relay(QObject):
    sig_error = Signal(str, str)


class _Hooks:
    def __init__(self) -> None:
        self.relay = _Relay()
        self.relay.sig_error.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self.showing = False

    def handle(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = getattr(exc, "__synthdesk_traceback__", None) or "".join(
            traceback.format_exception(exc_type, exc, tb))
        path = log_folder() / "synthdesk.log"
        stamp = datetime.datetime.now().isoformat(timespec="seconds")
        try:
            with path.open("a", encoding="utf-8") as log:
                log.write(f"--- {stamp}\n{details}\n")
        except OSError:
            _log.exception("could not write %s", path)
        message = (
            "SynthDesk hit a problem it did not expect. Your files are unchanged. "
            f"The details were saved to {path}; please send them to whoever supports SynthDesk."
        )
        self.relay.sig_error.emit(message, details)

    def handle_thread(self, args) -> None:
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def _show(self, message: str, details: str) -> None:
        if self.showing:
            return  # one dialog at a time; every error is in the log
        self.showing = True
        try:
            ErrorDialog(message, details, QApplication.activeWindow()).exec()
        finally:
            self.showing = False


_HOOKS: _Hooks | None = None


def install_error_hooks() -> None:
    """Send every unexpected exception, from any thread, to the log and the dialog."""
    global _HOOKS
    if _HOOKS is None:
        _HOOKS = _Hooks()
    sys.excepthook = _HOOKS.handle
    threading.excepthook = _HOOKS.handle_thread
