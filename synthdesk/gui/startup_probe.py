"""Startup timing for installer/measure-startup.sh: when the window shows, when it is ready.

Kept apart from :mod:`synthdesk.gui.selftest`, which opens the window itself: the window
module calls this one, so neither imports the other.
"""

from __future__ import annotations

import time

__all__ = ["probe_startup"]


def probe_startup(app, window) -> None:
    """Write when the window is first on screen and when the wizard is ready, then quit.

    Used by ``installer/measure-startup.sh`` (``SYNTHDESK_STARTUP_PROBE=1``) to time a
    start: it prints ``shown EPOCH`` and ``ready EPOCH`` (seconds since 1970).
    """
    import sys

    from PySide6.QtCore import QTimer

    marks: dict[str, float] = {}

    def tick() -> None:
        handle = window.windowHandle()
        if "shown" not in marks and handle is not None and handle.isExposed():
            marks["shown"] = time.time()
        if "shown" in marks and window.wizard is not None:
            marks["ready"] = time.time()
            timer.stop()
            sys.stdout.write("".join(f"{k} {v:.3f}\n" for k, v in marks.items()))
            sys.stdout.flush()
            app.quit()

    timer = QTimer(window)
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
