"""Distances that treat numbers and categories fairly, and the privacy measures built on them."""

import numpy as np
import pandas as pd
import pytest

from synthdesk.evaluation.distance import (
    MixedEncoder,
    dcr_share,
    nearest_distances,
    nndr,
    privacy_distances,
)


def population(rows, seed):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "age": rng.integers(18, 90, rows),
        "income": np.round(rng.lognormal(10, 0.5, rows), 2),
        "region": rng.choice(["north", "south", "east", "west"], rows),
        "joined": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, rows), "D"),
        "score": np.where(rng.random(rows) < 0.1, np.nan, rng.normal(0, 1, rows)),
    })


def test_gower_distance_weighs_each_column_alike():
    frame = pd.DataFrame({"n": [0.0, 10.0, 5.0], "c": ["a", "b", "a"]})
    encoder = MixedEncoder().fit(frame)
    x = encoder.transform(frame)
    d = nearest_distances(x[[0]], x, k=1)[:, 0]
    # Spread of n (1st-99th percentile) is 9.8: rows differ by n/9.8 and by 1 per category,
    # and the distance is the mean over the two columns.
    assert d[0] == 0
    assert d[1] == pytest.approx((10 / 9.8 + 1) / 2, rel=1e-5)
    assert d[2] == pytest.approx((5 / 9.8) / 2, rel=1e-5)


def test_missing_numbers_count_as_a_difference_and_unseen_categories_as_other():
    train = pd.DataFrame({"n": [1.0, np.nan, 3.0], "c": ["a", "b", "a"]})
    encoder = MixedEncoder(max_categories=1).fit(train)
    x = encoder.transform(pd.DataFrame({"n": [1.0, np.nan], "c": ["zzz", "b"]}))
    assert not np.isnan(x).any()
    # "b" and "zzz" both fall outside the one kept category: they are the same "other".
    assert x[0, -1] == x[1, -1]


def test_fresh_rows_score_half_and_copies_score_one():
    train, holdout, fresh = population(2000, 0), population(2000, 1), population(2000, 2)
    copied = train.sample(2000, random_state=3, replace=True)
    fair = privacy_distances(train, holdout, fresh)
    leaky = privacy_distances(train, holdout, copied)
    assert fair.dcr_share == pytest.approx(0.5, abs=0.05)
    assert leaky.dcr_share > 0.9
    assert leaky.exact_copies == 1.0 and fair.exact_copies == 0.0
    assert fair.holdout_copies == 0.0
    assert leaky.nndr_synthetic == 0.0 and fair.nndr_synthetic > 0.5
    assert fair.nndr_holdout == pytest.approx(fair.nndr_synthetic, abs=0.1)


def test_dcr_share_compares_against_equal_numbers_of_rows():
    rng = np.random.default_rng(0)
    # A training set four times the holdout is closer to anything by size alone; the
    # share must not reward that.
    train, holdout, synthetic = (rng.normal(size=(n, 3)) for n in (4000, 1000, 1000))
    assert dcr_share(train, holdout, synthetic) == pytest.approx(0.5, abs=0.05)


def test_nndr_is_zero_on_a_copy_and_one_when_equidistant():
    reference = np.array([[0.0], [1.0], [3.0]])
    ratios = nndr(reference, np.array([[0.0], [2.0]]))
    assert ratios[0] == 0.0
    assert ratios[1] == pytest.approx(1.0)


def test_large_tables_are_sampled(monkeypatch):
    train, holdout, synthetic = population(3000, 0), population(3000, 1), population(3000, 2)
    result = privacy_distances(train, holdout, synthetic, max_rows=500)
    assert result.rows_compared == 500
    assert set(result.to_dict()) >= {"dcr_share", "nndr_synthetic", "exact_copies"}


def _people(frame, prefix, sizes):
    """Subject labels for ``frame``: the first sizes[0] rows are one person, and so on."""
    labels = np.repeat([f"{prefix}{i}" for i in range(len(sizes))], sizes)
    return pd.Series(labels, index=frame.index)


