"""Does the window stay responsive? Longest event-loop stall while importing and training.

A 10 ms QTimer on the GUI thread records the longest gap between its ticks while:
  (a) the Import page reads a generated 1,000,000-row x 20-column CSV (and profiles it);
  (b) the Train page trains gaussian_copula, cart, then ctgan for a few epochs, on a
      10,000-row slice of the same table;
  (c) the Compare page bins every column of that result.
Also: seconds from launching ``python -m synthdesk`` to its window being shown.
  (d) every page on the wide table shipped in resources/sample/loanapp.csv (1,989 x 59,
      real mortgage applications): Open, Columns (sort, filter, reset), Method, Train
      (gaussian_copula), Compare (overview, search, a column, pairs), Save (the preview,
      its marks, scrolling), and the About and Help dialogs.
The target is a stall under 100 ms and a window within 2 s.

Usage: .venv/bin/python bench/gui_responsiveness.py [--rows N] [--ctgan-epochs N]
       .venv/bin/python bench/gui_responsiveness.py --wide-only   # part (d) alone
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CSV = Path("/tmp/synthdesk_bench_1m.csv")


def make_csv(rows: int, path: Path) -> Path:
    """A 20-column table: numbers, categories, dates, a few missing values."""
    if path.exists() and path.stat().st_size > 0:
        existing = sum(1 for _ in path.open("rb")) - 1
        if existing == rows:
            return path
    rng = np.random.default_rng(0)
    frame = {}
    for i in range(8):
        frame[f"amount_{i}"] = rng.normal(1000 * (i + 1), 250, rows).round(2)
    for i in range(4):
        frame[f"count_{i}"] = rng.poisson(3 + i, rows)
    cities = np.array(["Lyon", "Porto", "Graz", "Turku", "Cork", "Gent", "Brno", "Bari"])
    for i in range(5):
        frame[f"category_{i}"] = cities[rng.integers(0, len(cities) - i, rows)]
    start = np.datetime64("2015-01-01")
    for i in range(2):
        days = rng.integers(0, 3000, rows)
        frame[f"date_{i}"] = pd.Series(start + days).dt.strftime("%Y-%m-%d")
    flag = rng.random(rows)
    frame["flag"] = np.where(flag < 0.5, "yes", "no")
    data = pd.DataFrame(frame)
    data.loc[data.sample(frac=0.02, random_state=0).index, "amount_0"] = np.nan
    data.to_csv(path, index=False)
    return path


class StallMeter:
    """Longest gap between ticks of a 10 ms timer on the GUI thread."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self._last = None

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return self.longest * 1000


def run_until(app, condition, timeout_s: float) -> float:
    """Run the event loop until ``condition()``; return the seconds it took."""
    from PySide6.QtCore import QEventLoop, QTimer

    started = time.perf_counter()
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(20)
    check.timeout.connect(lambda: (condition() or time.perf_counter() - started > timeout_s)
                          and loop.quit())
    check.start()
    loop.exec()
    check.stop()
    if not condition():
        raise TimeoutError("timed out")
    return time.perf_counter() - started


def startup_seconds() -> tuple[float, float]:
    """Launch the app in a fresh process: seconds until its window is shown, and until the
    wizard inside it is built (its heavy modules are imported off the GUI thread)."""
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import synthdesk.gui.app as app_module\n"
        "def shown():\n"
        "    ws = [w for w in QApplication.topLevelWidgets() if w.isVisible()]\n"
        "    if ws and ws[0].windowHandle() and ws[0].windowHandle().isExposed():\n"
        "        print('shown', flush=True); QTimer.singleShot(0, ready)\n"
        "    else:\n"
        "        QTimer.singleShot(5, shown)\n"
        "def ready():\n"
        "    if [w for w in QApplication.topLevelWidgets() if getattr(w, 'wizard', None)]:\n"
        "        print('ready', flush=True); QApplication.quit()\n"
        "    else:\n"
        "        QTimer.singleShot(5, ready)\n"
        "QTimer.singleShot(0, shown)\n"
        "sys.exit(app_module.main([]))\n"
    )
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            stderr=subprocess.DEVNULL)
    first = proc.stdout.readline()
    shown_s = time.perf_counter() - started
    second = proc.stdout.readline()
    ready_s = time.perf_counter() - started
    proc.wait(30)
    if "shown" not in first or "ready" not in second:
        raise RuntimeError("the window did not show")
    return shown_s, ready_s


