"""The HTML report: one file, nothing fetched, no real value of a sensitive column."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.pipeline import run_job
from synthdesk.io import read_table

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def riots_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    data = ROOT / "tests" / "data" / "la_riots.csv"
    report = folder / "report.html"
    run_job(Job(input=data, output=folder / "synthetic.csv", report=report,
                plan=TrainingPlan(rows=300, holdout=0.2, target="gender")), isolated=False)
    return report.read_text(encoding="utf-8"), read_table(data).data


def test_report_is_self_contained(riots_report):
    text, _ = riots_report
    assert text.startswith("<!doctype html>")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", text)
    assert "@import" not in text and "url(http" not in text
    assert text.count("Plotly.newPlot") >= 4  # distributions and heatmaps


def test_report_says_the_verdict_scores_and_settings(riots_report):
    text, _ = riots_report
    for phrase in ("Faithful:", "Safe to share:", "Discriminator AUC", "DCR share",
                   "Predicting gender", "Relations between columns", "How the verdict"):
        assert phrase in text, phrase


def test_report_holds_no_real_value_of_a_sensitive_column(riots_report):
    text, real = riots_report
    for column in ("first_name", "last_name", "address"):
        for value in real[column].dropna().unique():
            assert f">{value}<" not in text and f'"{value}"' not in text, column


def test_cli_writes_html_or_json_by_extension(tmp_path):
    data = ROOT / "tests" / "data" / "penguins_80.csv"
    for name in ("r.html", "r.json"):
        result = subprocess.run([sys.executable, "-m", "synthdesk", "run", str(data), "-o",
                                 str(tmp_path / "o.csv"), "--report", str(tmp_path / name),
                                 "--holdout", "0.25", "--target", "Species"],
                                capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert result.returncode == 0, result.stderr
    payload = json.loads((tmp_path / "r.json").read_text())
    assert set(payload["quality"]) >= {"overall", "column_shapes", "column_pair_trends",
                                       "discriminator_auc", "per_column"}
    assert set(payload["privacy"]) >= {"dcr_share", "nndr", "exact_copies",
                                       "sensitive_values_leaked", "holdout_rows"}
    assert payload["privacy"]["holdout_rows"] == 20
    assert payload["utility"]["target"] == "Species" and payload["utility"]["metric"] == "auc"
    assert payload["verdict"]["faithful"] in ("high", "medium", "low")
    assert payload["verdict"]["safe"] in ("yes", "review")
    assert (tmp_path / "r.html").read_text().startswith("<!doctype html>")


def test_a_target_needs_rows_set_aside(tmp_path):
    data = ROOT / "tests" / "data" / "penguins_80.csv"
    result = subprocess.run([sys.executable, "-m", "synthdesk", "run", str(data), "-o",
                             str(tmp_path / "o.csv"), "--target", "Species"],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 2
    assert "needs real rows set aside" in result.stderr


def test_sampling_is_stated_only_when_a_score_used_a_sample():
    from synthdesk.evaluation.summary import sampling_note

    assert sampling_note(44, 63) == ""
    note = sampling_note(8_000, 8_000)
    assert "distances on 5,000" in note and "quality" not in note
    assert "quality on 20,000" in sampling_note(400_000, 10)
