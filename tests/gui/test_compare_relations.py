"""The Compare page lists the pairs of columns that lost most and the relations kept."""

from pathlib import Path

import pytest

from tests.gui.conftest import load

pytestmark = [pytest.mark.gui, pytest.mark.slow]

SHARED = Path(__file__).resolve().parents[3] / "shared" / "datasets"


def test_the_compare_page_lists_the_pairs_that_lost_most_and_the_rules_kept(qtbot, window):
    wizard = window.wizard
    load(qtbot, wizard, SHARED / "palmerpenguins_penguins-raw.csv")
    wizard.next()
    wizard.next()
    gen = wizard.generator_page
    gen.generator.setCurrentIndex(gen.generator.findData("cart"))
    with qtbot.waitSignal(wizard.train_page.runner.sig_done, timeout=180_000):
        wizard.next()
    compare = wizard.compare_page
    with qtbot.waitSignal(compare.runner.sig_done, timeout=60_000):
        wizard.next()
    result = wizard.state.result
    assert result.pair_losses and result.kept_relations
    compare.tabs.setCurrentWidget(compare.losses)
    assert compare.tabs.tabText(compare.tabs.currentIndex()) == "Pairs that changed most"
    pairs = compare.losses.pairs
    assert pairs.rowCount() == len(result.pair_losses)
    for row, loss in enumerate(result.pair_losses):
        assert pairs.item(row, 0).text() == " & ".join(loss.columns)
        assert pairs.item(row, 1).text() == f"{loss.similarity:.0%}"
        assert pairs.item(row, 2).text() == loss.change
    similarity = [float(pairs.item(r, 1).text().rstrip("%")) for r in range(pairs.rowCount())]
    assert similarity == sorted(similarity)  # worst first
    kept = compare.losses.kept
    assert kept.isVisibleTo(compare) and kept.rowCount() == len(result.kept_relations)
    assert any("Clutch Completion follows from Comments" in kept.item(r, 0).text()
               for r in range(kept.rowCount()))
    assert f"{len(result.kept_relations)} relations of the real table kept" in \
        compare.losses.kept_note.text()
