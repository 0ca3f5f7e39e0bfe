"""The wizard with a related table: customers and their invoices, end to end."""

import json

import pandas as pd
import pytest

from tests.gui.conftest import load
from tests.related_data import customers_and_invoices, write_pair

pytestmark = pytest.mark.gui


def _add(qtbot, page, path, sheet=None):
    with qtbot.waitSignal(page.related_runner.sig_done, timeout=60_000):
        page.add_related(path, sheet)


def test_related_tables_end_to_end_to_a_folder(qtbot, window, tmp_path):
    parent, child = write_pair(tmp_path, customers=80, orphans=4)
    wizard = window.wizard
    load(qtbot, wizard, parent)
    page = wizard.import_page
    assert page.related_button.isVisible() and not page.related_remove.isVisible()
    _add(qtbot, page, child)
    related = wizard.state.related
    assert related.match.child_key == "customer_id" and related.order == "date"
    assert "Related table invoices" in page.related_info.text()
    assert "ordered by <b>date</b>" in page.related_info.text()
    assert page.orphans_box.isVisible() and "4 rows point at no row" in page.orphans_label.text()
    assert page.orphans_drop.isChecked()  # left out unless the user keeps them
    assert wizard.next_button.isEnabled()

    wizard.next()  # Columns: the main table's
    wizard.next()  # Method
    wizard.generator_page.holdout.setValue(20)
    train = wizard.train_page
    with qtbot.waitSignal(train.runner.sig_done, timeout=180_000):
        wizard.next()
    assert "rows of invoices are ready" in train.summary.text()
    assert "100% of the related rows" in train.summary.text()

    compare = wizard.compare_page
    with qtbot.waitSignal(compare.runner.sig_done, timeout=60_000):
        wizard.next()
    assert compare.table_choice.isVisible()
    assert [compare.table_choice.itemText(i) for i in range(2)] == ["customers", "invoices"]
    labels = [compare.scores.item(r, 0).text() for r in range(compare.scores.rowCount())]
    assert "invoices: rows with a valid parent" in labels
    assert "invoices: gaps between rows, distance" in labels
    names = [compare.columns.item(r, 0).text() for r in range(compare.columns.rowCount())]
    assert "amount" in names
    with qtbot.waitSignal(compare.runner.sig_done, timeout=60_000):
        compare.table_choice.setCurrentIndex(0)
        compare._on_table_chosen(0)
    assert "age" in [compare.columns.item(r, 0).text() for r in range(compare.columns.rowCount())]

    wizard.next()  # Save
    export = wizard.export_page
    export.open_folder.setChecked(False)
    assert "folder" in export.csv.text()
    export.path.setText(str(tmp_path / "synthetic.csv"))
    export._on_format_changed()
    assert export.path.text().endswith("synthetic")
    with qtbot.waitSignal(export.runner.sig_done, timeout=60_000):
        export.save_button.click()
    out = tmp_path / "synthetic"
    customers = pd.read_csv(out / "customers.csv")
    invoices = pd.read_csv(out / "invoices.csv")
    assert invoices["customer_id"].isin(customers["customer_id"]).all()
    assert not set(customers["name"]) & set(pd.read_csv(parent)["name"])
    report = json.loads((tmp_path / "synthetic_report.json").read_text())
    assert report["relations"][0]["orphans"] == 4
    assert "left out" in report["relations"][0]["notice"]


def test_another_sheet_of_the_workbook_and_a_bad_key(qtbot, window, tmp_path):
    parents, children = customers_and_invoices(40)
    book = tmp_path / "book.xlsx"
    with pd.ExcelWriter(book) as writer:
        parents.to_excel(writer, sheet_name="Customers", index=False)
        children.to_excel(writer, sheet_name="Invoices", index=False)
        children[["date", "amount"]].to_excel(writer, sheet_name="Unlinked", index=False)
    wizard = window.wizard
    load(qtbot, wizard, book, "Customers")
    page = wizard.import_page
    sheets = [page.related_sheet.itemText(i) for i in range(page.related_sheet.count())]
    assert sheets[1:] == ["Invoices", "Unlinked"]
    _add(qtbot, page, book, "Invoices")
    assert wizard.state.related.source.sheet == "Invoices"
    assert page.related_remove.isVisible()
    page.remove_related()
    assert wizard.state.related is None and "One table" in page.related_info.text()
    # A sheet that shares no key with the main table: a plain message, still one table.
    with qtbot.waitSignal(page.related_runner.sig_failed, timeout=60_000):
        page.add_related(book, "Unlinked")
    assert "found no column linking" in page.related_error.text
    assert wizard.state.related is None and wizard.next_button.isEnabled()
    with qtbot.waitSignal(page.related_runner.sig_failed, timeout=60_000):
        page.add_related(tmp_path / "nothing.csv")  # a file that is not there
    assert page.related_error.text and wizard.state.related is None
