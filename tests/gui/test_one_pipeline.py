"""The window and the command line run one pipeline: the same job gives the same files."""

import json
import shutil

import pytest

from synthdesk.cli.main import main
from synthdesk.core.pipeline import TIMING_KEYS
from tests.gui.conftest import load

pytestmark = pytest.mark.gui


def _without_timing(report: dict) -> dict:
    return {key: value for key, value in report.items() if key != "timing"}


def test_the_window_and_the_command_line_give_the_same_output_and_report(
        qtbot, window, tmp_path, data_dir):
    source = tmp_path / "la_riots.csv"
    shutil.copy(data_dir / "la_riots.csv", source)
    (tmp_path / "window").mkdir()
    (tmp_path / "cli").mkdir()

    wizard = window.wizard
    load(qtbot, wizard, source)
    wizard.next()  # Columns: as detected
    wizard.next()  # Generator
    gen = wizard.generator_page
    gen.radios["gaussian_copula"].setChecked(True)
    gen.seed.setValue(7)
    train = wizard.train_page
    with qtbot.waitSignal(train.runner.sig_done, timeout=120_000):
        wizard.next()
    compare = wizard.compare_page
    with qtbot.waitSignal(compare.runner.sig_done, timeout=60_000):
        wizard.next()
    wizard.next()  # Save
    export = wizard.export_page
    export.open_folder.setChecked(False)
    export.csv.setChecked(True)
    export.csv_style.setCurrentIndex(0)
    export.with_report.setChecked(False)
    export.with_json.setChecked(True)
    export.path.setText(str(tmp_path / "window" / "synthetic.csv"))
    with qtbot.waitSignal(export.runner.sig_done, timeout=60_000):
        export.save_button.click()

    code = main(["run", str(source), "-o", str(tmp_path / "cli" / "synthetic.csv"),
                 "--generator", "gaussian_copula", "--seed", "7", "--quiet",
                 "--report", str(tmp_path / "cli" / "synthetic_report.json")])
    assert code == 0

    window_csv = (tmp_path / "window" / "synthetic.csv").read_bytes()
    assert window_csv == (tmp_path / "cli" / "synthetic.csv").read_bytes()
    from_window = json.loads((tmp_path / "window" / "synthetic_report.json").read_text())
    from_cli = json.loads((tmp_path / "cli" / "synthetic_report.json").read_text())
    assert _without_timing(from_window) == _without_timing(from_cli)
    for report in (from_window, from_cli):
        assert list(report["timing"]) == list(TIMING_KEYS), "every timing, in both"
        timing = report["timing"]
        assert timing["read_s"] > 0 and timing["fit_s"] > 0 and timing["write_s"] > 0
        assert timing["total_s"] == pytest.approx(
            timing["read_s"] + timing["train_s"] + timing["write_s"], abs=0.01)
        assert timing["train_s"] >= timing["fit_s"] + timing["sample_s"]


def test_the_open_dialog_offers_every_suffix_the_reader_reads():
    from synthdesk.generators.registry import GENERATORS
    from synthdesk.gui.pages.generator_page import CHOICES
    from synthdesk.gui.pages.import_page import FILE_FILTER
    from synthdesk.io.readers import CSV_SUFFIXES, EXCEL_SUFFIXES

    for suffix in CSV_SUFFIXES + EXCEL_SUFFIXES:
        assert f"*{suffix}" in FILE_FILTER
    for name, label, _ in CHOICES:
        if name in GENERATORS:
            assert label == GENERATORS[name].label, "one label per generator"
