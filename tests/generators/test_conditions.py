"""Rows to order: rebalanced shares, fixed values and ranges, with the decision trees."""


import numpy as np
import pandas as pd
import pytest

from synthdesk.core.job import TrainingPlan
from synthdesk.core.pipeline import run_training
from synthdesk.core.progress import CancelToken
from synthdesk.errors import Cancelled, InvalidChoice
from synthdesk.generators.conditions import (
    Rebalance,
    parse_condition,
    parse_rebalance,
    rebalanced_counts,
    row_conditions,
)
from synthdesk.generators.fit import fit_generator
from synthdesk.schema.metadata import to_sdv_metadata


def test_rebalance_to_half_and_to_equal_shares(loans):
    data, specs = loans
    assert data["Class"].value_counts(normalize=True)["bad"] < 0.1
    half = run_training(data, specs, TrainingPlan(
        generator="cart", rows=2000, holdout=0.2, rebalance=parse_rebalance(["Class=bad:50%"])))
    shares = half.synthetic["Class"].value_counts(normalize=True)
    assert shares["bad"] == pytest.approx(0.5, abs=0.02)
    # The synthetic bad loans follow the real bad loans, not the good ones with a new flag.
    real_bad = data.loc[data["Class"] == "bad", "int_rate"].mean()
    real_good = data.loc[data["Class"] == "good", "int_rate"].mean()
    synthetic = half.synthetic
    synth_bad = synthetic.loc[synthetic["Class"] == "bad", "int_rate"].mean()
    assert abs(synth_bad - real_bad) < abs(synth_bad - real_good)
    assert abs(synth_bad - real_bad) < 0.3 * abs(real_bad - real_good)
    # The evidence: three models on the holdout, the group's shares and its own privacy.
    rare = half.rare_group
    assert rare.value == "bad" and rare.synthetic_share == pytest.approx(0.5, abs=0.02)
    assert rare.real_share == pytest.approx((data["Class"] == "bad").mean(), abs=0.02)
    assert set(rare.average_precision) == {"real", "augmented", "smote"}
    assert all(0 <= v <= 1 for v in rare.average_precision.values())
    assert rare.sentence and not rare.warning and rare.rare_rows >= 30
    assert rare.exact_copies == 0.0

    equal = run_training(data, specs, TrainingPlan(
        generator="cart", rows=2000, holdout=0.2, rebalance=parse_rebalance(["term"])))
    shares = equal.synthetic["term"].value_counts(normalize=True)
    assert set(shares.index) == set(data["term"].unique())
    assert np.allclose(shares.to_numpy(), 1 / len(shares), atol=0.02)


def test_conditions_on_a_category_and_a_range_hold_on_every_row(loans):
    data, specs = loans
    result = run_training(data, specs, TrainingPlan(
        generator="cart", rows=300, holdout=0.2,
        conditions=(parse_condition("addr_state=CA"),
                    parse_condition("annual_inc=60000..120000"))))
    out = result.synthetic
    assert len(out) == 300
    assert (out["addr_state"] == "CA").all()
    assert out["annual_inc"].between(60000, 120000).all()


def _fitted(data, specs, columns, strata=None):
    from synthdesk.core.frames import training_frame

    frame = training_frame(data, specs)
    return frame, fit_generator(frame, to_sdv_metadata(specs), "cart", first_columns=columns,
                                strata_column=strata)