def test_dcr_share_counts_people_not_rows():
    # One real customer with 300 similar rows is copied row by row; 100 other synthetic people are
    # new. Counted by rows, 3/4 of the synthetic rows sit on a training row; counted by
    # people, one person of 101 does, which is what the share is about.
    big = population(300, 1).assign(age=40, region="north", income=lambda f: 50_000 + f.age)
    train = pd.concat([big, population(100, 2)], ignore_index=True)
    holdout = population(100, 3)
    synthetic = pd.concat([big, population(100, 4)], ignore_index=True)
    by_rows = privacy_distances(train, holdout, synthetic, seed=0)
    subjects = (_people(train, "t", [300] + [1] * 100), _people(holdout, "h", [1] * 100),
                _people(synthetic, "s", [300] + [1] * 100))
    by_people = privacy_distances(train, holdout, synthetic, seed=0, subjects=subjects)
    assert by_rows.dcr_share > 0.8
    assert by_rows.subjects_compared is None
    assert by_people.subjects_compared == 101
    assert by_people.dcr_share == pytest.approx(0.5, abs=0.08)
    # The copies themselves are still counted, row by row.
    assert by_people.exact_copies == by_rows.exact_copies > 0.7


def test_large_tables_are_sampled_by_whole_people():
    train = population(600, 5)
    holdout = population(600, 6)
    synthetic = population(600, 7)
    sizes = [6] * 100
    subjects = tuple(_people(frame, p, sizes)
                     for frame, p in ((train, "t"), (holdout, "h"), (synthetic, "s")))
    result = privacy_distances(train, holdout, synthetic, seed=0, max_rows=100,
                               subjects=subjects)
    # 100 rows at most, of whole people of 6 rows each: 16 people, 96 rows.
    assert result.rows_compared == 96
    assert result.subjects_compared == 16
    assert 0.2 < result.dcr_share < 0.8


def test_missing_subject_labels_are_people_of_their_own():
    train, holdout, synthetic = population(50, 8), population(50, 9), population(50, 10)
    none = pd.Series([None] * 50, dtype="object")
    result = privacy_distances(train, holdout, synthetic, seed=0,
                               subjects=(none, none.copy(), none.copy()))
    assert result.subjects_compared == 50
    plain = privacy_distances(train, holdout, synthetic, seed=0)
    assert abs(result.dcr_share - plain.dcr_share) < 0.15


def test_people_with_more_rows_than_a_sample_are_sampled_by_rows():
    train, holdout, synthetic = population(900, 11), population(900, 12), population(900, 13)
    subjects = tuple(_people(frame, p, [300] * 3)
                     for frame, p in ((train, "t"), (holdout, "h"), (synthetic, "s")))
    result = privacy_distances(train, holdout, synthetic, seed=0, max_rows=100,
                               subjects=subjects)
    assert result.rows_compared == 100 and 0 < result.subjects_compared <= 3
    assert 0.0 <= result.dcr_share <= 1.0


def test_nearest_distances_are_the_plain_l1_distances_in_blocks_and_threads():
    from concurrent.futures import ThreadPoolExecutor

    from scipy.spatial.distance import cdist

    train = population(2_300, 1)
    train.loc[::7, "region"] = None
    encoder = MixedEncoder().fit(train)
    reference = encoder.transform(train.head(1_700)).astype("float64")
    query = encoder.transform(population(2_100, 2)).astype("float64")  # three blocks
    plain = np.sort(cdist(query, reference, metric="cityblock"), axis=1)[:, :2]
    serial = nearest_distances(reference, query, k=2)
    with ThreadPoolExecutor(2) as pool:
        threaded = nearest_distances(reference, query, k=2, pool=pool)
    assert np.allclose(serial, plain, atol=1e-8)
    assert np.array_equal(serial, threaded)


def test_privacy_distances_agree_with_their_parts_in_one_pass():
    from concurrent.futures import ThreadPoolExecutor

    train, holdout, synthetic = population(3_000, 1), population(800, 2), population(2_500, 3)
    synthetic.iloc[:1500] = train.iloc[:1500].to_numpy()  # copies, so the shares move
    with ThreadPoolExecutor(2) as pool:
        together = privacy_distances(train, holdout, synthetic, seed=4, pool=pool)
    encoder = MixedEncoder().fit(pd.concat([train, holdout], ignore_index=True))
    train_x, holdout_x, synthetic_x = (encoder.transform(f) for f in (train, holdout, synthetic))
    assert together.dcr_share == dcr_share(train_x, holdout_x, synthetic_x, seed=4)
    assert together.nndr_synthetic == round(float(np.median(nndr(train_x, synthetic_x))), 4)
    assert together.nndr_holdout == round(float(np.median(nndr(train_x, holdout_x))), 4)
    assert together.dcr_share > 0.55
