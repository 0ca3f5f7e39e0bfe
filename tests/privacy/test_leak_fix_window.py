"""In the window, a leak check that fires is one click away from being fixed."""

import pytest

from synthdesk.errors import PrivacyCheckFailed
from synthdesk.privacy.leaks import Leak, leak_message
from synthdesk.schema.columns import Action
from synthdesk.schema.overrides import ColumnOverrides, apply_overrides
from tests.gui.conftest import load, settings, window  # noqa: F401 - fixtures

pytestmark = pytest.mark.gui


def test_the_error_offers_to_mark_the_column_not_sensitive_and_go_back(qtbot, window, data_dir):  # noqa: F811
    wizard = window.wizard
    load(qtbot, wizard, data_dir / "la_riots.csv")
    wizard.next()  # Columns
    # A whole-number column marked sensitive by mistake, as the leak check reports it.
    state = wizard.state
    state.specs = apply_overrides(state.specs, ColumnOverrides(sensitive=("age",)))
    message = leak_message([Leak(column="latitude", source="age", cells=2)], state.specs)
    train = wizard.train_page
    train.runner.sig_failed.emit(PrivacyCheckFailed(message))
    assert "'age'" in train.error.label.text()
    assert not train.fix_button.isHidden()
    assert train.fix_button.text() == "Mark age not sensitive and go back to Columns"
    train.fix_button.click()
    specs = {s.name: s for s in state.specs}
    assert not specs["age"].sensitive and specs["age"].action is Action.SYNTHESIZE
    assert wizard.index == 1
    shown = {s.name: s for s in wizard.columns_page.model.specs}
    assert shown["age"].action is Action.SYNTHESIZE
    assert train.fix_button.isHidden()


def test_other_errors_offer_no_fix(qtbot, window, data_dir):  # noqa: F811
    from synthdesk.errors import TrainingFailed

    wizard = window.wizard
    load(qtbot, wizard, data_dir / "la_riots.csv")
    train = wizard.train_page
    train.runner.sig_failed.emit(TrainingFailed("'age' (could not be learned"))
    assert train.fix_button.isHidden()


def test_columns_page_names_the_columns_the_last_run_could_not_learn(qtbot, window, data_dir):  # noqa: F811
    from synthdesk.privacy import Protection
    from synthdesk.privacy.protection import hidden_columns_note

    wizard = window.wizard
    load(qtbot, wizard, data_dir / "la_riots.csv")
    report = Protection(replaced_columns={"address": "why"},
                        other_shares={"address": 0.9, "neighborhood": 0.35})
    assert hidden_columns_note(report) == (
        "Last run: Replaced with made-up values because most of their values are each held by "
        "too few people to learn: address. Learned with many values as '(other)': "
        "neighborhood (35%).")

    class Finished:  # what the page reads of a finished run
        protection = report

    wizard.state.result = Finished()
    wizard.next()  # Columns
    page = wizard.columns_page
    assert not page.hidden_note.isHidden()
    assert "neighborhood (35%)" in page.hidden_note.text()
    wizard.state.result = None
    wizard.back()
    wizard.next()
    assert page.hidden_note.isHidden()


def test_with_related_tables_the_fix_changes_the_table_that_leaked(qtbot, window, tmp_path):  # noqa: F811
    from synthdesk.core.related import table_leak_message
    from tests.related_data import write_pair

    parent, child = write_pair(tmp_path, customers=30)
    wizard = window.wizard
    load(qtbot, wizard, parent)
    page = wizard.import_page
    with qtbot.waitSignal(page.related_runner.sig_done, timeout=60_000):
        page.add_related(child)
    wizard.next()  # Columns
    state = wizard.state
    # 'age' of the customers and 'amount' of the invoices marked sensitive by mistake; the
    # invoices' leak check names 'amount'.
    state.specs = apply_overrides(state.specs, ColumnOverrides(sensitive=("age",)))
    (invoices,) = state.related
    specs = apply_overrides(invoices.specs, ColumnOverrides(sensitive=("amount",)))
    state.related = (invoices.with_specs(specs),)
    message = table_leak_message("invoices", [Leak(column="amount", source="amount", cells=2)],
                                 specs)
    train = wizard.train_page
    train.runner.sig_failed.emit(PrivacyCheckFailed(message))
    assert train.fix_button.text() == \
        "Mark amount of invoices not sensitive and go back to Columns"
    train.fix_button.click()
    amount = next(s for s in state.related[0].specs if s.name == "amount")
    assert not amount.sensitive and amount.action is Action.SYNTHESIZE
    age = next(s for s in state.specs if s.name == "age")
    assert age.sensitive and age.action is not Action.SYNTHESIZE  # the main table unchanged
    assert wizard.index == 1
    columns = wizard.columns_page
    assert columns.table_choice.currentText() == "invoices"  # the table that leaked
    shown = {s.name: s for s in columns.model.specs}
    assert shown["amount"].action is Action.SYNTHESIZE
    # The main table's leak check names its own columns there.
    message = table_leak_message("customers", [Leak(column="age", source="age", cells=1)],
                                 state.specs)
    train.runner.sig_failed.emit(PrivacyCheckFailed(message))
    assert train.fix_button.text() == "Mark age of customers not sensitive and go back to Columns"
    train.fix_button.click()
    assert not next(s for s in state.specs if s.name == "age").sensitive
    assert columns.table_choice.currentText() == "customers"
