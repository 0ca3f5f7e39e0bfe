"""Choosing the subject from the command line, and seeing the detected one in inspect."""

import json

import pytest

from synthdesk.cli.main import main
from tests.privacy.test_subjects import SHARED, salaries_with_people


@pytest.mark.skipif(not SHARED.exists(), reason="shared datasets not beside checkout")
def test_inspect_reports_the_subject(tmp_path, capsys):
    path = tmp_path / "salaries.csv"
    salaries_with_people(players=60).to_csv(path, index=False)
    assert main(["inspect", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["subject"] == "playerID"


def test_run_refuses_a_subject_the_table_does_not_have(tmp_path, capsys, data_dir):
    out = tmp_path / "out.csv"
    code = main(["run", str(data_dir / "la_riots.csv"), "-o", str(out), "--subject", "nope",
                 "--quiet"])
    assert code == 2 and not out.exists()
    assert "no column named 'nope'" in capsys.readouterr().err


def test_subject_none_means_one_row_per_person():
    from synthdesk.cli.main import _subject, build_parser

    args = build_parser().parse_args(["run", "x.csv", "-o", "y.csv", "--subject", "none"])
    assert _subject(args.subject) == "" and _subject(None) is None
    assert _subject("customer_id") == "customer_id"
