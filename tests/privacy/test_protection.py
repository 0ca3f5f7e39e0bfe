import pandas as pd

from synthdesk.privacy import (
    RARE_LABEL,
    Protection,
    count_leaks,
    protect_training_rows,
    replace_copies,
)
from synthdesk.schema import Action, ColumnSpec, Kind


def learned(name, kind):
    return ColumnSpec(name=name, kind=kind)


def test_rare_categories_are_hidden_before_learning():
    frame = pd.DataFrame({"city": ["Paris"] * 10 + ["Lyon"] * 6 + ["Tulle"] * 2 + ["Bort"]})
    out, report = protect_training_rows(frame, [learned("city", Kind.CATEGORY)])
    assert set(out["city"]) == {"Paris", "Lyon", RARE_LABEL}
    assert (out["city"] == RARE_LABEL).sum() == 3
    assert report.rare_categories == {"city": 2} and report.rare_categories_protected == 2


def test_a_lone_extreme_cannot_be_learned():
    salaries = [40_000 + 1000 * i for i in range(40)] + [9_000_000]
    frame = pd.DataFrame({"salary": salaries})
    out, report = protect_training_rows(frame, [learned("salary", Kind.INTEGER)])
    assert out["salary"].max() < 9_000_000
    assert out["salary"].max() == sorted(salaries)[-5]  # at least five real rows share the top
    assert report.clipped_columns == {"salary": 8}  # the four most extreme at each end


def test_replaced_and_consistent_columns_are_not_touched():
    frame = pd.DataFrame({"name": ["Zoe", "Al"] + ["Bo"] * 20})
    specs = [ColumnSpec("name", Kind.CATEGORY, action=Action.CONSISTENT)]
    out, report = protect_training_rows(frame, specs)
    assert out.equals(frame) and report.rare_categories_protected == 0


def test_rows_copying_a_real_row_are_replaced():
    real = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    synthetic = pd.DataFrame({"a": [1, 5, 3, 6], "b": ["x", "q", "z", "r"]})
    fresh = iter([pd.DataFrame({"a": [7, 2], "b": ["s", "y"]}), pd.DataFrame({"a": [8], "b": ["t"]})])
    report = Protection()
    out = replace_copies(synthetic, real, ["a", "b"], lambda n, attempt: next(fresh), report)
    assert len(out) == 4
    assert not out.merge(real).shape[0]
    assert report.copies_replaced == 3 and report.copies_removed == 0


def test_copies_that_keep_coming_back_are_removed():
    real = pd.DataFrame({"a": [1]})
    report = Protection()
    out = replace_copies(pd.DataFrame({"a": [1, 2]}), real, ["a"],
                         lambda n, attempt: pd.DataFrame({"a": [1] * n}), report)
    assert out["a"].tolist() == [2]
    assert report.copies_removed == 1


def test_leak_count_finds_real_values_of_protected_columns():
    real = pd.DataFrame({"email": ["ann@x.org", "bob@x.org", "cy@x.org", "di@x.org", "ed@x.org",
                                   "flo@x.org"],
                         "login": ["ann@x.org", "bob@x.org", "cy@x.org", "di@x.org", "ed@x.org",
                                   "flo@x.org"],
                         "race": ["White", "Black", "White", "Asian", "White", "Black"],
                         "last": ["White", "Ng", "Okafor", "Smith", "Lee", "Diaz"]})
    specs = [ColumnSpec("email", Kind.CATEGORY, sensitive=True, action=Action.FAKE),
             ColumnSpec("login", Kind.CATEGORY),
             ColumnSpec("race", Kind.CATEGORY),
             ColumnSpec("last", Kind.CATEGORY, sensitive=True, action=Action.FAKE)]
    output = pd.DataFrame({"email": ["new@y.org", "ANN@x.org "], "login": ["bob@x.org", "zz"],
                           "race": ["White", "Black"], "last": ["Lopez", "Ng"]})
    # email cell (case and spaces ignored) + login mirrors email + last name "Ng"; race is not a leak
    assert count_leaks(real, output, specs) == 3


def test_error_texts_are_scrubbed_of_sensitive_values():
    from synthdesk.privacy.leaks import scrub

    real = pd.DataFrame({"name": ["Ann Lee", "Bob Ng"], "city": ["Paris", "Lyon"]})
    specs = [ColumnSpec("name", Kind.CATEGORY, sensitive=True, action=Action.FAKE),
             ColumnSpec("city", Kind.CATEGORY)]
    text = "ValueError: could not convert 'Ann Lee' (row 3, Paris)"
    assert scrub(text, real, specs) == "ValueError: could not convert '<hidden>' (row 3, Paris)"


def test_a_crash_in_training_never_shows_a_sensitive_value(data_dir):
    from synthdesk.core.job import TrainingPlan
    from synthdesk.core.pipeline import run_training_isolated
    from synthdesk.errors import TrainingFailed
    from synthdesk.io import read_table
    from synthdesk.schema import profile_columns

    data = read_table(data_dir / "la_riots.csv").data
    plan = TrainingPlan(generator="tests.fakes:QuotingSynthesizer")
    try:
        run_training_isolated(data, profile_columns(data), plan)
    except TrainingFailed as exc:
        shown = exc.message + exc.details
    assert "<hidden>" in shown
    for value in data["last_name"].dropna():
        assert str(value) not in shown
