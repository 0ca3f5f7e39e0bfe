"""The wizard with a related table: customers and their invoices, end to end."""

import json

import pandas as pd
import pytest

from tests.gui.conftest import load
from tests.related_data import customers_and_invoices, support_tickets, write_pair

pytestmark = pytest.mark.gui


def _add(qtbot, page, path, sheet=None):
    with qtbot.waitSignal(page.related_runner.sig_done, timeout=60_000):
        page.add_related(path, sheet)


def test_related_tables_end_to_end_to_a_folder(qtbot, window, tmp_path):
    parent, child = write_pair(tmp_path, customers=80, orphans=4)
    wizard = window.wizard
    load(qtbot, wizard, parent)
    page = wizard.import_page
    assert page.related_button.isVisible() and not page.related_lines
    _add(qtbot, page, child)
    (related,) = wizard.state.related
    assert related.match.child_key == "customer_id" and related.order == "date"
    _widget, info, remove = page.related_lines[0]
    assert "Related table invoices" in info.text() and remove.isVisible()
    assert "ordered by <b>date</b>" in info.text()
    assert page.orphans_box.isVisible()
    assert "4 rows of invoices point at no row" in page.orphans_label.text()
    assert page.orphans_drop.isChecked() and not wizard.state.keep_orphans  # left out
    assert wizard.next_button.isEnabled()

    wizard.next()  # Columns: the main table's first
    assert wizard.columns_page.table_choice.currentText() == "customers"
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
    assert wizard.state.related[0].source.sheet == "Invoices"
    _add(qtbot, page, book, "Invoices")  # the same sheet again: refused, still one
    assert "already a related table" in page.related_error.text
    assert len(wizard.state.related) == 1
    page.related_lines[0][2].click()  # Remove
    assert wizard.state.related == () and "One table" in page.related_info.text()
    # A sheet that shares no key with the main table: a plain message, still one table.
    with qtbot.waitSignal(page.related_runner.sig_failed, timeout=60_000):
        page.add_related(book, "Unlinked")
    assert "found no column linking" in page.related_error.text
    assert wizard.state.related == () and wizard.next_button.isEnabled()
    with qtbot.waitSignal(page.related_runner.sig_failed, timeout=60_000):
        page.add_related(tmp_path / "nothing.csv")  # a file that is not there
    assert page.related_error.text and wizard.state.related == ()


def test_two_related_tables_columns_of_each_and_hma(qtbot, window, tmp_path):
    from synthdesk.gui.models.column_spec_model import NAME
    from synthdesk.schema.columns import Action

    parents, children = customers_and_invoices(60)
    for name, frame in (("customers", parents), ("invoices", children),
                        ("tickets", support_tickets(parents))):
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    wizard = window.wizard
    load(qtbot, wizard, tmp_path / "customers.csv")
    page = wizard.import_page
    _add(qtbot, page, tmp_path / "invoices.csv")
    _add(qtbot, page, tmp_path / "tickets.csv")
    assert [r.name for r in wizard.state.related] == ["invoices", "tickets"]
    assert len(page.related_lines) == 2 and "3 tables" in page.related_info.text()
    assert "Add another" in page.related_button.text()

    wizard.next()  # Columns: a table switch, the main table first
    columns = wizard.columns_page
    assert columns.table_row.isVisible()
    assert [columns.table_choice.itemText(i) for i in range(3)] == \
        ["customers", "invoices", "tickets"]
    columns.show_table(2)  # tickets: its key is shown as the key it is
    names = [columns.model.spec_at(r).name for r in range(columns.model.rowCount())]
    assert names == ["ticket", "customer_id", "topic", "minutes"]
    key = columns.model.spec_at(names.index("customer_id"))
    assert key.action is Action.FAKE and "key linking the tables" in key.reason
    columns.model.apply_treatment([names.index("minutes")], Action.DROP)
    assert "tickets: 4 columns" in columns.counts.text()
    columns.show_table(0)
    assert columns.model.spec_at(0).name in parents.columns
    columns.show_table(2)  # the choice is kept when coming back
    assert columns.model.spec_at(names.index("minutes")).action is Action.DROP
    assert next(s for s in wizard.state.related[1].specs
                if s.name == "minutes").action is Action.DROP
    columns.reset_button.click()  # back to tickets as detected, then dropped again
    assert columns.model.spec_at(names.index("minutes")).action is Action.SYNTHESIZE
    columns.model.apply_treatment([names.index("minutes")], Action.DROP)
    assert columns.view.model().index(0, NAME).data()

    wizard.next()  # Method: only the generators that learn related tables
    method = wizard.generator_page
    shown = [n for n, r in method.radios.items() if r.isVisible()]
    assert shown == ["auto", "cart", "hma"]
    assert [method.generator.itemData(i) for i in range(method.generator.count())] == \
        ["auto", "cart", "hma"]
    assert not method.rare.augment.isVisible()
    method.radios["hma"].click()
    assert method.plan().generator == "hma"
    train = wizard.train_page
    with qtbot.waitSignal(train.runner.sig_done, timeout=240_000):
        wizard.next()
    result = wizard.state.result
    assert result.generator == "hma" and "HMA" in train.reason.text()
    assert [t.name for t in result.tables] == ["customers", "invoices", "tickets"]
    tickets = result.table("tickets").data
    assert "minutes" not in tickets.columns  # the child column's treatment reached the job
    assert tickets["customer_id"].isin(result.table("customers").data["customer_id"]).all()
    assert "tickets" in train.summary.text()

    wizard.back()
    wizard.back()  # Columns again: back to one table, the switch goes
    wizard.go_to(0)
    page.remove_related(0)
    page.remove_related(0)
    wizard.next()
    assert not columns.table_row.isVisible()
    wizard.next()
    assert [n for n, r in method.radios.items() if r.isVisible()] == \
        ["auto", "gaussian_copula", "cart", "tvae"]


