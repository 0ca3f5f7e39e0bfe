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


def _careers(players=300, seed=0) -> RelatedTables:
    """Yearly salaries of careers of 1-15 years that began in 1990-2016; the data ends in
    2016, so a career that began late is cut short there."""
    rng = np.random.default_rng(seed)
    start = rng.integers(1990, 2017, players)
    length = rng.integers(1, 16, players)
    links = np.repeat(np.arange(players), length)
    year = start[links] + np.concatenate([np.arange(n) for n in length])
    kept = year <= 2016
    links, year = links[kept], year[kept]
    salary = 500.0 + 80.0 * (year - start[links]) + rng.normal(0, 20, len(year))
    parent = pd.DataFrame({"height": rng.normal(185, 6, players).round(),
                           "debut": start})
    child = pd.DataFrame({"year": year, "salary": salary.round(1)})
    return RelatedTables("players", {"players": parent, "salaries": child},
                         {"salaries": links}, {"salaries": "year"})


def test_no_child_is_dated_past_the_real_data():
    real = _careers()
    out = RelatedCartGenerator(seed=1).fit(real).sample(300, seed=4)
    years, links = out.frames["salaries"]["year"], out.links["salaries"]
    real_years = real.frames["salaries"]["year"]
    assert years.max() <= real_years.max() and years.min() >= real_years.min()
    # Sequences still run in order, one year apart, and their lengths follow the real ones.
    assert (sequence_gaps(links, years) >= 0).all()
    real_n = children_per_parent(real.links["salaries"], 300)
    assert ks_distance(real_n, children_per_parent(links, 300)) < 0.2
    assert ks_distance(sequence_gaps(real.links["salaries"], real_years),
                       sequence_gaps(links, years)) < 0.1


def test_dates_past_the_real_data_end_their_sequence():
    real = _tables(120, 2)
    end = real.frames["invoices"]["date"].quantile(0.6)  # the data ends early
    kept = (real.frames["invoices"]["date"] <= end).to_numpy()
    real = RelatedTables("customers", real.frames | {
        "invoices": real.frames["invoices"][kept].reset_index(drop=True)},
        {"invoices": real.links["invoices"][kept]}, real.sequences)
    out = RelatedCartGenerator(seed=1).fit(real).sample(120, seed=6)
    assert out.frames["invoices"]["date"].max() <= end
    assert in_order_share(out, "invoices") == 1.0
