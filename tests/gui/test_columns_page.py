"""The Columns page on real tables: sensitive first, sorting, filters, reset, editing, Tab."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from synthdesk.gui.models.column_spec_model import (
    KIND,
    MISSING,
    NAME,
    SENSITIVE,
    TREATMENT,
    missing_text,
)
from synthdesk.gui.resources import resource_path
from synthdesk.schema.columns import Action, Kind
from tests.gui.conftest import load

pytestmark = pytest.mark.gui


def _names(page):
    return [page.proxy.index(r, NAME).data() for r in range(page.proxy.rowCount())]


def _open_columns(qtbot, window, path):
    load(qtbot, window.wizard, path)
    window.wizard.next()
    return window.wizard.columns_page


def test_sensitive_columns_come_first_tinted_and_with_an_icon(qtbot, window, data_dir):
    page = _open_columns(qtbot, window, data_dir / "la_riots.csv")
    specs = page.model.specs
    sensitive = [s.name for s in specs if s.sensitive]
    assert sensitive and len(sensitive) < len(specs)
    shown = _names(page)
    assert shown[: len(sensitive)] == sensitive  # first, in table order
    first = page.proxy.index(0, NAME)
    assert isinstance(first.data(Qt.ItemDataRole.BackgroundRole), QColor)
    assert not first.data(Qt.ItemDataRole.DecorationRole).isNull()
    last = page.proxy.index(page.proxy.rowCount() - 1, NAME)
    assert last.data(Qt.ItemDataRole.BackgroundRole) is None
    assert last.data(Qt.ItemDataRole.ToolTipRole) == shown[-1]  # the full name


def test_sorting_by_any_column_and_filters(qtbot, window, data_dir):
    page = _open_columns(qtbot, window, data_dir / "la_riots.csv")
    page.view.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
    assert _names(page) == sorted(_names(page), key=str.lower)
    page.view.sortByColumn(MISSING, Qt.SortOrder.DescendingOrder)
    by_name = {s.name: s for s in page.model.specs}
    shares = [by_name[n].missing for n in _names(page)]
    assert shares == sorted(shares, reverse=True)
    page.view.sortByColumn(KIND, Qt.SortOrder.AscendingOrder)
    kinds = [page.proxy.index(r, KIND).data() for r in range(page.proxy.rowCount())]
    assert kinds == sorted(kinds)

    total = page.proxy.rowCount()
    page.sensitive_only.setChecked(True)
    assert 0 < page.proxy.rowCount() < total
    assert all(by_name[n].sensitive for n in _names(page))
    page.sensitive_only.setChecked(False)
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(str(Kind.DECIMAL)))
    assert page.proxy.rowCount() and all(by_name[n].kind is Kind.DECIMAL for n in _names(page))
    page.kind_filter.setCurrentIndex(0)
    assert page.proxy.rowCount() == total


def test_reset_returns_every_column_to_what_was_detected(qtbot, window, data_dir):
    page = _open_columns(qtbot, window, data_dir / "la_riots.csv")
    detected = page.model.specs
    assert not page.reset_button.isEnabled()
    row = next(i for i, s in enumerate(detected) if not s.sensitive)
    page.model.setData(page.model.index(row, SENSITIVE), Qt.CheckState.Checked.value,
                       Qt.ItemDataRole.CheckStateRole)
    page.model.setData(page.model.index(0, TREATMENT), str(Action.DROP))
    assert page.model.specs != detected and page.reset_button.isEnabled()
    page.reset_button.click()
    assert page.model.specs == detected and window.wizard.state.specs == detected
    assert not page.reset_button.isEnabled()


def test_tab_leaves_the_table_and_a_click_opens_the_choice(qtbot, window, data_dir):
    page = _open_columns(qtbot, window, data_dir / "la_riots.csv")
    assert not page.view.tabKeyNavigation()
    page.view.setFocus()
    page.view.setCurrentIndex(page.proxy.index(0, NAME))
    qtbot.keyClick(page.view, Qt.Key.Key_Tab)
    assert not page.view.hasFocus() and page.view.indexWidget(page.proxy.index(0, KIND)) is None
    index = page.proxy.index(0, TREATMENT)
    page.view.clicked.emit(index)
    assert page.view.state() == page.view.State.EditingState


def test_names_elide_in_the_middle_and_missing_shares_have_one_format(qtbot, window):
    page = _open_columns(qtbot, window, resource_path("sample", "loanapp.csv"))
    assert page.view.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert page.model.rowCount() == 59
    metrics = page.view.fontMetrics()
    widest = max(metrics.horizontalAdvance(s.name) for s in page.model.specs)
    assert page.view.columnWidth(NAME) >= widest  # short names are never cut
    texts = {page.model.index(r, MISSING).data() for r in range(page.model.rowCount())}
    assert all(t.endswith("%") for t in texts)
    assert [missing_text(x) for x in (0, 0.001, 0.25)] == ["0%", "<1%", "25%"]
