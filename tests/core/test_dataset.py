"""The dataset model: tables by name, relations, subjects; one table is the case of one."""

import pandas as pd
import pytest

from synthdesk.core.dataset import Dataset, DataTable, Relation
from synthdesk.core.pipeline import split_holdout
from synthdesk.errors import InvalidChoice
from synthdesk.privacy.treatments import apply_treatments
from synthdesk.schema import Action, profile_columns


@pytest.fixture
def shop():
    customers = pd.DataFrame({"customer_id": [1, 2, 3, 4], "region": ["n", "s", "n", "e"],
                              "age": [30, 41, 52, 38]})
    orders = pd.DataFrame({"order_id": range(10), "customer_id": [1, 1, 2, 3, 3, 3, 4, 4, 2, 1],
                           "amount": [5.0, 7.5, 3.0, 9.9, 1.0, 2.0, 4.4, 6.1, 8.0, 2.2]})
    return customers, orders


def test_one_table_is_a_dataset_of_one(shop):
    customers, _ = shop
    dataset = Dataset.one("customers", customers, profile_columns(customers))
    assert list(dataset.tables) == ["customers"]
    assert dataset.main.name == "customers"
    assert dataset.main.subjects() is None and dataset.main.subject_count() == 4
    metadata = dataset.to_sdv_metadata()
    assert list(metadata["tables"]) == ["customers"], "the table keeps its own name"
    assert metadata["relationships"] == []


def test_relations_and_subjects_reach_sdv_metadata(shop):
    customers, orders = shop
    dataset = Dataset(
        {"customers": DataTable("customers", customers, tuple(profile_columns(customers))),
         "orders": DataTable("orders", orders, tuple(profile_columns(orders)),
                             subject="customer_id")},
        relations=(Relation("customers", "customer_id", "orders", "customer_id"),),
    )
    orders_table = dataset.table("orders")
    assert orders_table.subject_count() == 4
    assert list(orders_table.subjects()) == list(orders["customer_id"])
    metadata = dataset.to_sdv_metadata()
    assert metadata["tables"]["customers"]["primary_key"] == "customer_id"
    assert metadata["relationships"] == [{
        "parent_table_name": "customers", "parent_primary_key": "customer_id",
        "child_table_name": "orders", "child_foreign_key": "customer_id"}]
    from sdv.metadata import Metadata

    Metadata.load_from_dict(metadata).validate()  # SDV accepts what the dataset builds
    with pytest.raises(InvalidChoice, match="one table at a time"):
        _ = dataset.main


def test_bad_names_are_refused_in_words(shop):
    customers, orders = shop
    specs = tuple(profile_columns(customers))
    with pytest.raises(InvalidChoice, match="no column named 'patient'"):
        DataTable("customers", customers, specs, subject="patient")
    with pytest.raises(InvalidChoice, match="names no table 'orders'"):
        Dataset({"customers": DataTable("customers", customers, specs)},
                relations=(Relation("customers", "customer_id", "orders", "customer_id"),))
    with pytest.raises(InvalidChoice, match="no table named 'x'"):
        Dataset.one("customers", customers, specs).table("x")


def test_the_holdout_sets_aside_whole_subjects():
    rng = pd.Series(range(600)).sample(frac=1, random_state=1).to_numpy()
    data = pd.DataFrame({"patient": rng % 100, "visit": range(600)})
    train, holdout = split_holdout(data, 0.2, seed=3, subjects=data["patient"])
    assert not set(train["patient"]) & set(holdout["patient"]), "nobody on both sides"
    assert holdout["patient"].nunique() == 20
    assert len(train) + len(holdout) == 600
    again = split_holdout(data, 0.2, seed=3, subjects=data["patient"])[1]
    pd.testing.assert_frame_equal(again, holdout)
    # Without subjects each row is its own.
    rows_train, rows_holdout = split_holdout(data, 0.2, seed=3)
    assert len(rows_holdout) == 120 and set(rows_train["patient"]) & set(rows_holdout["patient"])


def test_fakes_are_keyed_by_the_column_name_not_its_position():
    real = pd.DataFrame({"email": [f"p{i}@example.org" for i in range(30)],
                         "city": ["Lyon", "Paris", "Nice"] * 10})
    specs = [_fake(s) if s.name == "email" else s for s in profile_columns(real)]
    synthetic = pd.DataFrame({"city": ["Lyon"] * 20})
    first = apply_treatments(synthetic, real, specs, seed=4)["email"]
    swapped = apply_treatments(synthetic, real[["city", "email"]], specs[::-1], seed=4)["email"]
    assert list(first) == list(swapped)


def _fake(spec):
    import dataclasses

    return dataclasses.replace(spec, action=Action.FAKE, sensitive=True, pii_type="email")
