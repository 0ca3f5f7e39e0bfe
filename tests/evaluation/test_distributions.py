import numpy as np
import pandas as pd

from synthdesk.evaluation.distributions import (
    column_distribution,
    correlation_matrices,
    quality_in_words,
    sparkline,
)
from synthdesk.schema.columns import Action, ColumnSpec, Kind


def test_numbers_share_the_same_bins():
    real = pd.Series([1.0, 2.0, 3.0, 4.0, None])
    synth = pd.Series([0.0, 2.5, 10.0])
    dist = column_distribution(real, synth, ColumnSpec("x", Kind.DECIMAL), bins=5)
    assert dist.numeric and len(dist.edges) == 6
    assert dist.edges[0] == 0.0 and dist.edges[-1] == 10.0
    assert np.isclose(dist.real.sum(), 1) and np.isclose(dist.synthetic.sum(), 1)


def test_categories_keep_top_and_group_the_rest_as_other():
    real = pd.Series(list("a" * 15 + "b" * 10 + "c" * 5) + ["d"])
    synth = pd.Series(list("aazz"))
    dist = column_distribution(real, synth, ColumnSpec("c", Kind.CATEGORY), top=2)
    # "d" is held by one row: it is never a label, only counted among the rare values.
    assert dist.labels == ("a", "b", "(rare values)", "Other")
    assert np.allclose(dist.real, [15 / 31, 10 / 31, 1 / 31, 5 / 31])
    assert np.allclose(dist.synthetic, [0.5, 0, 0, 0.5])


def test_a_value_of_one_person_is_never_a_label_even_on_many_rows():
    real = pd.Series(["Mobile"] * 7 + ["Denver"] * 6)
    people = pd.Series(["p1"] * 7 + ["p2", "p3", "p4", "p5", "p6", "p7"])
    spec = ColumnSpec("city", Kind.CATEGORY)
    by_rows = column_distribution(real, real, spec)
    by_people = column_distribution(real, real, spec, subjects=people)
    assert "Mobile" in by_rows.labels
    assert "Mobile" not in by_people.labels and "Denver" in by_people.labels
    assert "(rare values)" in by_people.labels


def test_histogram_edges_never_show_one_persons_extreme():
    salaries = pd.Series([40_000 + 1000 * i for i in range(40)] + [9_000_000])
    learned = salaries.clip(upper=sorted(salaries)[-5])  # what the generator learned from
    dist = column_distribution(salaries, learned, ColumnSpec("pay", Kind.INTEGER))
    assert dist.edges[-1] == sorted(salaries)[-5]
    assert 9_000_000 not in dist.edges and np.isclose(dist.real.sum(), 1)


def test_replaced_column_has_only_a_synthetic_side():
    spec = ColumnSpec("name", Kind.CATEGORY, sensitive=True, action=Action.FAKE)
    dist = column_distribution(None, pd.Series(["Ann", "Bo"]), spec)
    assert dist.real is None and dist.labels == ("Ann", "Bo")


def test_dates_held_as_text_become_seconds():
    spec = ColumnSpec("d", Kind.DATE, date_format="%Y-%m-%d")
    dist = column_distribution(pd.Series(["1970-01-01"] * 5 + ["1970-01-03"] * 5),
                               pd.Series(["1970-01-02"]), spec, bins=2)
    assert dist.dates and dist.edges[0] == 0 and dist.edges[-1] == 2 * 86400


def test_sparkline_and_correlations():
    assert len(sparkline(pd.Series(range(100)), ColumnSpec("n", Kind.INTEGER), bins=12)) == 12
    assert len(sparkline(pd.Series(["a"] * 3), ColumnSpec("n", Kind.CONSTANT))) == 0
    real = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 4, 6, 8], "c": list("wxyz")})
    synth = pd.DataFrame({"a": [1, 2, 3, 4], "b": [8, 6, 4, 2], "c": list("wxyz")})
    specs = [ColumnSpec("a", Kind.INTEGER), ColumnSpec("b", Kind.INTEGER),
             ColumnSpec("c", Kind.CATEGORY)]
    names, r, s, d = correlation_matrices(real, synth, specs)
    assert names == ["a", "b"]
    assert np.isclose(r[0, 1], 1) and np.isclose(s[0, 1], -1) and np.isclose(d[0, 1], -2)


def test_quality_in_words():
    assert quality_in_words(0.95).startswith("Excellent")
    assert quality_in_words(0.5).startswith("Poor")
    assert quality_in_words(None) == "Not scored"
