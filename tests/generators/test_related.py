"""Decision trees (and HMA) for a parent table and its children."""

import numpy as np
import pandas as pd
import pytest

from synthdesk.errors import Cancelled
from synthdesk.evaluation.relations import in_order_share, ks_distance
from synthdesk.generators.related import (
    RelatedCartGenerator,
    RelatedTables,
    children_per_parent,
    sequence_gaps,
)
from synthdesk.progress import CancelToken
from tests.related_data import customers_and_invoices


def _tables(customers=200, seed=0) -> RelatedTables:
    parents, children = customers_and_invoices(customers, seed)
    keys = pd.Index(parents["customer_id"])
    links = keys.get_indexer(children["customer_id"])
    parent = parents[["country", "age"]]
    child = pd.DataFrame({"date": pd.to_datetime(children["date"]),
                          "amount": children["amount"]})
    return RelatedTables("customers", {"customers": parent, "invoices": child},
                         {"invoices": links}, {"invoices": "date"})


def test_children_point_at_parents_in_order_with_gaps_and_trends():
    real = _tables()
    model = RelatedCartGenerator(seed=1).fit(real)
    out = model.sample(200, seed=3)
    parents, children = out.frames["customers"], out.frames["invoices"]
    links = out.links["invoices"]
    assert len(parents) == 200
    assert ((links >= 0) & (links < 200)).all()  # every child has a parent
    # Each parent's children come in date order.
    assert in_order_share(out, "invoices") == 1.0
    dates = children.assign(p=links).groupby("p")["date"].apply(
        lambda d: bool(d.is_monotonic_increasing))
    assert dates.all()
    # Gaps between invoices (about 30 days) survive.
    gaps = sequence_gaps(links, children["date"])
    assert 25 <= np.median(gaps) <= 35
    assert ks_distance(sequence_gaps(real.links["invoices"], real.frames["invoices"]["date"]),
                       gaps) < 0.25
    # The trend per customer survives: later invoices are larger than the first.
    frame = children.assign(p=links)
    first = frame.groupby("p")["amount"].first()
    last = frame.groupby("p")["amount"].last()
    several = frame.groupby("p").size() > 3
    assert (last[several] > first[several]).mean() > 0.8


def test_children_per_parent_follow_the_parent():
    out = RelatedCartGenerator(seed=1).fit(_tables()).sample(300, seed=5)
    counts = pd.Series(children_per_parent(out.links["invoices"], 300))
    by_country = counts.groupby(out.frames["customers"]["country"].to_numpy()).mean()
    assert by_country["DE"] < 3 < by_country["FR"]


def test_same_seed_same_tables():
    model = RelatedCartGenerator(seed=1).fit(_tables(120))
    a, b = model.sample(50, seed=9), model.sample(50, seed=9)
    pd.testing.assert_frame_equal(a.frames["invoices"], b.frames["invoices"])
    assert np.array_equal(a.links["invoices"], b.links["invoices"])


def test_children_without_order():
    real = _tables(120)
    real = RelatedTables(real.parent, real.frames, real.links, {"invoices": None})
    out = RelatedCartGenerator().fit(real).sample(80, seed=2)
    assert len(out.frames["invoices"]) == len(out.links["invoices"]) > 0
    assert out.links["invoices"].max() < 80


def test_cancel_stops_the_fit():
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        RelatedCartGenerator().fit(_tables(60), cancel=cancel)


def test_hma_behind_the_same_interface():
    from synthdesk.generators.hma import HmaGenerator

    out = HmaGenerator(seed=0).fit(_tables(40)).sample(30, seed=1)
    assert len(out.frames["customers"]) == 30
    links = out.links["invoices"]
    assert len(links) == len(out.frames["invoices"]) and ((links >= 0) & (links < 30)).all()
    assert in_order_share(out, "invoices") == 1.0  # sorted by date within each parent


def test_missing_parent_values_stay_missing():
    real = _tables(150)
    parent = real.frames["customers"].assign(
        died=lambda d: d["age"].where(d["age"] > 60).astype("float64"))
    real = RelatedTables(real.parent, {**real.frames, "customers": parent}, real.links,
                         real.sequences)
    out = RelatedCartGenerator().fit(real).sample(150, seed=1)
    share = out.frames["customers"]["died"].isna().mean()
    assert abs(share - parent["died"].isna().mean()) < 0.15
    assert out.frames["customers"]["died"].min() >= parent["died"].min()


def test_children_per_parent_keep_their_spread_when_most_parents_have_none():
    # As players and their salaries: most parents have no child, one in ten has one, the
    # rest 2 to 30 (more than 20 different numbers, so smoothed as numbers they were; the
    # kernel moved ones to zero, which as the most common value it never moved back).
    rng = np.random.default_rng(4)
    parents = 5_000
    kind = rng.choice(3, parents, p=[0.7, 0.1, 0.2])
    counts = np.select([kind == 0, kind == 1], [0, 1],
                       np.minimum(1 + rng.geometric(0.2, parents), 30))
    links = np.repeat(np.arange(parents), counts)
    real = RelatedTables(
        "people", {"people": pd.DataFrame({"height": rng.normal(180, 8, parents)}),
                   "salaries": pd.DataFrame({"salary": rng.gamma(2.0, 1e5, len(links))})},
        {"salaries": links}, {"salaries": None})
    assert len(np.unique(counts)) > 20
    out = RelatedCartGenerator(seed=0).fit(real).sample(parents, seed=1)
    synthetic = children_per_parent(out.links["salaries"], parents)
    for n in (0, 1, 2):  # as numbers: 0.700 with none (0.694 real), 0.091 with one (0.101)
        assert np.mean(synthetic == n) == pytest.approx(np.mean(counts == n), abs=0.005)
