"""Open, Train and Save on real tables: formats, kinds in headers, Back while training,
the synthetic rows before saving, asking before overwriting, and what comes after."""

import datetime as dt

import pandas as pd
import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from synthdesk.gui.pages.import_page import FILE_FILTER
from synthdesk.io.readers import CSV_SUFFIXES, EXCEL_SUFFIXES
from tests.gui.conftest import load

pytestmark = pytest.mark.gui


def _answer(button: QMessageBox.StandardButton, seen: list) -> None:
    """Press ``button`` in the next question box that opens."""

    def press():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, press)


def _fast(wizard):
    gen = wizard.generator_page
    gen.generator.setCurrentIndex(gen.generator.findData("gaussian_copula"))


def test_the_open_dialog_lists_every_format_the_reader_takes():
    for suffix in (*CSV_SUFFIXES, *EXCEL_SUFFIXES):
        assert f"*{suffix}" in FILE_FILTER.split(";;")[0], suffix
    for suffix in (".xls", ".ods", ".xlsb", ".tab", ".dat"):
        assert f"*{suffix}" in FILE_FILTER


def test_the_preview_shows_kinds_in_headers_sized_to_content_and_local_dates(
        qtbot, window, tmp_path):
    path = tmp_path / "visits.csv"
    pd.DataFrame({"visit_date": ["2016-12-25", "2017-01-03", "2017-02-14"],
                  "a_rather_long_column_name_for_a_count": [1, 2, 3],
                  "city": ["Lyon", "Porto", "Graz"]}).to_csv(path, index=False)
    load(qtbot, window.wizard, path)
    page = window.wizard.import_page
    header = page.model.headerData(0, Qt.Orientation.Horizontal)
    assert header.startswith("visit_date\n") and "Date" in header
    assert "Whole number" in page.model.headerData(1, Qt.Orientation.Horizontal)
    shown = page.model.index(0, 0).data()
    assert shown == QLocale().toString(dt.date(2016, 12, 25), QLocale.FormatType.ShortFormat)
    assert "T00" not in shown
    metrics = page.preview.horizontalHeader().fontMetrics()
    assert page.preview.columnWidth(1) >= metrics.horizontalAdvance(
        "a_rather_long_column_name_for_a_count")
    assert page.preview.columnWidth(2) < page.preview.columnWidth(1)


def test_back_while_training_asks_and_a_finished_training_is_kept(qtbot, window, data_dir):
    wizard = window.wizard
    load(qtbot, wizard, data_dir / "la_riots.csv")
    wizard.next()
    wizard.next()
    _fast(wizard)
    train = wizard.train_page
    wizard.next()
    assert train.runner.running
    seen = []
    _answer(QMessageBox.StandardButton.No, seen)  # keep training
    wizard.back()
    assert seen and wizard.index == 3 and train.runner.running
    with qtbot.waitSignal(train.runner.sig_cancelled, timeout=10_000):
        _answer(QMessageBox.StandardButton.Yes, seen)  # stop it
        wizard.back()
    assert len(seen) == 2 and "stops it" in seen[1] and wizard.index == 2

    with qtbot.waitSignal(train.runner.sig_done, timeout=120_000):
        wizard.next()
    result = wizard.state.result
    assert result is not None
    wizard.back()  # finished: no question
    wizard.back()
    assert wizard.index == 1 and len(seen) == 2
    wizard.next()
    wizard.next()
    assert wizard.index == 3 and not train.runner.running
    assert wizard.state.result is result and wizard.next_button.isEnabled()


def test_save_shows_the_rows_first_asks_before_overwriting_and_offers_what_next(
        qtbot, window, data_dir, tmp_path):
    wizard = window.wizard
    load(qtbot, wizard, data_dir / "la_riots.csv")
    wizard.next()
    wizard.next()
    _fast(wizard)
    with qtbot.waitSignal(wizard.train_page.runner.sig_done, timeout=120_000):
        wizard.next()
    with qtbot.waitSignal(wizard.compare_page.runner.sig_done, timeout=30_000):
        wizard.next()
    export = wizard.export_page
    wizard.next()  # the marks come from what Compare already read: no second pass
    assert not export.marks_runner.running
    synthetic = wizard.state.result.synthetic
    # The same table view as Open, through every synthetic row, before anything is written.
    assert export.preview.model().rowCount() == len(synthetic)
    assert export.preview.model().columnCount() == synthetic.shape[1]
    faked = [s.name for s in wizard.state.specs if s.action.value in ("fake", "consistent")]
    assert faked and all(name in export.marks for name in faked)
    column = list(synthetic.columns).index(faked[0])
    assert "fakes" in export.preview.model().headerData(column, Qt.Orientation.Horizontal)

    export.open_folder.setChecked(False)
    output = tmp_path / "riots_synthetic.csv"
    output.write_text("keep me\n")
    export.path.setText(str(output))
    seen = []
    _answer(QMessageBox.StandardButton.No, seen)
    export.save()
    assert seen and output.name in seen[0] and output.read_text() == "keep me\n"
    assert not export.runner.running

    with qtbot.waitSignal(export.runner.sig_done, timeout=30_000):
        _answer(QMessageBox.StandardButton.Yes, seen)
        export.save()
    assert len(seen) == 2 and output.read_text() != "keep me\n"
    assert export.after.isVisibleTo(export) and export.open_report_button.isEnabled()
    export.start_over_button.click()
    assert wizard.index == 0 and wizard.import_page.empty.isVisibleTo(wizard.import_page)