def wide_pages(app, settings, meter) -> list[tuple[str, float, float]]:
    """The longest stall on each page, walking the wizard on the wide sample table."""
    from PySide6.QtCore import Qt

    from synthdesk.gui.about import AboutDialog
    from synthdesk.gui.app import MainWindow
    from synthdesk.gui.models.column_spec_model import KIND, MISSING, NAME, SENSITIVE
    from synthdesk.gui.resources import resource_path
    from synthdesk.gui.widgets.help import HelpDialog

    table = resource_path("sample", "loanapp.csv")
    window = MainWindow(settings)
    window.resize(1600, 1000)
    window.show()
    wizard = window.wizard
    rows = []

    def pause(seconds=0.15):
        began = time.perf_counter()
        run_until(app, lambda: time.perf_counter() - began > seconds, seconds + 5)

    def measure(what, action, condition=lambda: True, timeout=900, settle=0.5):
        """Each user action (a list: one after another, as clicks come) then the loop runs."""
        meter.start()
        started = time.perf_counter()
        for step in action if isinstance(action, list) else [action]:
            step()
            pause()
        run_until(app, condition, timeout)
        seconds = time.perf_counter() - started
        settled = time.perf_counter()
        run_until(app, lambda: time.perf_counter() - settled > settle, settle + 5)
        rows.append((what, seconds, meter.stop()))

    measure("wide: Open (read, profile, preview)", lambda: wizard.import_page.open_path(table),
            wizard.import_page.is_complete)
    columns = wizard.columns_page

    review_columns = [wizard.next] + [
        (lambda c=c: columns.view.sortByColumn(c, Qt.SortOrder.AscendingOrder))
        for c in (NAME, KIND, MISSING, SENSITIVE)] + [
        lambda: columns.sensitive_only.setChecked(True),
        lambda: columns.sensitive_only.setChecked(False),
        lambda: columns.kind_filter.setCurrentIndex(1),
        lambda: columns.kind_filter.setCurrentIndex(0),
        lambda: columns.model.setData(columns.model.index(0, SENSITIVE),
                                      Qt.CheckState.Checked.value,
                                      Qt.ItemDataRole.CheckStateRole),
        columns.reset_button.click]

    measure("wide: Columns (enter, 4 sorts, filters, reset)", review_columns)
    measure("wide: Method (enter, estimates)", wizard.next)
    gen = wizard.generator_page
    gen.generator.setCurrentIndex(gen.generator.findData("gaussian_copula"))
    measure("wide: Train (gaussian_copula)", wizard.next, wizard.train_page.is_complete, 1800)
    compare = wizard.compare_page
    measure("wide: Compare (bins, overview, pairs)", wizard.next,
            lambda: compare.columns.rowCount() > 0, 600)

    bar = compare.overview.verticalScrollBar()
    browse_compare = [
        lambda: compare.search.setText("mort"), compare.search.clear,
        lambda: compare.overview.clicked.emit(compare.overview.proxy.index(0, 0)),
        lambda: compare.tabs.setCurrentWidget(compare.pairs),
        lambda: compare.tabs.setCurrentWidget(compare.overview),
        lambda: bar.setValue(bar.maximum())]

    measure("wide: Compare (search, a column, pairs, scroll)", browse_compare)
    export = wizard.export_page
    export.open_folder.setChecked(False)

    down, right = export.preview.verticalScrollBar(), export.preview.horizontalScrollBar()
    save_page = [wizard.next, lambda: down.setValue(down.maximum()),
                 lambda: right.setValue(right.maximum())]

    measure("wide: Save (preview of every row, marks)", save_page,
            lambda: not export.marks_runner.running)
    dialogs = []

    def about():
        dialog = AboutDialog(window)
        dialog.show()
        dialogs.append(dialog)

    measure("About dialog (licences in a worker)", about, lambda: dialogs[-1].loaded)
    dialogs[-1].close()

    def help_dialog():
        dialog = HelpDialog("nndr", window)
        dialog.show()
        dialogs.append(dialog)

    measure("Help dialog (guide and glossary)", help_dialog)
    dialogs[-1].close()
    window.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--train-rows", type=int, default=10_000)
    parser.add_argument("--ctgan-epochs", type=int, default=3)
    parser.add_argument("--wide-only", action="store_true",
                        help="only the pages on the wide sample table (part d)")
    args = parser.parse_args()
    if args.wide_only:
        from PySide6.QtCore import QSettings

        from synthdesk.gui.app import create_application

        app = create_application([])
        settings = QSettings("/tmp/synthdesk_bench_wide.ini", QSettings.Format.IniFormat)
        meter = StallMeter()
        idle = time.perf_counter()
        meter.start()
        run_until(app, lambda: time.perf_counter() - idle > 10, 20)
        results = [("idle window (baseline, 10 s)", 10.0, meter.stop())]
        results += wide_pages(app, settings, meter)
        _print(results)
        return 0

    from PySide6.QtCore import QSettings

    from synthdesk.core.job import TrainingPlan
    from synthdesk.gui.app import MainWindow, create_application

    startups = [startup_seconds() for _ in range(3)]

    path = make_csv(args.rows, CSV)
    app = create_application([])
    settings = QSettings("/tmp/synthdesk_bench_settings.ini", QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.show()
    wizard = window.wizard
    meter = StallMeter()
    results = []

    # Baseline: the same meter with nothing to do. On a busy machine the operating system
    # alone delays the timer; the rows below are only meaningful against this one.
    idle_started = time.perf_counter()
    meter.start()
    seconds = run_until(app, lambda: time.perf_counter() - idle_started > 20, 30)
    results.append(("idle window (baseline, 20 s)", seconds, meter.stop()))

    meter.start()
    wizard.import_page.open_path(path)
    seconds = run_until(app, wizard.import_page.is_complete, 900)
    results.append((f"import {args.rows:,} x 20 CSV", seconds, meter.stop()))

    # Train on a slice: a page-level run of the same code path, on a size that trains in minutes.
    import_table = wizard.state.table
    small = import_table.data.head(args.train_rows).reset_index(drop=True)
    wizard.state.table = type(import_table)(data=small, source=import_table.source)
    wizard.state.version += 1
    wizard.next()
    wizard.next()
    trainings = (("gaussian_copula", None), ("cart", None), ("ctgan", args.ctgan_epochs))
    for generator, epochs in trainings:
        gen = wizard.generator_page
        gen.generator.setCurrentIndex(gen.generator.findData(generator))
        if epochs:
            gen.epochs.setValue(epochs)
        gen.rows.setValue(args.train_rows)
        meter.start()
        wizard.next()
        seconds = run_until(app, wizard.train_page.is_complete, 1800)
        label = f"train {generator}" + (f" ({epochs} epochs)" if epochs else "")
        results.append((f"{label}, {args.train_rows:,} rows", seconds, meter.stop()))
        if generator == "ctgan":
            meter.start()
            wizard.next()
            seconds = run_until(app, lambda: wizard.compare_page.columns.rowCount() > 0, 300)
            results.append(("compare page (bins, correlations)", seconds, meter.stop()))
        else:
            wizard.back()
    assert wizard.state.plan == TrainingPlan("ctgan", args.train_rows, 0, args.ctgan_epochs)
    window.close()
    results += wide_pages(app, settings, meter)

    _print(results)
    print(f"{'start-up to window shown, s (3 runs)':<48} "
          f"{' / '.join(f'{s:.2f}' for s, _ in startups):>22}")
    print(f"{'start-up to wizard ready, s (3 runs)':<48} "
          f"{' / '.join(f'{r:.2f}' for _, r in startups):>22}")
    return 0


def _print(results) -> None:
    print(f"{'what':<52} {'seconds':>8} {'max stall ms':>13}")
    for what, seconds, stall in results:
        print(f"{what:<52} {seconds:>8.1f} {stall:>13.0f}")
    print(f"cores: {os.cpu_count()}, load average at the end: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    sys.exit(main())
