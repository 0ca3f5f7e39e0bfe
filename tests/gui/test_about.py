"""The About dialog: version, third-party packages, and the Business Source License text."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from synthdesk import __version__
from synthdesk.gui.about import BSL_NAME, AboutDialog, third_party_packages

pytestmark = pytest.mark.gui

ROOT = Path(__file__).parents[2]


def _rows(dialog):
    table = dialog.table
    return [[table.topLevelItem(i).text(c) for c in range(3)]
            for i in range(table.topLevelItemCount())]


def _opened(qtbot, **kwargs):
    dialog = AboutDialog(**kwargs)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=60_000)
    return dialog


def test_it_opens_at_once_and_lists_the_packages_from_a_worker(qtbot):
    # Measured with a 10 ms timer on the GUI thread: the longest gap while the dialog is
    # built, shown and filled. Reading every package's metadata used to freeze it 1.5-2 s.
    import time

    from PySide6.QtCore import QTimer

    from synthdesk.gui import about

    about._FOUND.clear()  # read them afresh, as the first opening does
    gaps, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    built = time.perf_counter() - started
    assert not dialog.loaded or dialog.packages  # the list comes from the worker
    qtbot.waitUntil(lambda: dialog.loaded, timeout=60_000)
    timer.stop()
    assert dialog.packages and len(gaps) > 3
    # Generous bounds for a loaded test machine; bench/gui_responsiveness.py has the figure.
    assert built < 0.5, built
    assert max(gaps) < 1.0, max(gaps)


def test_from_source_lists_sdv_first_under_the_bsl_with_its_text(qtbot):
    dialog = _opened(qtbot)
    dialog.show()
    rows = _rows(dialog)
    names = [name.lower() for name, _, _ in rows]
    assert {"sdv", "rdt", "copulas", "ctgan", "pandas", "torch"} <= set(names)
    sdv = rows[names.index("sdv")]
    assert sdv[2] == BSL_NAME
    # The packages under the BSL come first, and the dialog opens on SDV's licence.
    first_other = next(i for i, row in enumerate(rows) if row[2] != BSL_NAME)
    assert all(row[2] != BSL_NAME for row in rows[first_other:])
    assert dialog.table.currentItem().text(0).lower() == "sdv"
    text = dialog.text.toPlainText()
    assert "Business Source License 1.1" in text and "Change Date" in text
    assert "synthdesk" not in names
    assert f"SynthDesk {__version__}" in dialog.title.text()


def test_choosing_a_package_shows_its_licence(qtbot):
    dialog = _opened(qtbot)
    dialog.select("pandas")
    assert "BSD" in dialog.text.toPlainText()
    with pytest.raises(KeyError):
        dialog.select("no-such-package")


def test_the_main_window_help_menu_opens_it(qtbot, window, monkeypatch):
    opened = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: opened.append(self) or QDialog.Accepted)
    help_menu = next(a.menu() for a in window.menuBar().actions() if "Help" in a.text())
    next(a for a in help_menu.actions() if "About" in a.text()).trigger()
    assert len(opened) == 1
    qtbot.waitUntil(lambda: opened[0].loaded, timeout=60_000)
    assert opened[0].packages


def test_in_the_built_app_it_reads_the_licences_the_build_collected(qtbot, tmp_path):
    # The build writes licenses/index.json beside the program; the dialog reads it there.
    subprocess.run([sys.executable, str(ROOT / "installer" / "collect_licenses.py"),
                    str(tmp_path)], check=True, cwd=ROOT)
    index = tmp_path / "licenses" / "index.json"
    entries = json.loads(index.read_text(encoding="utf-8"))
    assert entries[0]["licence"] == BSL_NAME
    packages = {p.name.lower(): p for p in third_party_packages(index)}
    assert "Business Source License" in packages["sdv"].text()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in packages["shiboken6"].text()
    assert "THIRD_PARTY_LICENSES.txt" in {p.name for p in tmp_path.iterdir()}
    dialog = _opened(qtbot, index=index)
    assert "Change Date" in dialog.text.toPlainText()