def test_impossible_conditions_are_refused_plainly(loans):
    data, specs = loans
    frame = data
    with pytest.raises(InvalidChoice, match="never holds"):
        row_conditions((parse_condition("addr_state=Atlantis"),), None, frame, 10, 0)
    with pytest.raises(InvalidChoice, match="range is empty"):
        row_conditions((parse_condition("annual_inc=90000..10"),), None, frame, 10, 0)
    with pytest.raises(InvalidChoice, match="no real row lies"):
        row_conditions((parse_condition("annual_inc=1e12..2e12"),), None, frame, 10, 0)
    with pytest.raises(InvalidChoice, match="ranges need a number or date"):
        row_conditions((parse_condition("addr_state=A..B"),), None, frame, 10, 0)
    with pytest.raises(InvalidChoice, match="never holds"):
        rebalanced_counts(Rebalance("Class", (("maybe", 0.5),)), frame["Class"], 10)
    for bad in ("", "=x", "col", "col=..", "x=1..2"[:2]):
        with pytest.raises(InvalidChoice):
            parse_condition(bad)
    for bad in (["a", "b"], ["a=x:2"], ["a=x:0"], ["a=x:half"], ["a=x:0.7", "a=y:0.6"]):
        with pytest.raises(InvalidChoice):
            parse_rebalance(bad)


def test_counts_add_up_and_unnamed_values_keep_their_real_proportions():
    column = pd.Series(["a"] * 80 + ["b"] * 15 + ["c"] * 5)
    counts = rebalanced_counts(Rebalance("x", (("c", 0.5),)), column, 1001)
    assert sum(counts.values()) == 1001
    assert counts["c"] in (500, 501)
    assert counts["a"] / counts["b"] == pytest.approx(80 / 15, rel=0.02)


def test_cancel_during_conditional_sampling(loans):
    data, specs = loans
    frame, fitted = _fitted(data, specs, ("Class",), strata="Class")
    conditions = row_conditions((), Rebalance("Class"), frame, 20_000, 0)
    token = CancelToken()

    def progress(fraction, message):
        if fraction > 0:
            token.cancel()

    with pytest.raises(Cancelled):
        fitted.model.sample(20_000, seed=1, progress=progress, cancel=token,
                            conditions=conditions)


def test_same_seed_same_conditioned_rows(loans):
    data, specs = loans
    frame, fitted = _fitted(data, specs, ("Class",), strata="Class")
    conditions = row_conditions((), Rebalance("Class"), frame, 400, 3)
    first = fitted.model.sample(400, seed=3, conditions=conditions)
    again = fitted.model.sample(400, seed=3, conditions=conditions)
    pd.testing.assert_frame_equal(first, again)
    assert (first["Class"].to_numpy() == conditions.fixed["Class"]).all()


def test_a_group_too_small_to_learn_is_said_so(loans):
    from synthdesk.core.frames import training_frame
    from synthdesk.evaluation.rare_groups import rare_group_evidence

    data, specs = loans
    frame = training_frame(data, specs).drop(columns=["addr_state"])
    few = pd.concat([frame[frame["Class"] == "good"].head(900),
                     frame[frame["Class"] == "bad"].head(12)], ignore_index=True)
    holdout = pd.concat([frame[frame["Class"] == "good"].iloc[900:1100],
                         frame[frame["Class"] == "bad"].iloc[12:30]], ignore_index=True)
    evidence = rare_group_evidence(few, holdout, few.sample(frac=1, random_state=0), "Class")
    assert evidence.rare_rows == 12
    assert "too few" in evidence.warning


def test_a_small_groups_trees_blur_its_numbers_more(loans):
    data, specs = loans
    frame, fitted = _fitted(data, specs, ("Class",), strata="Class")
    model = fitted.model
    assert model.model_.smoothing == model.smoothing  # the whole table's trees as before
    bad, good = model.strata_["bad"], model.strata_["good"]
    assert (frame["Class"] == "bad").sum() < 200 < (frame["Class"] == "good").sum()
    assert model.smoothing < good.smoothing < bad.smoothing == 2 * model.smoothing
    conditions = row_conditions((), Rebalance("Class", (("bad", 1.0),)), frame, 2000, 0)
    out = model.sample(2000, seed=0, conditions=conditions)
    assert (out["Class"] == "bad").all()
    # Still bad loans: their interest rates follow the real bad loans, not the good ones.
    real = frame.groupby("Class")["int_rate"].mean()
    assert abs(out["int_rate"].mean() - real["bad"]) < 0.3 * (real["bad"] - real["good"])
