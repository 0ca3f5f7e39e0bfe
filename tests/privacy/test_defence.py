"""Privacy that holds when detection misses, through the real pipeline on real tables.

The repeated-subject table is the Lahman baseball salaries (one row per player and
season) with each player's real name and birthplace on every row, as an invoices table
carries its customer's address: every value of a player sits on several rows, so
counting rows would call it common.
"""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.pipeline import run_job, run_training, split_holdout
from synthdesk.evaluation.html_report import render_html
from synthdesk.evaluation.privacy import copied_rows
from synthdesk.privacy import RARE_LABEL
from synthdesk.privacy.fakes import normalise
from synthdesk.schema import profile_columns
from synthdesk.schema.overrides import ColumnOverrides, apply_overrides
from synthdesk.schema.rarity import MIN_SUBJECTS, holders
from tests.privacy.test_subjects import SHARED, salaries_with_people

needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="shared datasets not beside checkout")


def rare_of(table: pd.DataFrame, column: str, subject: str = "playerID") -> set[str]:
    """Values of ``column`` held by fewer than k distinct people, as compared for leaks."""
    counts = holders(table[column], table[subject])
    return normalise(counts[counts < MIN_SUBJECTS].index)


def written_cells(path: Path) -> set[str]:
    written = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return set().union(*(normalise(written[c].dropna().unique()) for c in written.columns))


@pytest.fixture(scope="module")
def invoices(tmp_path_factory):
    """The salaries table run with the default job; last names NOT flagged (forced)."""
    folder = tmp_path_factory.mktemp("invoices")
    table = salaries_with_people(players=120)
    source = folder / "salaries.csv"
    table.to_csv(source, index=False)
    job = Job(input=source, output=folder / "synthetic.csv", report=folder / "report.html",
              overrides=ColumnOverrides(not_sensitive=("nameLast",)), plan=TrainingPlan())
    result = run_job(job, isolated=False)
    return table, result, job


@needs_shared
def test_repeated_subject_table_leaks_no_birthplace_of_few_people(invoices):
    table, result, job = invoices
    assert result.report["privacy"]["subject"] == "playerID"
    spec = {s.name: s for s in result.columns}["birthCity"]
    assert not spec.sensitive  # detection did not flag it: protection must not need it to
    cells = written_cells(job.output)
    rare_places = rare_of(table, "birthCity") | rare_of(table, "birthState")
    # Alabama's "AL" is also the American League, held by most players: not rare there.
    common = set().union(*(normalise(c for c, n in holders(table[col], table["playerID"])
                                      .items() if n >= MIN_SUBJECTS) for col in table.columns))
    rare_places -= common
    assert "al" not in rare_places
    rows_per_city = table["birthCity"].value_counts()
    # The case the row count missed: places of one or two players, on five rows or more.
    assert {c.casefold() for c in rows_per_city[rows_per_city >= 5].index} & rare_places
    assert cells & rare_places == set()
    assert cells & normalise(table["playerID"].unique()) == set()


@needs_shared
def test_a_missed_name_column_is_still_not_copied(invoices):
    table, result, job = invoices
    assert not {s.name: s for s in result.columns}["nameLast"].sensitive
    written = pd.read_csv(job.output, dtype=str)
    rare_names = rare_of(table, "nameLast") | rare_of(table, "nameFirst")
    assert len(rare_names) > 100
    assert written_cells(job.output) & rare_names == set()
    # Not silently "(other)" on every row: replaced with made-up values, and said why.
    assert (written["nameLast"] == RARE_LABEL).mean() < 0.5
    replaced = result.report["privacy"]["columns_replaced_unlearnable"]
    assert "nameLast" in replaced and "fewer than 5 people" in replaced["nameLast"]
    treatment = {c["name"]: c for c in result.report["columns"]}["nameLast"]
    assert treatment["treatment"] == "fake" and treatment["reason"] == replaced["nameLast"]


