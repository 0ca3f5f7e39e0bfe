"""A text table larger than reading may take is read as a sample, and a job trains on it."""

import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthdesk.io.budget import BUDGET_VARIABLE, READ_MEMORY_BUDGET, read_memory_budget
from synthdesk.io.readers import read_table

SHARED = Path(__file__).resolve().parents[3] / "shared" / "datasets"


@pytest.fixture
def loans(tmp_path) -> Path:
    """12,000 loans (drawn from the Lending Club table): about 1.3 MB of text."""
    frame = pd.read_csv(SHARED / "modeldata_lending_club.csv")
    path = tmp_path / "loans.csv"
    frame.sample(12_000, replace=True, random_state=0).to_csv(path, index=False)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _left_in_temp() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("synthdesk-sample*")}


def test_the_budget_is_set_by_its_variable(monkeypatch):
    monkeypatch.delenv(BUDGET_VARIABLE, raising=False)
    assert read_memory_budget() == READ_MEMORY_BUDGET
    monkeypatch.setenv(BUDGET_VARIABLE, "0.5")
    assert read_memory_budget() == 512 << 10
    monkeypatch.setenv(BUDGET_VARIABLE, "lots")
    assert read_memory_budget() == READ_MEMORY_BUDGET


def test_a_file_within_the_budget_is_read_whole(loans, monkeypatch):
    monkeypatch.delenv(BUDGET_VARIABLE, raising=False)
    table = read_table(loans)
    assert len(table.data) == 12_000 and table.source.rows_in_file is None


def test_a_file_over_the_budget_is_read_as_a_stratified_sample(loans, monkeypatch):
    monkeypatch.setenv(BUDGET_VARIABLE, "1")  # about a third of the file fits
    whole = pd.read_csv(loans)
    before, leftovers = _digest(loans), _left_in_temp()
    table = read_table(loans, sample_by="Class", seed=4)
    sample = table.data
    assert table.source.rows_in_file == 12_000
    assert 1_500 < len(sample) < 6_000
    # Each value of the target keeps its share (to the row), the rare one included.
    expected = whole["Class"].value_counts() * len(sample) / len(whole)
    assert (sample["Class"].value_counts() - expected).abs().max() <= 1
    # Columns are typed and cleaned as a whole read types them; the rows are real rows.
    assert dict(sample.dtypes) == dict(whole.dtypes)
    merged = sample.merge(whole.drop_duplicates(), how="left", indicator=True)
    assert (merged["_merge"] == "both").all()
    assert any("a random sample of" in n and "12,000" in n and "Class" in n
               for n in table.source.notices)
    assert _digest(loans) == before and _left_in_temp() == leftovers
    # The same seed, the same rows; another seed, others.
    again = read_table(loans, sample_by="Class", seed=4).data
    assert again.equals(sample)
    assert not read_table(loans, sample_by="Class", seed=5).data.equals(sample)


def test_without_a_target_the_sample_is_of_all_rows_alike(loans, monkeypatch):
    monkeypatch.setenv(BUDGET_VARIABLE, "1")
    table = read_table(loans, sample_by="annual_inc")  # too many values to be groups
    notice = next(n for n in table.source.notices if "random sample" in n)
    assert "keeping its share" not in notice
    assert table.source.rows_in_file == 12_000 and len(table.data) < 6_000
    whole = pd.read_csv(loans)
    assert abs(table.data["term"].eq(whole["term"].iloc[0]).mean()
               - whole["term"].eq(whole["term"].iloc[0]).mean()) < 0.05


def test_a_job_trains_on_the_sample_and_writes_as_many_rows_as_the_file(loans, tmp_path,
                                                                      monkeypatch):
    from synthdesk.core import spill
    from synthdesk.core.job import Job, TrainingPlan
    from synthdesk.core.pipeline import run_job

    monkeypatch.setenv(BUDGET_VARIABLE, "1")
    monkeypatch.setattr(spill, "CHUNK_ROWS", 5_000)  # the output in chunks
    before = _digest(loans)
    output, report = tmp_path / "out.csv", tmp_path / "report.json"
    job = Job(input=loans, output=output, report=report,
              plan=TrainingPlan(generator="cart", target="Class", seed=1))
    result = run_job(job, isolated=False)
    read_rows = len(result.table.data)
    written = pd.read_csv(output)
    assert len(written) == 12_000 and list(written.columns) == list(result.table.data.columns)
    data = json.loads(report.read_text())
    assert data["input"]["rows"] == read_rows and data["input"]["rows_in_file"] == 12_000
    assert data["input"]["sample"].startswith(f"Trained on a sample of {read_rows:,} of "
                                              "12,000 rows")
    assert data["output"]["rows"] == 12_000 and data["output"]["scored_rows"] == 5_000
    assert data["estimate"]["output_rows"] == 12_000
    assert data["estimate"] == result.training.estimate.to_dict()
    assert _digest(loans) == before
    # The HTML report says it too.
    from synthdesk.core.pipeline import write_report

    html = tmp_path / "report.html"
    write_report(result.report, html, result.table.data, result.training.synthetic,
                 result.columns)
    assert f"Trained on a sample of {read_rows:,} of 12,000 rows" in html.read_text()
    assert np.isfinite(data["quality"]["overall"])
