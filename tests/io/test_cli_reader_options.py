"""The reader's overrides on the command line, and what ``inspect`` says it understood."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def synthdesk(*args):
    return subprocess.run([sys.executable, "-m", "synthdesk", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_inspect_shows_how_the_file_was_read(data_dir):
    out = synthdesk("inspect", data_dir / "messy_export.csv")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    source = payload["source"]
    assert source["encoding"] == "utf-8" and source["delimiter"] == ","
    assert source["header_row"] == 4 and source["sheet"] is None
    assert "?" in source["missing_markers"]
    kinds = {c["name"]: (c["kind"], c["evidence"]) for c in payload["columns"]}
    assert kinds["zip"] == ("category", "codes with leading zeros, kept as text")
    assert kinds["opened"][0] == "date" and "01/31/2024" in kinds["opened"][1]


def test_inspect_overrides_reach_the_reader(data_dir):
    out = synthdesk("inspect", data_dir / "latin1_semicolon.csv", "--encoding", "latin-1",
                    "--delimiter", "semicolon", "--header-row", "1", "--decimal", ",")
    assert out.returncode == 0, out.stderr
    source = json.loads(out.stdout)["source"]
    assert source["encoding"] == "iso8859-1" and source["delimiter"] == ";"
    assert source["header_row"] == 1 and source["decimal"] == ","


def test_inspect_names_the_sheet_and_header_row_of_a_workbook(data_dir):
    out = synthdesk("inspect", data_dir / "report_layout.xlsx")
    assert out.returncode == 0, out.stderr
    source = json.loads(out.stdout)["source"]
    assert source["sheet"] == "Report" and source["header_row"] == 4
    assert source["format"] == "xlsx" and source["encoding"] is None


@pytest.mark.parametrize(("args", "message"), [
    (["--header-row", "-1"], "must be 0 (no header) or more"),
    (["--delimiter", ";;"], "is not one character"),
    (["--decimal", "x"], "invalid choice"),
    (["--encoding", "klingon"], "not a text encoding"),
])
def test_bad_reader_options_exit_2_with_one_line(data_dir, args, message):
    out = synthdesk("inspect", data_dir / "penguins_80.csv", *args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], out.stderr


@pytest.mark.parametrize("name", ["password.xlsx", "truncated.xlsx", "image_renamed.csv",
                                  "header_only.csv"])
def test_bad_files_exit_2_with_one_line_and_no_output(data_dir, tmp_path, name):
    out = synthdesk("run", data_dir / name, "-o", tmp_path / "out.csv")
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_job_keeps_the_reader_overrides(data_dir, tmp_path):
    from synthdesk.core.job import Job
    from synthdesk.core.pipeline import load_table
    from synthdesk.io import ReadOptions

    job = Job(input=data_dir / "no_header.csv", output=tmp_path / "o.csv",
              read=ReadOptions(header_row=0))
    table, specs = load_table(job.input, job.sheet, job.read)
    assert table.source.options == job.read and len(table.data) == 8
