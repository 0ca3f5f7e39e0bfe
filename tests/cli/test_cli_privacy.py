"""Sensitive columns from the command line: what inspect says, and the overrides of run."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).parents[2]


def synthdesk(*args):
    return subprocess.run([sys.executable, "-m", "synthdesk", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_inspect_shows_detection_reason_and_treatment(data_dir):
    out = synthdesk("inspect", data_dir / "la_riots.csv")
    columns = {c["name"]: c for c in json.loads(out.stdout)["columns"]}
    assert columns["address"]["sensitive"] and columns["address"]["treatment"] == "fake"
    assert "street addresses" in columns["address"]["reason"]
    assert columns["age"]["quasi_identifier"] and not columns["age"]["sensitive"]
    assert columns["longitude"]["reason"] == "" and columns["longitude"]["treatment"] == "synthesize"


def test_run_applies_overrides_and_reports_treatments(data_dir, tmp_path):
    out, report = tmp_path / "o.csv", tmp_path / "r.json"
    result = synthdesk("run", data_dir / "la_riots.csv", "-o", out, "--report", report,
                       "--treat", "first_name=consistent", "--treat", "type=drop",
                       "--sensitive", "neighborhood", "--not-sensitive", "last_name")
    assert result.returncode == 0, result.stderr
    privacy = json.loads(report.read_text())["privacy"]
    assert privacy["sensitive_values_leaked"] == 0
    assert privacy["treatments"]["first_name"] == "consistent"
    assert privacy["treatments"]["neighborhood"] == "fake"
    # Not sensitive, but each last name is held by fewer than 5 people: it cannot be
    # learned, so it is replaced with made-up values, and the report says why.
    assert privacy["treatments"]["last_name"] == "fake"
    assert "fewer than 5" in privacy["columns_replaced_unlearnable"]["last_name"]
    written = pd.read_csv(out)
    real = pd.read_csv(data_dir / "la_riots.csv")
    assert "type" not in written.columns
    assert not set(written["neighborhood"]) & set(real["neighborhood"])
    assert not set(written["first_name"]) & set(real["first_name"])


def test_bad_overrides_exit_2_with_one_line(data_dir, tmp_path):
    for args, message in (
        (["--treat", "nope=fake"], "no column named 'nope'"),
        (["--treat", "age=blur"], "'blur' is not a treatment"),
        (["--treat", "age"], "write COLUMN=TREATMENT"),
        (["--sensitive", "age", "--not-sensitive", "age"], "both sensitive and not sensitive"),
    ):
        result = synthdesk("run", data_dir / "la_riots.csv", "-o", tmp_path / "o.csv", *args)
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [result.stderr.strip()]
        assert message in result.stderr
    assert not (tmp_path / "o.csv").exists()


def test_a_corrected_kind_is_kept_in_the_job_and_report(data_dir, tmp_path):
    report = tmp_path / "r.json"
    result = synthdesk("run", data_dir / "penguins_80.csv", "-o", tmp_path / "o.csv",
                       "--report", report, "--kind", "Sample Number=category")
    assert result.returncode == 0, result.stderr
    columns = {c["name"]: c for c in json.loads(report.read_text())["columns"]}
    assert columns["Sample Number"]["kind"] == "category"
    assert "chosen by you" in columns["Sample Number"]["evidence"]
    refused = synthdesk("run", data_dir / "penguins_80.csv", "-o", tmp_path / "o.csv",
                        "--kind", "Species=decimal")
    assert refused.returncode == 2 and "cannot be decimal" in refused.stderr
