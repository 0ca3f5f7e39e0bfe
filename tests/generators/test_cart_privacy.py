"""The privacy guarantees the report states, pinned on the default trees through the pipeline.

Each table is built so that the guarantee would fail without its protection: a category a
few people hold, tied to values of theirs nobody else has; lone extremes; rows that only
one person holds; and numbers drawn within a leaf, which keep the column's step and the
values a leaf's people share but not a value one person holds.
"""

import numpy as np
import pandas as pd
import pytest

from synthdesk.core.frames import training_frame
from synthdesk.core.job import TrainingPlan
from synthdesk.core.pipeline import run_training
from synthdesk.evaluation.privacy import exact_copy_share
from synthdesk.generators import fit_generator, sample_rows
from synthdesk.generators.cart import CartModel
from synthdesk.privacy.protection import rare_rows
from synthdesk.schema import profile_columns, to_sdv_metadata
from synthdesk.schema.columns import Action
from synthdesk.schema.rows import MIN_ROWS


def trained(frame, seed=0, **plan):
    """The default trees through the pipeline, learning every row (no holdout)."""
    specs = profile_columns(frame)
    return specs, run_training(frame, specs, TrainingPlan(generator="cart", seed=seed,
                                                          holdout=0, **plan))


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    """1,200 people: a town (three common, one held by three people), a job, an income."""
    rng = np.random.default_rng(7)
    rows = 1200
    town = rng.choice(["Lyon", "Nice", "Metz"], rows, p=[0.5, 0.3, 0.2]).astype(object)
    income = np.round(rng.lognormal(10, 0.4, rows), -1)
    job = rng.choice(["clerk", "nurse", "driver", "teacher"], rows).astype(object)
    # Three people of Tulle, each with a job and an income no one else has.
    town[:3] = "Tulle"
    job[:3] = ["falconer", "glassblower", "luthier"]
    income[:3] = [987_650.0, 876_540.0, 765_430.0]
    return pd.DataFrame({"town": town, "job": job, "income": income,
                         "age": rng.integers(18, 90, rows)})


def test_a_category_few_people_hold_never_comes_back_nor_its_holders_values(people):
    specs, result = trained(people)
    synthetic = result.synthetic
    assert not synthetic["town"].isin(["Tulle"]).any()
    assert not synthetic["job"].isin(["falconer", "glassblower", "luthier"]).any()
    assert result.protection.rare_categories == {"town": 1, "job": 3}
    assert not synthetic["income"].isin([987_650.0, 876_540.0, 765_430.0]).any()
    # Their incomes are the table's three highest: pulled in to the fifth person's.
    assert synthetic["income"].max() <= np.sort(people["income"])[-MIN_ROWS]


def test_a_category_is_rare_by_the_people_who_hold_it_not_its_rows(people):
    # Forty rows of "Tulle", all of two people: still two people, still hidden.
    frame = people.assign(customer=[f"c{i}" for i in range(len(people))])
    frame.loc[:39, "town"] = "Tulle"
    frame.loc[:39, "customer"] = np.where(np.arange(40) % 2 == 0, "c0", "c1")
    _, result = trained(frame, subject="customer")
    assert result.protection.subject == "customer"
    assert not result.synthetic["town"].isin(["Tulle"]).any()


def test_a_category_pooled_by_the_trees_is_not_tied_to_its_holders_other_values():
    # Straight to the trees (no pipeline before them): six rare categories, two rows each,
    # each with a value of 50 the common rows never have. Pooled, a rare category is
    # drawn by frequency whatever the row, so it comes with any value.
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({
        "kind": np.r_[rng.choice(["x", "y"], 600), np.repeat([f"r{i}" for i in range(6)], 2)],
        "value": np.r_[rng.normal(0, 1, 600), np.full(12, 50.0)],
    })
    model = CartModel().fit(frame, {"kind": "categorical", "value": "numerical"}, seed=0)
    drawn = model.generate(20_000, np.random.default_rng(1))
    rare = drawn["kind"].str.startswith("r")
    assert rare.any()
    assert (drawn.loc[rare, "value"] < 25).mean() > 0.5, "most rare rows get common values"


def test_no_value_beyond_the_fifth_person_from_either_end_comes_back():
    rng = np.random.default_rng(3)
    salary = np.round(rng.normal(50_000, 8_000, 800), -2)
    salary[:4] = [1_000.0, 2_000.0, 400_000.0, 900_000.0]
    frame = pd.DataFrame({
        "salary": salary,
        "grade": np.where(salary > 50_000, "senior", "junior"),
        "hired": (pd.Timestamp("2015-01-01")
                  + pd.to_timedelta(rng.integers(0, 3000, 800), unit="D")).strftime("%Y-%m-%d"),
    })
    frame.loc[0, "hired"] = "1971-05-04"  # one person hired long before anyone else
    _, result = trained(frame)
    synthetic = result.synthetic
    ordered = np.sort(salary)
    assert synthetic["salary"].between(ordered[MIN_ROWS - 1], ordered[-MIN_ROWS]).all()
    assert not synthetic["salary"].isin(salary[:4]).any()
    hired = pd.to_datetime(synthetic["hired"])
    assert hired.min() >= np.sort(pd.to_datetime(frame["hired"]))[MIN_ROWS - 1]
    assert result.protection.clipped_columns["salary"] == 8


