"""Rows to order from SDV's generators: fixed values, ranges, rebalanced shares, too rare."""


import numpy as np
import pandas as pd
import pytest

from synthdesk.core.frames import training_frame
from synthdesk.core.job import TrainingPlan
from synthdesk.core.pipeline import run_training
from synthdesk.core.progress import CancelToken
from synthdesk.errors import Cancelled, ConditionTooRare, InvalidChoice
from synthdesk.generators.conditions import (
    RowConditions,
    parse_condition,
    parse_rebalance,
    row_conditions,
)
from synthdesk.generators.fit import fit_generator
from synthdesk.schema.metadata import to_sdv_metadata


@pytest.fixture(scope="module")
def copula(loans):
    """The Gaussian copula fitted once on the loans, as the pipeline would fit it."""
    data, specs = loans
    frame = training_frame(data, specs)
    fitted = fit_generator(frame, to_sdv_metadata(specs), "gaussian_copula",
                           first_columns=("Class",), strata_column="Class")
    return frame, fitted.model


def test_a_category_and_a_range_hold_on_every_row(copula):
    frame, model = copula
    conditions = row_conditions((parse_condition("addr_state=CA"),
                                 parse_condition("annual_inc=60000..120000")), None, frame,
                                600, 0)
    out = model.sample(600, seed=2, conditions=conditions)
    assert len(out) == 600 and list(out.columns) == list(frame.columns)
    assert (out["addr_state"] == "CA").all()
    assert out["annual_inc"].between(60000, 120000).all()
    # The other columns are still drawn, not copied from one row.
    assert out["int_rate"].nunique() > 100 and out["term"].nunique() == 2


def test_a_range_alone_is_met_by_rejection_with_the_models_own_shape(copula):
    frame, model = copula
    conditions = row_conditions((parse_condition("int_rate=..10"),), None, frame, 400, 0)
    out = model.sample(400, seed=0, conditions=conditions)
    assert len(out) == 400 and (out["int_rate"] <= 10).all()
    assert out["int_rate"].nunique() > 50


def test_rebalanced_rows_keep_the_order_their_conditions_give(copula):
    frame, model = copula
    conditions = row_conditions((), parse_rebalance(["Class"]), frame, 2000, 4)
    out = model.sample(2000, seed=4, conditions=conditions)
    assert (out["Class"].to_numpy() == conditions.fixed["Class"]).all()
    assert out["Class"].value_counts(normalize=True).to_dict() == \
        pytest.approx({"good": 0.5, "bad": 0.5}, abs=0.02)
    again = model.sample(2000, seed=4, conditions=conditions)
    pd.testing.assert_frame_equal(out, again)


def test_rebalance_to_half_through_the_pipeline(loans):
    data, specs = loans
    result = run_training(data, specs, TrainingPlan(
        generator="gaussian_copula", rows=2000, holdout=0.2,
        rebalance=parse_rebalance(["Class=bad:50%"])))
    shares = result.synthetic["Class"].value_counts(normalize=True)
    assert shares["bad"] == pytest.approx(0.5, abs=0.02)
    rare = result.rare_group
    assert rare.value == "bad" and rare.synthetic_share == pytest.approx(0.5, abs=0.02)
    assert set(rare.average_precision) == {"real", "augmented", "smote"}
    equal = run_training(data.head(1200), specs, TrainingPlan(
        generator="gaussian_copula", rows=2000, holdout=0,
        rebalance=parse_rebalance(["verification_status"])))
    shares = equal.synthetic["verification_status"].value_counts(normalize=True)
    assert len(shares) == data["verification_status"].nunique()
    assert np.allclose(shares.to_numpy(), 1 / len(shares), atol=0.02)


def test_a_condition_too_rare_for_the_generator_says_so_and_names_the_trees(copula, loans):
    frame, model = copula
    assert (frame["annual_inc"] >= 400_000).mean() < 0.005  # a few real rows hold it
    conditions = row_conditions((parse_condition("annual_inc=400000.."),), None, frame, 300,
                                0)
    with pytest.raises(ConditionTooRare, match="too rare") as caught:
        model.sample(300, seed=0, conditions=conditions)
    message = caught.value.message
    assert "annual_inc from 400,000" in message and "decision trees" in message
    assert "Traceback" not in message and "max_tries" not in message
    assert isinstance(caught.value, InvalidChoice)  # shown on the page, Next waits
    # The same job with the decision trees makes the rows.
    data, specs = loans
    with pytest.raises(ConditionTooRare):
        run_training(data, specs, TrainingPlan(generator="gaussian_copula", rows=300,
                                               conditions=conditions_of("annual_inc=400000..")))
    trees = run_training(data, specs, TrainingPlan(generator="cart", rows=300,
                                                   conditions=conditions_of("annual_inc=400000..")))
    assert (trees.synthetic["annual_inc"] >= 400_000).all()


def conditions_of(*texts):
    return tuple(parse_condition(t) for t in texts)


def test_cancel_during_conditional_sampling(copula):
    frame, model = copula
    conditions = row_conditions((parse_condition("annual_inc=60000..120000"),),
                                parse_rebalance(["Class"]), frame, 20_000, 0)
    token = CancelToken()
    seen = []

    def progress(fraction, message):
        seen.append(fraction)
        if fraction > 0:
            token.cancel()

    with pytest.raises(Cancelled):
        model.sample(20_000, seed=1, progress=progress, cancel=token, conditions=conditions)
    assert len(seen) <= 2, "cancel is answered at the next batch"


def test_a_condition_on_a_column_not_learned_is_refused_in_words(copula):
    _, model = copula
    conditions = RowConditions({"nowhere": np.full(5, "x", dtype=object)})
    with pytest.raises(InvalidChoice, match="not a learned column"):
        model.sample(5, conditions=conditions)
