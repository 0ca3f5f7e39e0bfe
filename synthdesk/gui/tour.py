"""``synthdesk --tour DIR``: walk the wizard on the bundled sample and save each page as PNG."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["run_tour"]

_SIZE = (1100, 720)


def _wait(app, condition: Callable[[], bool], timeout_s: float) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the tour waited too long for a page")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def run_tour(folder: str | Path) -> int:
    """Save ``01-open.png`` ... ``06-save.png`` of a run on the sample table into ``folder``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from synthdesk.gui.app import MainWindow, create_application
    from synthdesk.gui.resources import SAMPLE_TABLE
    from synthdesk.gui.wizard import STEPS

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    work = Path(tempfile.mkdtemp(prefix="synthdesk-tour-"))
    try:
        sample = Path(shutil.copy(SAMPLE_TABLE, work / SAMPLE_TABLE.name))
        settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        window.resize(*_SIZE)
        window.show()
        wizard = window.wizard

        def shoot(index: int, suffix: str = "") -> None:
            app.processEvents()
            name = f"{index + 1:02d}-{STEPS[index].lower()}{suffix}.png"
            window.grab().save(str(folder / name))

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
        _wait(app, lambda: wizard.compare_page.columns.rowCount() > 0, 60)
        compare = wizard.compare_page
        worst = compare.columns.item(0, 0).text()
        for row in range(compare.columns.rowCount()):  # a number column shows a histogram
            if compare.dists[compare.columns.item(row, 0).text()].numeric:
                compare.columns.selectRow(row)
                break
        shoot(4)
        compare.columns.selectRow(0)
        assert compare.columns.item(0, 0).text() == worst
        shoot(4, "-worst")
        compare.tabs.setCurrentIndex(1)
        shoot(4, "-pairs")
        compare.tabs.setCurrentIndex(2)
        shoot(4, "-scores")
        compare.tabs.setCurrentIndex(0)
        wizard.next()
        wizard.export_page.path.setText(str(work / "penguins_synthetic.csv"))
        shoot(5)
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0