def test_no_synthetic_row_copies_a_row_fewer_than_five_people_hold():
    # Three small columns: most possible rows exist, each held by one to four people, so
    # trees with small leaves and exact donor values would copy many of them.
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"a": rng.integers(0, 12, 1500), "b": rng.integers(0, 12, 1500),
                          "c": rng.choice(["p", "q", "r"], 1500)})
    specs, result = trained(frame, rows=4000)
    learned = [s.name for s in specs if s.action is Action.SYNTHESIZE]
    real = training_frame(frame, specs)[learned]
    rare = rare_rows(real)
    assert len(rare) > 500
    synthetic = training_frame(result.synthetic, specs)[learned]
    assert len(synthetic) == 4000
    assert exact_copy_share(rare, synthetic) == 0
    # The trees' own guard replaced them while sampling: the pipeline found none left.
    assert result.protection.copies_replaced == 0


def test_same_seed_same_rows_in_any_chunks_and_blocks(people, monkeypatch):
    import synthdesk.generators.base as base_module

    specs = profile_columns(people)
    real, metadata = training_frame(people, specs), to_sdv_metadata(specs)
    fitted = fit_generator(real, metadata, "cart", seed=3)
    whole = sample_rows(fitted, 2500, seed=3)
    monkeypatch.setattr(base_module, "CHUNK_ROWS", 333)
    pd.testing.assert_frame_equal(sample_rows(fitted, 2500, seed=3), whole)
    refitted = fit_generator(real, metadata, "cart", seed=3)
    pd.testing.assert_frame_equal(sample_rows(refitted, 2500, seed=3), whole)
    assert not sample_rows(fitted, 2500, seed=4).equals(whole)


# --- how numbers are drawn within a leaf ---------------------------------------------


@pytest.fixture(scope="module")
def shops() -> pd.DataFrame:
    """3,000 rows: prices in steps of 25, and per shop a price most of its rows share.

    Each of 100 shops has 30 rows; 80% of them hold the shop's list price (24 rows, 0.8%
    of the table: below the share at which a value is a spike of the whole column), the
    rest a price around it.
    """
    rng = np.random.default_rng(5)
    shop = np.repeat(np.arange(100), 30)
    listed = 1000 + 25 * shop
    price = np.where(rng.random(3000) < 0.8, listed,
                     listed + 25 * np.round(rng.normal(0, 4, 3000)))
    return pd.DataFrame({"shop": shop, "price": price.astype(float)})


def draw(frame, numbers, rows=6000):
    model = CartModel(numbers=numbers, order="data", min_leaf=10, min_gain=0)
    model.fit(frame, {"shop": "numerical", "price": "numerical"}, seed=0)
    return model.generate(rows, np.random.default_rng(0))


@pytest.mark.parametrize("numbers", ["grid", "shared"])
def test_numbers_keep_the_columns_step(shops, numbers):
    drawn = draw(shops, numbers)
    assert (np.mod(drawn["price"], 25) == 0).all()
    assert drawn["price"].between(shops["price"].min(), shops["price"].max()).all()


def test_a_value_most_of_a_leaf_holds_keeps_its_share(shops):
    real = (shops["price"] == 1000 + 25 * shops["shop"]).mean()
    shares = {numbers: float((d["price"] == 1000 + 25 * np.round(d["shop"])).mean())
              for numbers, d in ((n, draw(shops, n)) for n in ("kernel", "shared"))}
    assert shares["shared"] == pytest.approx(real, abs=0.05)
    assert shares["kernel"] < real - 0.2, "a kernel on every donor smears it"


def test_a_value_few_rows_of_a_leaf_hold_is_moved():
    # A fine-grained column: every value is held by one row. Drawn "shared", a donor's
    # value is never handed out as it is; only chance (about one real value per 60 steps
    # of 0.001) puts a number on a real one.
    rng = np.random.default_rng(6)
    frame = pd.DataFrame({"group": rng.choice(["a", "b"], 2000),
                          "amount": np.round(rng.normal(100, 20, 2000), 3)})
    model = CartModel(numbers="shared").fit(frame, {"group": "categorical",
                                                    "amount": "numerical"}, seed=0)
    drawn = model.generate(5000, np.random.default_rng(0))
    assert drawn["amount"].isin(frame["amount"]).mean() < 0.1
    donor = CartModel(numbers="donor").fit(frame, {"group": "categorical",
                                                   "amount": "numerical"}, seed=0)
    assert donor.generate(5000, np.random.default_rng(0))["amount"].isin(frame["amount"]).all()
