"""The window's part of ``synthdesk --self-test``: open the main window offscreen and close it.

It also opens the About dialog, which proves the third-party licences (the Business
Source License of SDV and its siblings above all) travelled with the app.
"""

from __future__ import annotations

import os
import time


def check_window(say) -> bool:
    """Open and close the main window with Qt's offscreen platform; True when it showed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    from synthdesk.gui.app import MainWindow, create_application

    app = create_application([])
    window = MainWindow(lazy=True)
    window.show()
    app.processEvents()
    shown = window.isVisible()
    licences_ok = _check_about(window, say)
    window.close()
    app.processEvents()
    if shown:
        say(f"ok   window: opened and closed in {time.perf_counter() - started:.1f} s")
    else:
        say("FAIL window: the main window did not show")
    return shown and licences_ok


def _check_about(window, say) -> bool:
    from synthdesk.gui.about import BSL_NAME, AboutDialog

    dialog = AboutDialog(window)
    try:
        _wait_for(dialog.sig_loaded, lambda: bool(dialog.packages), _ABOUT_SECONDS)
        sdv = next((p for p in dialog.packages if p.name.lower() == "sdv"), None)
        if sdv is None or sdv.licence != BSL_NAME or BSL_NAME not in sdv.text():
            say("FAIL about: SDV's Business Source License text is missing")
            return False
        say(f"ok   about: {len(dialog.packages)} third-party licences, SDV's {BSL_NAME} shown")
        return True
    finally:
        dialog.deleteLater()


_ABOUT_SECONDS = 60


def _wait_for(signal, done, seconds: float) -> None:
    """Run the event loop until ``signal`` fires (or ``done()`` holds), at most ``seconds``."""
    from PySide6.QtCore import QEventLoop, QTimer

    if done():
        return
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
