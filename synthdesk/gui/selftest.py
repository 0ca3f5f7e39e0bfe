"""The window's part of ``synthdesk --self-test``: open the main window offscreen and close it."""

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
    window.close()
    app.processEvents()
    if shown:
        say(f"ok   window: opened and closed in {time.perf_counter() - started:.1f} s")
    else:
        say("FAIL window: the main window did not show")
    return shown