@needs_shared
def test_a_made_up_person_keeps_one_made_up_name_on_all_their_rows(invoices):
    table, result, job = invoices
    written = pd.read_csv(job.output, dtype=str)
    # The real table has one name per player; a synthetic player has one fake name too.
    assert (table.groupby("playerID")["nameFirst"].nunique() <= 1).all()  # noqa: PD101
    per_person = written.groupby("playerID")[["nameFirst", "nameLast"]].nunique()
    several = written["playerID"].map(written["playerID"].value_counts()) > 1
    assert several.sum() > len(written) / 2  # people still have several rows each
    assert (per_person <= 1).all().all()
    assert written["nameLast"].nunique() > 20  # ...and different people differ


@needs_shared
def test_distances_to_the_holdout_count_people(tmp_path):
    table = salaries_with_people(players=150, seed=2)
    specs = profile_columns(table)
    result = run_training(table, specs, TrainingPlan(holdout=0.3, seed=4))
    distances = result.evidence.distances
    synthetic_people = result.synthetic["playerID"].nunique()
    assert result.protection.subject == "playerID"
    assert 20 < distances.subjects_compared <= synthetic_people
    assert distances.subjects_compared < distances.rows_compared  # people, not rows
    assert 0.3 < distances.dcr_share < 0.7


class _ReportText(HTMLParser):
    """Everything a reader of the report can see or a script can draw: text and figures.

    The plotly library itself (the first, embedded script) is left out: it is code, not
    data from the table.
    """

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        self.parts.extend(html.unescape(value or "") for _, value in attrs)

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and re.match(r"\s*/\*\*?\s*\*?\s*plotly\.js", data):
            return
        self.parts.append(data)


def report_text(path_or_text) -> str:
    text = path_or_text.read_text(encoding="utf-8") if isinstance(path_or_text, Path) \
        else path_or_text
    parser = _ReportText()
    parser.feed(text)
    joined = "\n".join(parser.parts)
    # Figures are JSON inside scripts: undo its escapes so that "Jos\u00e9" reads José.
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), joined)


def _found(value: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text) is not None


@needs_shared
def test_html_report_of_the_salaries_holds_no_rare_real_value(invoices):
    table, result, job = invoices
    text = report_text(job.report)
    assert "Privacy counts people by playerID" in text
    shown = []
    for column in ("playerID", "nameFirst", "nameLast", "birthCity", "birthState",
                   "birthCountry", "teamID"):
        counts = holders(table[column].astype(str), table["playerID"])
        for value in counts[counts < MIN_SUBJECTS].index:
            if len(value) >= 3 and _found(value, text):
                shown.append((column, value))
    assert shown == []


def test_html_report_plots_show_rare_values_only_as_a_group():
    people = [f"p{i}" for i in range(40)]
    real = pd.DataFrame({
        "customer_id": people * 3,
        "city": (["Springfield"] * 12 + ["Riverton"] * 10 + ["Oakdale"] * 10 +
                 ["Zanzibar Quay", "Port Lomond"] * 4) * 3,
        "amount": [float(10 + i) for i in range(120)],
    })
    specs = profile_columns(real)
    synthetic = real.sample(frac=1.0, random_state=1).reset_index(drop=True)
    report = {
        "input": {"file": "t.csv", "rows": 120, "source": {"format": "csv"}},
        "output": {"file": "s.csv", "rows": 120}, "generator": "gaussian_copula", "seed": 0,
        "synthdesk_version": "test", "epochs": None, "timing": {},
        "quality": {"per_column": {"city": 0.9, "amount": 0.8}},
        "privacy": {"holdout_rows": 0, "subject": "customer_id", "subjects": 40},
        "columns": [], "thresholds": {}, "verdict": None, "utility": None,
    }
    text = report_text(render_html(report, real, synthetic, specs))
    assert "(rare values)" in text and _found("Springfield", text)
    # Zanzibar Quay is on 12 rows, but of 4 customers only.
    assert not _found("Zanzibar Quay", text) and not _found("Port Lomond", text)


