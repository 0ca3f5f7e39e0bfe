"""The whole wizard, driven the way an analyst would, on small real tables."""

import json

import pandas as pd
import pytest
from PySide6.QtCore import Qt

from synthdesk.core.job import TrainingPlan
from synthdesk.gui.models.column_spec_model import KIND, SENSITIVE, TREATMENT
from synthdesk.schema.columns import Action, Kind
from tests.gui.conftest import load

pytestmark = pytest.mark.gui


def _row(model, name):
    return next(i for i, s in enumerate(model.specs) if s.name == name)


def test_end_to_end_with_the_fast_generator_writes_the_synthetic_file(qtbot, window, tmp_path, data_dir):
    wizard = window.wizard
    assert wizard.index == 0 and not wizard.next_button.isEnabled()
    load(qtbot, wizard, data_dir / "la_riots.csv")
    page = wizard.import_page
    assert "la_riots.csv" in page.summary.text() and "comma" in page.summary.text()
    assert page.model.rowCount() == len(pd.read_csv(data_dir / "la_riots.csv"))
    assert wizard.next_button.isEnabled()

    wizard.next()  # Columns
    columns = wizard.columns_page
    specs = {s.name: s for s in columns.model.specs}
    assert specs["first_name"].sensitive and specs["first_name"].action is Action.FAKE
    # Leave out "address" by selecting it and applying a treatment to the selection.
    columns.filter.setText("addr")
    assert columns.proxy.rowCount() == 1
    columns.view.selectRow(0)
    columns.bulk_choice.setCurrentIndex(columns.bulk_choice.findData("drop"))
    columns.apply_button.click()
    columns.filter.clear()

    wizard.next()  # Generator
    gen = wizard.generator_page
    assert gen.radios["auto"].isChecked()  # Choose for me is the default
    assert "63 rows" in gen.estimates["auto"].text()  # says why it picks the copula here
    assert "rows" in gen.estimates["tvae"].text()
    gen.radios["gaussian_copula"].setChecked(True)
    gen.seed.setValue(7)
    targets = [gen.target.itemData(i) for i in range(gen.target.count())]
    assert "gender" in targets and "first_name" not in targets and "address" not in targets
    gen.target.setCurrentIndex(gen.target.findData("gender"))
    gen.holdout.setValue(30)  # a small table: set real rows aside by hand

    train = wizard.train_page
    with qtbot.waitSignal(train.runner.sig_done, timeout=120_000):
        wizard.next()  # Train starts at once
        assert wizard.index == 3 and not wizard.next_button.isEnabled()
    assert wizard.next_button.isEnabled() and "synthetic rows are ready" in train.summary.text()
    assert not train.plot.isVisible()  # no loss curve for the copula

    compare = wizard.compare_page
    with qtbot.waitSignal(compare.runner.sig_done, timeout=30_000):
        wizard.next()
    assert "Overall quality" in compare.overall.text()
    assert compare.faithful.answer in ("high", "medium", "low")
    assert compare.safe.answer in ("yes", "review") and compare.safe.why.text()
    assert "Predicting gender" in compare.details.text()
    shown = {compare.scores.item(r, 0).text(): compare.scores.item(r, 1).text()
             for r in range(compare.scores.rowCount())}
    assert shown["DCR share"] != "n/a" and shown["Sensitive values leaked"] == "0"
    names = [compare.columns.item(r, 0).text() for r in range(compare.columns.rowCount())]
    assert "address" not in names and "first_name" in names
    scores = [compare.columns.item(r, 1).score for r in range(compare.columns.rowCount())]
    assert scores == sorted(scores)  # worst first
    row = names.index("first_name")
    compare.columns.selectRow(row)
    assert compare.plot.distribution.real is None  # replaced: synthetic side only
    compare.tabs.setCurrentIndex(1)
    assert "age" in compare.pairs.names

    wizard.next()  # Export
    export = wizard.export_page
    assert not wizard.next_button.isVisible()
    export.open_folder.setChecked(False)
    export.xlsx.setChecked(True)
    export.path.setText(str(tmp_path / "synthetic.csv"))
    export._on_format_changed()
    assert export.path.text().endswith("synthetic.xlsx")
    with qtbot.waitSignal(export.runner.sig_done, timeout=30_000):
        export.save_button.click()
    out = pd.read_excel(tmp_path / "synthetic.xlsx")
    real = pd.read_csv(data_dir / "la_riots.csv")
    assert list(out.columns) == [c for c in real.columns if c != "address"]
    assert len(out) == len(real)
    assert not set(out["first_name"]) & set(real["first_name"])
    report = json.loads((tmp_path / "synthetic_report.json").read_text())
    assert report["seed"] == 7 and report["generator"] == "gaussian_copula"
    assert report["utility"]["target"] == "gender"
    assert report["verdict"]["safe"] == compare.safe.answer
    page = (tmp_path / "synthetic_report.html").read_text(encoding="utf-8")
    assert "Faithful:" in page and "<script src=" not in page
    assert not [name for name in set(real["first_name"].dropna()) if f">{name}<" in page]
    assert "Saved synthetic.xlsx" in export.status.text()

    # The same result again as a CSV for Excel in Europe: ";" and decimal commas.
    export.csv.setChecked(True)
    export.csv_style.setCurrentIndex(2)
    export.with_report.setChecked(False)
    export.with_json.setChecked(False)
    with qtbot.waitSignal(export.runner.sig_done, timeout=30_000):
        export.save_button.click()
    raw = (tmp_path / "synthetic.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]
    again = pd.read_csv(tmp_path / "synthetic.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert list(again.columns) == list(out.columns) and again["age"].dtype.kind in "if"


def test_a_bad_file_keeps_the_user_on_import_with_an_inline_error(qtbot, window, data_dir, tmp_path):
    wizard = window.wizard
    page = wizard.import_page
    with qtbot.waitSignal(page.runner.sig_failed, timeout=10_000):
        page.open_path(data_dir / "empty.csv")
    assert wizard.index == 0
    assert "empty" in page.error.text
    assert not wizard.next_button.isEnabled()
    wizard.next()
    assert wizard.index == 0
    # A good file afterwards clears the error and enables Next.
    load(qtbot, wizard, data_dir / "penguins_80.csv")
    assert page.error.text == "" and wizard.next_button.isEnabled()
    # Recent files remember it (and step aside while a table is shown).
    assert page.recent.count() == 1 and "penguins_80.csv" in page.recent.item(0).text()
    assert page.recent.isHidden()


def test_excel_sheets_can_be_chosen(qtbot, window, data_dir):
    wizard = window.wizard
    load(qtbot, wizard, data_dir / "two_sheets.xlsx")
    page = wizard.import_page
    assert page.sheet_combo.isVisibleTo(page) and page.sheet_combo.count() == 2
    other = [page.sheet_combo.itemText(i) for i in range(2) if i != page.sheet_combo.currentIndex()][0]
    with qtbot.waitSignal(page.runner.sig_done, timeout=30_000):
        page.sheet_combo.setCurrentText(other)
        page._on_sheet_chosen(page.sheet_combo.currentIndex())
    assert wizard.state.sheet == other and f"“{other}”" in page.summary.text()


def test_reader_settings_can_be_changed_and_read_again(qtbot, window, data_dir):
    wizard = window.wizard
    load(qtbot, wizard, data_dir / "latin1_semicolon.csv")
    page = wizard.import_page
    assert "semicolon" in page.summary.text() and page.options_box.isVisibleTo(page)
    rows = len(wizard.state.table.data)
    page.header_spin.setValue(0)  # the table has no header row
    with qtbot.waitSignal(page.runner.sig_done, timeout=30_000):
        page.reread_button.click()
    assert len(wizard.state.table.data) == rows + 1
    assert "Ville" in set(wizard.state.table.data.iloc[:, 0].astype(str))
    page.delimiter_combo.setCurrentIndex(page.delimiter_combo.findData(","))
    page.header_spin.setValue(-1)
    with qtbot.waitSignal(page.runner.sig_done, timeout=30_000):
        page.reread_button.click()
    assert wizard.state.table.data.shape[1] == 1


def test_back_and_next_keep_every_choice(qtbot, window, penguins):
    wizard = window.wizard
    load(qtbot, wizard, penguins)
    wizard.next()
    model = wizard.columns_page.model
    sex = _row(model, "Sex")
    model.setData(model.index(sex, TREATMENT), "drop")
    comments = _row(model, "Comments")
    model.setData(model.index(comments, KIND), "category")
    island = _row(model, "Island")
    model.setData(model.index(island, SENSITIVE), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    wizard.next()
    gen = wizard.generator_page
    gen.radios["tvae"].setChecked(True)
    gen.advanced_toggle.setChecked(True)
    gen.epochs.setValue(12)
    gen.seed.setValue(99)
    gen.rows.setValue(500)

    wizard.back()
    wizard.back()
    assert wizard.index == 0 and wizard.state.table is not None
    wizard.next()
    specs = {s.name: s for s in wizard.columns_page.model.specs}
    assert specs["Sex"].action is Action.DROP
    assert specs["Comments"].kind is Kind.CATEGORY
    assert specs["Island"].sensitive and specs["Island"].action is Action.FAKE
    wizard.next()
    assert gen.radios["tvae"].isChecked() and gen.plan() == TrainingPlan("tvae", 500, 99, 12)
    assert wizard.state.plan == gen.plan()


def test_leaving_out_every_column_disables_next_with_a_reason(qtbot, window, penguins):
    wizard = window.wizard
    load(qtbot, wizard, penguins)
    wizard.next()
    page = wizard.columns_page
    page.view.selectAll()
    page.bulk_choice.setCurrentIndex(page.bulk_choice.findData("drop"))
    page.apply_button.click()
    assert "Every column is left out" in page.error.text
    assert not wizard.next_button.isEnabled()
    page.model.setData(page.model.index(0, TREATMENT), "synthesize")
    assert page.error.text == "" and wizard.next_button.isEnabled()


def test_a_kind_that_does_not_fit_the_values_is_refused_inline(qtbot, window, penguins):
    wizard = window.wizard
    load(qtbot, wizard, penguins)
    wizard.next()
    page = wizard.columns_page
    model = page.model
    species = _row(model, "Island")
    assert not model.setData(model.index(species, KIND), "decimal")
    assert model.specs[species].kind is Kind.CATEGORY
    assert "Island" in page.error.text and "keeps its kind" in page.error.text
    mass = _row(model, "Body Mass (g)")
    assert model.setData(model.index(mass, KIND), "decimal")
    assert model.specs[mass].kind is Kind.DECIMAL


def test_save_and_reopen_a_project(qtbot, window, settings, penguins, tmp_path):
    wizard = window.wizard
    load(qtbot, wizard, penguins)
    wizard.next()
    model = wizard.columns_page.model
    model.setData(model.index(_row(model, "Sex"), TREATMENT), "drop")
    wizard.next()
    wizard.generator_page.generator.setCurrentIndex(wizard.generator_page.generator.findData("copulagan"))
    wizard.generator_page.seed.setValue(5)
    wizard.import_page.serials_check.setChecked(False)  # day numbers stay numbers
    project = tmp_path / "job.synthdesk"
    window.save_project(project)
    saved = json.loads(project.read_text())
    assert saved["plan"]["generator"] == "copulagan" and saved["plan"]["seed"] == 5
    assert saved["reader"]["date_serials"] is False
    assert "Adelie" not in project.read_text()  # choices, never data

    from synthdesk.gui.app import MainWindow

    again = MainWindow(settings)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.wizard.import_page.runner.sig_done, timeout=30_000):
        again.open_project(project)
    w2 = again.wizard
    assert w2.state.path == penguins
    assert w2.import_page.header_spin.value() == -1  # detected, as saved
    assert not w2.import_page.serials_check.isChecked()
    w2.next()
    assert {s.name: s for s in w2.columns_page.model.specs}["Sex"].action is Action.DROP
    w2.next()
    gen = w2.generator_page
    assert gen.generator.currentData() == "copulagan" and gen.seed.value() == 5
    assert not any(r.isChecked() for r in gen.radios.values())
    assert gen.rows.value() == 80


def test_a_failing_generator_shows_a_plain_message_and_keeps_choices(qtbot, window, penguins):
    wizard = window.wizard
    load(qtbot, wizard, penguins)
    wizard.next()
    wizard.next()
    wizard.generator_page.seed.setValue(3)
    wizard.generator_page.on_leave()
    wizard.generator_page.on_leave = lambda: None  # keep the fake generator set below
    wizard.state.plan = TrainingPlan("tests.fakes:RefusingSynthesizer", seed=3)
    train = wizard.train_page
    with qtbot.waitSignal(train.runner.sig_failed, timeout=120_000):
        wizard.next()
    assert train.error.text and "Traceback" not in train.error.text
    assert "choices are kept" in train.error.text
    assert not wizard.next_button.isEnabled() and wizard.back_button.isEnabled()
    assert train.again_button.isEnabled()
    wizard.back()
    assert wizard.generator_page.seed.value() == 3


@pytest.mark.slow
def test_cancel_during_a_ctgan_fit_returns_control_quickly(qtbot, window, penguins):
    import multiprocessing
    import time

    wizard = window.wizard
    load(qtbot, wizard, penguins)
    wizard.next()
    wizard.next()
    gen = wizard.generator_page
    gen.advanced_toggle.setChecked(True)
    gen.generator.setCurrentIndex(gen.generator.findData("ctgan"))
    assert not any(r.isChecked() for r in gen.radios.values())
    gen.epochs.setValue(5000)
    train = wizard.train_page
    epochs = []
    train.runner.sig_progress.connect(lambda f, m: m.startswith("Epoch") and epochs.append(m))
    wizard.next()
    assert not train.plot.isHidden()
    qtbot.waitUntil(lambda: len(epochs) >= 2, timeout=120_000)
    qtbot.waitUntil(lambda: len(train.curves) > 0 and train.curves[0].getData()[0] is not None,
                    timeout=10_000)
    started = time.monotonic()
    with qtbot.waitSignal(train.runner.sig_cancelled, timeout=2_000):
        train.cancel_button.click()
    assert time.monotonic() - started < 2
    # The training process itself is gone within two seconds too.
    qtbot.waitUntil(lambda: not [p for p in multiprocessing.active_children()
                                 if p.name == "synthdesk-training"], timeout=2_500)
    assert "Cancelled" in train.status.text() and train.again_button.isEnabled()
    assert not wizard.next_button.isEnabled()
    # Change settings and start again: the fast generator finishes.
    wizard.back()
    gen.radios["gaussian_copula"].setChecked(True)
    with qtbot.waitSignal(train.runner.sig_done, timeout=120_000):
        wizard.next()
    assert wizard.next_button.isEnabled()


def test_a_kind_change_on_a_long_column_is_checked_in_the_background(qtbot, window, tmp_path):
    from synthdesk.gui.models.column_spec_model import CHECK_NOW_ROWS

    rows = CHECK_NOW_ROWS + 20_000
    days = pd.date_range("2020-01-01", periods=1000).strftime("%d/%m/%Y")
    frame = pd.DataFrame({"when": [days[i % 1000] for i in range(rows)],
                          "amount": [float(i % 977) / 4 for i in range(rows)]})
    path = tmp_path / "long.csv"
    frame.to_csv(path, index=False)
    wizard = window.wizard
    load(qtbot, wizard, path)
    wizard.next()
    page = wizard.columns_page
    model = page.model
    when = _row(model, "when")
    assert model.specs[when].kind is Kind.DATE

    with qtbot.waitSignal(page.kind_runner.sig_done, timeout=30_000):
        assert model.setData(model.index(when, KIND), "category")
        assert model.specs[when].kind is Kind.DATE  # not yet: checked off the GUI thread
        assert not wizard.next_button.isEnabled()
    assert model.specs[when].kind is Kind.CATEGORY and wizard.next_button.isEnabled()
    assert wizard.state.specs[when].kind is Kind.CATEGORY

    with qtbot.waitSignal(page.kind_runner.sig_failed, timeout=30_000):
        model.setData(model.index(when, KIND), "decimal")
    assert model.specs[when].kind is Kind.CATEGORY
    assert "not numbers" in page.error.text and wizard.next_button.isEnabled()
