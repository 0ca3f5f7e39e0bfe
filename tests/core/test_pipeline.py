"""The whole job, file to file, as the CLI and the wizard run it."""

import hashlib

import pandas as pd
import pytest

from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.pipeline import load_table, run_job, run_training
from synthdesk.core.progress import CancelToken
from synthdesk.errors import Cancelled, InvalidChoice
from synthdesk.io import read_table
from synthdesk.schema import Action, profile_columns


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_run_training_in_process(small_frame):
    events = []
    result = run_training(small_frame, profile_columns(small_frame), TrainingPlan(rows=40),
                          progress=lambda f, m: events.append((f, m)))
    assert result.synthetic.shape == (40, 5)
    stages = [m for _, m in events]
    assert stages[:2] == ["Starting", "Checking the table"] and "Training finished" in stages
    fractions = [f for f, _ in events]
    assert fractions == sorted(fractions)
    assert 0 <= result.exact_copies <= 1
    assert result.fit_s > 0 and result.sample_s > 0


def test_output_keeps_the_input_columns_order_and_formats(small_frame):
    result = run_training(small_frame, profile_columns(small_frame), TrainingPlan())
    synthetic = result.synthetic
    assert list(synthetic.columns) == list(small_frame.columns)
    assert pd.api.types.is_integer_dtype(synthetic["age"])
    parsed = pd.to_datetime(synthetic["joined"], format="%Y-%m-%d", errors="coerce")
    assert parsed.notna().all()


def test_job_writes_csv_and_report_and_leaves_input_alone(penguins, tmp_path):
    before = digest(penguins)
    out, report = tmp_path / "synthetic.csv", tmp_path / "report.json"
    result = run_job(Job(input=penguins, output=out, report=report, plan=TrainingPlan(seed=3)))
    assert digest(penguins) == before
    written = pd.read_csv(out)
    assert list(written.columns) == list(pd.read_csv(penguins).columns)
    assert len(written) == 80
    data = result.report
    assert data["input"] == {"file": "penguins.csv", "rows": 80, "columns": 17,
                             "source": data["input"]["source"]}
    # Nothing chosen: SynthDesk chooses, and 80 rows are too few for decision trees.
    assert data["output"]["rows"] == 80 and data["generator"] == "gaussian_copula"
    assert "too few rows" in data["generator_reason"]
    assert data["seed"] == 3
    assert set(data["timing"]) >= {"read_s", "fit_s", "sample_s", "total_s"}
    assert set(data["quality"]) >= {"overall", "column_shapes", "column_pair_trends"}
    assert 0 <= data["privacy"]["exact_copies"] <= 1
    assert report.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["penguins.csv", "report.json",
                                                         "synthetic.csv"]


def test_job_writes_excel(data_dir, tmp_path):
    out = tmp_path / "synthetic.xlsx"
    run_job(Job(input=data_dir / "two_sheets.xlsx", sheet="Villes", output=out,
                plan=TrainingPlan(rows=12)), isolated=False)
    written = pd.read_excel(out)
    assert list(written.columns) == ["Ville", "Âge", "Région"]
    assert len(written) == 12


def test_sensitive_values_never_reach_the_output(data_dir, tmp_path):
    out = tmp_path / "synthetic.csv"
    run_job(Job(input=data_dir / "la_riots.csv", output=out, plan=TrainingPlan(rows=200)),
            isolated=False)
    real = read_table(data_dir / "la_riots.csv").data
    written = pd.read_csv(out)
    for column in ("address",):
        assert not set(written[column]) & set(real[column]), column
    # Fake names are drawn from Faker's lists, which share common names with real people;
    # what matters is that they are not the real people's full names.
    real_people = set(zip(real["first_name"], real["last_name"], strict=True))
    fake_people = set(zip(written["first_name"], written["last_name"], strict=True))
    assert not real_people & fake_people


def test_dropped_columns_are_left_out(small_frame):
    specs = profile_columns(small_frame)
    specs[2] = specs[2].with_changes(action=Action.DROP)
    result = run_training(small_frame, specs, TrainingPlan(rows=10))
    assert "segment" not in result.synthetic.columns


def test_output_may_not_overwrite_the_input(penguins):
    before = digest(penguins)
    with pytest.raises(InvalidChoice, match="is the input file"):
        run_job(Job(input=penguins, output=penguins))
    assert digest(penguins) == before


@pytest.mark.parametrize(
    ("name", "message"), [("out.parquet", "writes .csv and .xlsx"), ("no/such/dir/out.csv", "does not exist")]
)
def test_bad_output_paths_are_refused_before_work(penguins, tmp_path, name, message):
    with pytest.raises(InvalidChoice, match=message):
        run_job(Job(input=penguins, output=tmp_path / name))


def test_unknown_column_in_choices_is_refused(penguins, tmp_path):
    _, specs = load_table(penguins)
    specs[0] = specs[0].with_changes(name="no such column")
    with pytest.raises(InvalidChoice, match="no column named 'no such column'"):
        run_job(Job(input=penguins, output=tmp_path / "o.csv", columns=tuple(specs)),
                isolated=False)


def test_cancel_before_training_stops_the_job(penguins, tmp_path):
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        run_job(Job(input=penguins, output=tmp_path / "o.csv"), cancel=cancel)
    assert not (tmp_path / "o.csv").exists()


def test_choose_for_me_is_the_default():
    assert TrainingPlan().generator == "auto"
    assert Job(input="in.csv", output="out.csv").plan.generator == "auto"


def test_auto_chooses_a_generator_and_says_why(small_frame):
    result = run_training(small_frame, profile_columns(small_frame), TrainingPlan(generator="auto"))
    assert result.generator == "gaussian_copula"
    assert "rows" in result.generator_reason
    bigger = pd.concat([small_frame] * 4, ignore_index=True)
    result = run_training(bigger, profile_columns(bigger), TrainingPlan(generator="auto"))
    assert result.generator == "cart"
    assert result.generator_reason.startswith("Decision trees")
