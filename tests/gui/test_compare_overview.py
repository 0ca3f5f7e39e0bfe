"""The Compare page on a wide real table: every column at once, search, pairs, next step."""

import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from synthdesk.evaluation.overview import (
    column_view,
    compact_number,
    needs_log_scale,
    next_step,
    ranked_pairs,
)
from synthdesk.gui.resources import resource_path
from synthdesk.schema.columns import Action, ColumnSpec, Kind
from tests.gui.conftest import load

pytestmark = pytest.mark.gui

WIDE = resource_path("sample", "loanapp.csv")


def test_skewed_numbers_get_a_log_scale_and_other_gets_its_own_bar():
    rng = np.random.default_rng(1)
    income = pd.Series(np.exp(rng.normal(10, 1.6, 2000)).round())
    assert needs_log_scale(income.to_numpy()) and not needs_log_scale(rng.normal(50, 5, 2000))
    view = column_view(income, income.sample(frac=1, random_state=2),
                       ColumnSpec("income", Kind.DECIMAL), 0.9)
    assert view.log_scale and view.distribution.edges[0] > 0
    assert np.isclose(view.distribution.real.sum(), 1)

    real = pd.Series(rng.choice(list("abcdefghijkl"), 500))
    synthetic = real.copy()
    synthetic[:265] = "(other)"  # 53% of the exported values hide rare real ones
    view = column_view(real, synthetic, ColumnSpec("code", Kind.CATEGORY), 0.5)
    assert view.other_real == 0 and view.other_synthetic == pytest.approx(0.53)
    labels = view.distribution.labels
    at = labels.index("(other)")
    assert view.distribution.synthetic[at] == pytest.approx(0.53)
    assert view.distribution.real[at] == 0  # no longer one bar with the rest
    assert compact_number(1_250_000) == "1.2M" and compact_number(3400) == "3.4k"


def test_pairs_are_ranked_by_name_and_the_next_step_is_concrete():
    names = ["a", "b", "c"]
    real = np.array([[1, 0.9, 0.1], [0.9, 1, 0.0], [0.1, 0.0, 1]])
    synth = np.array([[1, 0.2, 0.1], [0.2, 1, 0.05], [0.1, 0.05, 1]])
    pairs = ranked_pairs(names, real, synth)
    assert (pairs[0].first, pairs[0].second) == ("a", "b") and len(pairs) == 3
    rng = np.random.default_rng(0)
    col = pd.Series(rng.normal(size=100))
    views = [column_view(col, col, ColumnSpec("amount", Kind.DECIMAL), 0.4)]
    specs = [ColumnSpec("amount", Kind.DECIMAL), ColumnSpec("ref", Kind.IDENTIFIER)]
    text = next_step(views, specs, "gaussian_copula", {"cart": "Best quality (trees)"})
    assert "Mark ref as sensitive" in text and "“Best quality (trees)”" in text
    assert "amount (40%)" in text


def test_the_overview_shows_all_55_plus_columns_of_a_wide_table(qtbot, window, tmp_path):
    wizard = window.wizard
    wide = tmp_path / "loans.csv"
    pd.read_csv(WIDE).head(400).to_csv(wide, index=False)  # every column, fewer rows
    load(qtbot, wizard, wide)
    wizard.next()
    wizard.next()
    wizard.generator_page.generator.setCurrentIndex(
        wizard.generator_page.generator.findData("gaussian_copula"))
    with qtbot.waitSignal(wizard.train_page.runner.sig_done, timeout=240_000):
        wizard.next()
    compare = wizard.compare_page
    with qtbot.waitSignal(compare.runner.sig_done, timeout=60_000):
        wizard.next()
    learned = [s.name for s in wizard.state.specs if s.action is not Action.DROP]
    assert len(learned) >= 55
    shown = compare.overview.shown_names()
    assert sorted(shown) == sorted(learned)
    scores = [compare.views[n].score for n in shown if not compare.views[n].replaced
              and compare.views[n].score is not None]
    assert scores == sorted(scores)  # worst first
    assert compare.tabs.currentWidget() is compare.overview
    assert "Next step:" in compare.next_step.text()

    compare.search.setText("mort")
    assert compare.overview.shown_names() and all(
        "mort" in n for n in compare.overview.shown_names())
    hidden = [compare.columns.isRowHidden(r) for r in range(compare.columns.rowCount())]
    assert sum(not h for h in hidden) == len(compare.overview.shown_names())
    first = compare.overview.proxy.index(0, 0)
    compare.overview.clicked.emit(first)
    assert compare.tabs.currentWidget() is compare.plot
    assert compare.plot.distribution.name == first.data()

    # Pair trends over every number column, by name, beyond the old first twelve.
    assert len(compare.pairs.names) > 12 and compare.pairs.least.rowCount() == 15
    assert " × " in compare.pairs.least.item(0, 0).text()

    # A palette change redraws the plots in the new colours.
    before = compare.plot.repaints, compare.pairs.repaints
    app = QApplication.instance()
    old = app.palette()
    dark = QPalette(old)
    dark.setColor(QPalette.ColorRole.Base, "#202124")
    dark.setColor(QPalette.ColorRole.Text, "#e8eaed")
    app.setPalette(dark)
    try:
        qtbot.waitUntil(lambda: compare.plot.repaints > before[0], timeout=2000)
        assert compare.pairs.repaints > before[1]
        assert compare.plot.backgroundBrush().color().name() == "#202124"
    finally:
        app.setPalette(old)
