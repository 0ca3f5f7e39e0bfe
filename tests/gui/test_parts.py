"""The wizard's building blocks: models, the task runner, the error dialog."""

import threading

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from synthdesk.errors import ImportFailed
from synthdesk.gui.error_dialog import ErrorDialog
from synthdesk.gui.models import ColumnSpecModel, DataFrameModel
from synthdesk.gui.models.column_spec_model import MISSING, TREATMENT
from synthdesk.gui.tasks import TaskRunner
from synthdesk.schema.columns import Action, ColumnSpec, Kind

pytestmark = pytest.mark.gui


def test_dataframe_model_shows_a_million_rows_lazily():
    frame = pd.DataFrame({"a": np.arange(1_000_000), "b": [None, "x"] * 500_000,
                          "c": np.linspace(0, 1, 1_000_000)})
    model = DataFrameModel(frame)
    assert model.rowCount() == 1_000_000 and model.columnCount() == 3
    assert model.data(model.index(999_999, 0)) == "999999"
    assert model.data(model.index(0, 1)) == ""
    assert model.headerData(2, Qt.Orientation.Horizontal) == "c"


def test_column_model_applies_a_treatment_to_many_rows(qtbot):
    model = ColumnSpecModel()
    model.set_specs([ColumnSpec("a", Kind.INTEGER, missing=0.25), ColumnSpec("b", Kind.CATEGORY),
                     ColumnSpec("c", Kind.TEXT)])
    with qtbot.waitSignal(model.sig_specs_changed):
        model.apply_treatment([0, 2], Action.DROP)
    assert [s.action for s in model.specs] == [Action.DROP, Action.SYNTHESIZE, Action.DROP]
    assert model.data(model.index(0, MISSING)) == "25%"
    assert model.data(model.index(0, TREATMENT)) == "Leave out"


def test_task_runner_reports_progress_and_result(qtbot):
    runner = TaskRunner()
    seen = []
    runner.sig_progress.connect(lambda f, m: seen.append(m))

    def work(progress, cancel):
        progress(1.0, "half")
        return 42

    with qtbot.waitSignal(runner.sig_done, timeout=5_000) as blocker:
        runner.start(work)
    assert blocker.args == [42] and seen == ["half"] and not runner.running


def test_starting_a_new_task_discards_the_old_result(qtbot):
    runner = TaskRunner()
    release = threading.Event()
    results = []
    runner.sig_done.connect(results.append)

    finished = threading.Event()

    def slow(progress, cancel):
        release.wait(5)
        finished.set()
        return "old"

    runner.start(slow)
    with qtbot.waitSignal(runner.sig_done, timeout=5_000):
        runner.start(lambda p, c: "new")
    release.set()
    qtbot.waitUntil(finished.is_set, timeout=5_000)
    qtbot.wait(50)  # let a stray "old" result arrive, if it were going to
    assert results == ["new"]


def test_expected_errors_go_to_the_page_not_the_global_handler(qtbot):
    runner = TaskRunner()

    def fails(progress, cancel):
        raise ImportFailed("x.csv is empty.")

    with qtbot.waitSignal(runner.sig_failed, timeout=5_000) as blocker:
        runner.start(fails)
    assert blocker.args[0].message == "x.csv is empty."


def test_cancel_emits_cancelled_and_drops_the_result(qtbot):
    runner = TaskRunner()
    results = []
    runner.sig_done.connect(results.append)

    finished = threading.Event()

    def waits(progress, cancel):
        while not cancel.is_set:
            threading.Event().wait(0.01)
        finished.set()
        return "late"

    runner.start(waits)
    with qtbot.waitSignal(runner.sig_cancelled, timeout=1_000):
        runner.cancel()
    qtbot.waitUntil(finished.is_set, timeout=5_000)
    qtbot.wait(50)
    assert results == [] and not runner.running


def test_error_dialog_copies_details(qtbot):
    from PySide6.QtWidgets import QApplication, QPushButton

    dialog = ErrorDialog("Something broke.", "Traceback: details")
    qtbot.addWidget(dialog)
    copy = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Copy details")
    copy.click()
    assert QApplication.clipboard().text() == "Traceback: details"


def test_unexpected_errors_are_logged_and_shown_in_one_dialog(qtbot, monkeypatch):
    from synthdesk.gui import error_dialog

    shown = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: shown.append(self.details))
    hooks = error_dialog._Hooks()
    try:
        raise RuntimeError("kaboom")
    except RuntimeError as exc:
        hooks.handle(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(lambda: bool(shown), timeout=2_000)
    assert "RuntimeError: kaboom" in shown[0]
    log = (error_dialog.log_folder() / "synthdesk.log").read_text()
    assert "RuntimeError: kaboom" in log


def test_consistent_fakes_is_a_treatment_and_counts_as_replaced(qtbot):
    model = ColumnSpecModel()
    model.set_specs([ColumnSpec("name", Kind.CATEGORY, sensitive=True, action=Action.CONSISTENT)])
    assert model.data(model.index(0, TREATMENT)) == "Keep consistent fakes"
    model.setData(model.index(0, TREATMENT), "synthesize")
    assert model.specs[0].action is Action.SYNTHESIZE
