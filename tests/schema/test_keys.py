"""Finding the key that links a child table to its parent."""

import pandas as pd
import pytest

from synthdesk.errors import InvalidChoice
from synthdesk.schema.keys import find_relation, key_text, orphan_mask


def _customers() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": [101, 102, 103, 104, 105],
        "country": ["DE", "FR", "DE", "IT", "FR"],
        "age": [34, 51, 27, 45, 62],
    })


def _invoices() -> pd.DataFrame:
    return pd.DataFrame({
        "invoice": [1, 2, 3, 4, 5, 6, 7, 8],
        "customer_id": [101, 101, 102, 103, 103, 103, 999, 105],
        "amount": [10.5, 20.0, 7.25, 3.0, 4.0, 5.0, 8.0, 1.0],
        "items": [1, 2, 3, 4, 5, 1, 2, 3],
    })


def test_finds_the_key_and_counts_orphans():
    match = find_relation(_customers(), _invoices())
    assert (match.parent_key, match.child_key) == ("customer_id", "customer_id")
    assert match.orphans == 1  # 999 names no customer
    assert match.parents_with_children == 4
    assert match.most_children == 3
    assert match.valid_share == pytest.approx(7 / 8)


def test_small_numbers_inside_a_numeric_key_are_not_taken():
    # "items" (1..5) lies inside no key, but "invoice" 1..8 is no key of customers either;
    # the 1..5 row numbers of a parent must not capture a count column of the child.
    parent = _customers().assign(row=[1, 2, 3, 4, 5])
    child = _invoices().drop(columns="customer_id")
    with pytest.raises(InvalidChoice, match="found no column linking"):
        find_relation(parent, child)


def test_id_in_a_table_named_after_the_child_key():
    parent = _customers().rename(columns={"customer_id": "id"})
    match = find_relation(parent, _invoices(), parent_name="customers")
    assert (match.parent_key, match.child_key) == ("id", "customer_id")


def test_numbers_and_text_keys_match():
    child = _invoices().assign(customer_id=lambda d: d["customer_id"].astype(str) + " ")
    match = find_relation(_customers(), child, "customer_id")
    assert match.orphans == 1
    assert list(key_text(pd.Series([1.0, None, 3.0]))) == ["1", pd.NA, "3"]


def test_a_composite_looking_key_is_not_taken():
    # (store, day) names each parent row once, but neither column alone does.
    parent = pd.DataFrame({"store": ["a", "a", "b", "b"], "day": [1, 2, 1, 2],
                           "staff": [3, 4, 5, 6]})
    child = pd.DataFrame({"store": ["a", "a", "b", "b", "a"], "day": [1, 2, 2, 1, 1],
                          "sale": [9.0, 8.0, 7.0, 6.0, 5.0]})
    with pytest.raises(InvalidChoice, match="found no column linking"):
        find_relation(parent, child)
    with pytest.raises(InvalidChoice, match="more than one row"):
        find_relation(parent, child, "store")


def test_key_column_missing_is_a_plain_error():
    with pytest.raises(InvalidChoice, match="has no column named 'client'"):
        find_relation(_customers(), _invoices(), "client", child_name="invoices")


def test_key_not_unique_in_the_parent_is_a_plain_error():
    parent = pd.concat([_customers(), _customers().head(2)], ignore_index=True)
    with pytest.raises(InvalidChoice, match="2 of its values are on more than one row"):
        find_relation(parent, _invoices(), "customer_id", parent_name="customers")


def test_no_child_row_matching_is_a_plain_error():
    child = _invoices().assign(customer_id=range(900, 908))
    with pytest.raises(InvalidChoice, match="No row of"):
        find_relation(_customers(), child, "customer_id")


def test_orphan_mask_counts_missing_keys():
    mask = orphan_mask(pd.Series(["a", "b"]), pd.Series(["a", None, "c", "b"]))
    assert mask.tolist() == [False, True, True, False]


def test_the_baseball_pair():
    parent = pd.read_csv("../shared/datasets/lahman_People.csv", usecols=["playerID", "weight"])
    child = pd.read_csv("../shared/datasets/lahman_Salaries.csv")
    match = find_relation(parent, child)
    assert (match.parent_key, match.child_key, match.orphans) == ("playerID", "playerID", 0)
    assert match.parents_with_children == 5149
