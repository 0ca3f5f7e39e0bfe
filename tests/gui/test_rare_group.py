"""The wizard's rare-group path: rebalance on the Method page, evidence on Compare, file saved."""

from pathlib import Path

import pandas as pd
import pytest

from tests.gui.conftest import load

LOANS = Path(__file__).resolve().parents[3] / "shared" / "datasets" / \
    "modeldata_lending_club.csv"


def test_make_more_of_a_rare_group_end_to_end(qtbot, window, tmp_path):
    source = tmp_path / "loans.csv"
    pd.read_csv(LOANS).head(1500).to_csv(source, index=False)
    wizard = window.wizard
    load(qtbot, wizard, source)
    wizard.next()  # Columns
    wizard.next()  # Method
    gen = wizard.generator_page
    gen.radios["cart"].setChecked(True)
    rare = gen.rare
    rare.setChecked(True)
    rare.column.setCurrentIndex(rare.column.findData("Class"))
    assert rare.value.itemData(0) == "bad"  # the rarest group is offered first
    rare.value.setCurrentIndex(0)
    rare.share.setValue(40)
    rare.segment.setText("term=")  # not a condition: Next waits, with the reason
    assert not wizard.next_button.isEnabled() and rare.problem.isVisibleTo(gen)
    rare.segment.setText("annual_inc=20000..")
    assert wizard.next_button.isEnabled() and not rare.problem.isVisibleTo(gen)
    gen.holdout.setValue(20)

    train = wizard.train_page
    with qtbot.waitSignal(train.runner.sig_done, timeout=300_000):
        wizard.next()
    result = wizard.state.result
    assert (result.synthetic["Class"] == "bad").mean() == pytest.approx(0.4, abs=0.02)
    assert (result.synthetic["annual_inc"] >= 20000).all()

    compare = wizard.compare_page
    with qtbot.waitSignal(compare.runner.sig_done, timeout=120_000):
        wizard.next()
    assert "Class = bad" in compare.details.text()
    assert "SMOTE" in compare.details.text()

    wizard.next()  # Save
    export = wizard.export_page
    export.open_folder.setChecked(False)
    export.path.setText(str(tmp_path / "synthetic.csv"))
    with qtbot.waitSignal(export.runner.sig_done, timeout=60_000):
        export.save_button.click()
    written = pd.read_csv(tmp_path / "synthetic.csv")
    assert abs((written["Class"] == "bad").mean() - 0.4) <= 0.02
    report = (tmp_path / "synthetic_report.html")
    assert report.exists() and "The rare group" in report.read_text(encoding="utf-8")



def test_the_person_each_row_belongs_to_can_be_chosen(qtbot, window, tmp_path):
    salaries = Path(__file__).resolve().parents[3] / "shared" / "datasets" / \
        "lahman_Salaries.csv"
    source = tmp_path / "salaries.csv"
    pd.read_csv(salaries).head(800).to_csv(source, index=False)
    wizard = window.wizard
    load(qtbot, wizard, source)
    wizard.next()
    wizard.next()
    gen = wizard.generator_page
    assert gen.plan().subject is None  # found by SynthDesk unless chosen
    choices = [gen.subject.itemData(i) for i in range(gen.subject.count())]
    assert "playerID" in choices and "" in choices
    gen.subject.setCurrentIndex(gen.subject.findData(""))
    assert gen.plan().subject == ""
    gen.subject.setCurrentIndex(gen.subject.findData("playerID"))
    wizard.back()
    wizard.next()
    assert wizard.state.plan.subject == "playerID" and gen.plan().subject == "playerID"