@needs_shared
def test_a_count_column_flagged_as_an_identifier_does_not_end_the_run():
    loans = pd.read_csv(SHARED / "modeldata_lending_club.csv").head(600)
    specs = apply_overrides(profile_columns(loans), ColumnOverrides(sensitive=("num_il_tl",)),
                            loans)
    result = run_training(loans, specs, TrainingPlan(generator="gaussian_copula"))
    assert len(result.synthetic) == 600 and result.sensitive_values_leaked == 0
    assert not set(result.synthetic["num_il_tl"]) & set(loans["num_il_tl"])


def test_every_privacy_figure_is_true_on_a_constructed_table():
    """Five rows per customer; three cities each of one customer (five rows each)."""
    customers = [f"C{i:03d}" for i in range(40)]
    cities = ["Springfield"] * 13 + ["Riverton"] * 12 + ["Oakdale"] * 12 + \
        ["Zanzibar Quay", "Port Lomond", "Little Snoring"]
    plans = ["gold", "silver"] * 20
    rows = [{"customer_id": c, "city": cities[i], "plan": plans[i],
             "amount": float(100 + 7 * i + 3 * visit)}
            for visit in range(5) for i, c in enumerate(customers)]
    data = pd.DataFrame(rows)
    specs = profile_columns(data)
    plan = TrainingPlan(generator="gaussian_copula", seed=4, holdout=0.25)
    result = run_training(data, specs, plan)
    protection = result.protection
    assert protection.subject == "customer_id"
    train, holdout = split_holdout(data, 0.25, 4, data["customer_id"])
    assert set(train["customer_id"]).isdisjoint(holdout["customer_id"])
    assert result.evidence.holdout_rows == len(holdout) == 50
    assert protection.subjects == train["customer_id"].nunique() == 30
    # Rare categories: counted in customers among the training rows, per column.
    expected = {}
    for column in ("city", "plan"):
        counts = holders(train[column], train["customer_id"])
        if (counts < MIN_SUBJECTS).any():
            expected[column] = int((counts < MIN_SUBJECTS).sum())
    assert protection.rare_categories == expected and expected["city"] >= 1
    assert protection.rare_categories_protected == sum(expected.values())
    # No rare real value is in any column of the output; the guard's count adds up.
    rare = set().union(*(rare_of(data, c, "customer_id") for c in ("city", "customer_id")))
    output = result.synthetic
    cells = set().union(*(normalise(output[c].dropna().unique()) for c in output.columns))
    assert cells & rare == set()
    assert protection.leak_guard_replaced == sum(protection.leak_guard.values())
    # Exact copies are measured on the output as written.
    learned = ["city", "plan", "amount"]
    assert result.exact_copies == round(float(copied_rows(train[learned],
                                                          output[learned]).mean()), 4)
    assert result.sensitive_values_leaked == 0
    assert "compared with the real values held by fewer than 5 people (counted by " \
        "customer_id)" in result.evidence.verdict.safe_why


def test_a_column_left_mostly_other_is_named_in_the_verdict():
    customers = [f"C{i:03d}" for i in range(60)]
    # 40% of customers have a city of their own (on all their rows), the rest share three.
    cities = [f"Town {i}" for i in range(24)] + ["Springfield", "Riverton", "Oakdale"] * 12
    data = pd.DataFrame([{"customer_id": c, "city": cities[i], "amount": float(i + visit)}
                         for visit in range(3) for i, c in enumerate(customers)])
    result = run_training(data, profile_columns(data),
                          TrainingPlan(generator="gaussian_copula"))
    assert result.protection.mostly_other == {"city": 0.4}
    assert "'(other)' in city (40% of rows)" in result.evidence.verdict.faithful_why



@needs_shared
def test_json_report_holds_no_extreme_or_rare_value(invoices):
    import json

    table, result, _ = invoices
    text = json.dumps(result.report, ensure_ascii=False)
    top = table["salary"].max()
    assert f"{top:g}" not in text and str(top) not in text
    salary = {c["name"]: c for c in result.report["columns"]}["salary"]
    assert salary["evidence"] == "whole numbers"
    for column in ("nameLast", "birthCity", "playerID"):
        counts = holders(table[column].astype(str), table["playerID"])
        assert not [v for v in counts[counts < MIN_SUBJECTS].index
                    if len(v) >= 3 and _found(v, text)]
