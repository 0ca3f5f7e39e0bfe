"""The Method page, the Train page and the training itself share one estimate of the job."""

import shutil

import pytest

from synthdesk.core.estimate import estimate_for
from synthdesk.progress import STAGE_LABELS
from tests.conftest import SAMPLE
from tests.gui.conftest import load

pytestmark = pytest.mark.gui


def test_method_and_train_pages_show_the_estimate_the_training_uses(qtbot, window, tmp_path):
    source = shutil.copy(SAMPLE, tmp_path / "penguins.csv")  # 344 rows: the trees
    wizard = window.wizard
    load(qtbot, wizard, source)
    wizard.next()  # Columns, as detected
    wizard.next()  # Method
    gen = wizard.generator_page
    assert gen.radios["auto"].isChecked()
    auto, trees = gen.estimate_of("auto"), gen.estimate_of("cart")
    assert auto == trees and auto.generator == "cart"  # one generator, one figure
    assert auto == estimate_for(wizard.state.table.data, wizard.state.specs, gen.plan())
    words = trees.in_words()
    assert words in gen.estimates["auto"].text() and words in gen.estimates["cart"].text()
    assert gen.estimate_of("tvae").training_s > trees.training_s

    train = wizard.train_page
    events = []
    train.runner.sig_progress.connect(lambda fraction, message: events.append(fraction))
    with qtbot.waitSignal(train.runner.sig_done, timeout=120_000):
        wizard.next()  # Train starts at once
        assert train.estimate == auto  # the page counts time left from the same estimate
        assert "Learning" in train.stages.text()
    result = wizard.state.result
    assert result.estimate == train.estimate  # and the training shared its bar by it
    assert events == sorted(events) and events
    bar = train.estimate.bar()
    seen = list(dict.fromkeys(bar.locate(f)[0] for f in events))
    assert seen == [s for s in bar.stages if s in seen] and "learning" in seen
    assert train.stages.text().count("✓") == len(STAGE_LABELS)
    assert f"expected {auto.in_words()}" in train.timing.text()