def test_a_saved_project_reopens_its_related_tables(qtbot, window, settings, tmp_path):
    from synthdesk.gui.app import MainWindow
    from synthdesk.schema.columns import Action
    from tests.related_data import two_sheet_workbook

    parents, children = customers_and_invoices(40, orphans=3)
    book = two_sheet_workbook(tmp_path / "book.xlsx", parents, children)
    tickets = tmp_path / "tickets.csv"
    support_tickets(parents).to_csv(tickets, index=False)
    wizard = window.wizard
    load(qtbot, wizard, book, "Customers")
    page = wizard.import_page
    _add(qtbot, page, book, "Invoices")
    _add(qtbot, page, tickets)
    page.orphans_keep.click()
    assert wizard.state.keep_orphans
    wizard.next()  # Columns: leave out the tickets' minutes
    columns = wizard.columns_page
    columns.show_table(2)
    names = [columns.model.spec_at(r).name for r in range(columns.model.rowCount())]
    columns.model.apply_treatment([names.index("minutes")], Action.DROP)
    project = tmp_path / "job.synthdesk"
    window.save_project(project)
    saved = json.loads(project.read_text())
    assert [(c["sheet"], c["key"], c["order"]) for c in saved["children"]] == \
        [("Invoices", "customer_id", "date"), (None, "customer_id", "")]
    assert saved["keep_orphans"] is True
    assert parents["name"][0] not in project.read_text()  # choices, never data

    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    w2 = again.wizard
    p2 = w2.import_page
    with qtbot.waitSignal(p2.runner.sig_done, timeout=30_000):
        again.open_project(project)
    for _ in range(2):  # the related tables, read one after the other
        assert not w2.next_button.isEnabled()  # until every table is read
        with qtbot.waitSignal(p2.related_runner.sig_done, timeout=60_000):
            pass
    assert [r.name for r in w2.state.related] == ["book.Invoices", "tickets"]
    invoices, tickets_choice = w2.state.related
    assert invoices.source.input == book and invoices.source.sheet == "Invoices"
    assert invoices.match.child_key == "customer_id" and invoices.order == "date"
    assert tickets_choice.order is None  # none, as saved
    assert next(s for s in tickets_choice.specs if s.name == "minutes").action is Action.DROP
    assert next(s for s in tickets_choice.detected
                if s.name == "minutes").action is Action.SYNTHESIZE  # Reset still works
    assert w2.state.keep_orphans and p2.orphans_keep.isChecked()
    assert len(p2.related_lines) == 2 and w2.next_button.isEnabled()
    w2.next()
    assert w2.columns_page.table_row.isVisible()


def test_a_project_whose_related_table_is_gone_says_so(qtbot, window, settings, tmp_path):
    from synthdesk.core.project import Project, save_project
    from synthdesk.core.related import ChildSource
    from synthdesk.gui.app import MainWindow

    parent, child = write_pair(tmp_path, customers=30)
    project = tmp_path / "job.synthdesk"
    save_project(Project(input=parent, children=(ChildSource(tmp_path / "gone.csv"),
                                                 ChildSource(child))), project)
    again = MainWindow(settings)
    qtbot.addWidget(again)
    page = again.wizard.import_page
    with qtbot.waitSignal(page.runner.sig_done, timeout=30_000):
        again.open_project(project)
    with qtbot.waitSignal(page.related_runner.sig_failed, timeout=60_000):
        pass
    with qtbot.waitSignal(page.related_runner.sig_done, timeout=60_000):
        pass
    assert [r.name for r in again.wizard.state.related] == ["invoices"]
    assert "gone.csv" in page.related_error.text
