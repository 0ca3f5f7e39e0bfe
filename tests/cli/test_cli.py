"""The command line as other tools call it: exit codes, JSON, one-line errors."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).parents[2]


def synthdesk(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "synthdesk", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, **kwargs)


def test_inspect_prints_the_contract(data_dir):
    out = synthdesk("inspect", data_dir / "la_riots.csv")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert payload["rows"] == 63
    columns = {c["name"]: c for c in payload["columns"]}
    assert list(columns)[:3] == ["first_name", "last_name", "age"]
    assert set(columns["age"]) >= {"name", "kind", "missing", "sensitive", "reason"}
    assert columns["age"]["kind"] == "integer"
    assert columns["first_name"]["sensitive"] is True
    assert columns["first_name"]["reason"]


def test_inspect_reads_a_chosen_sheet(data_dir):
    out = synthdesk("inspect", data_dir / "two_sheets.xlsx", "--sheet", "Villes")
    assert out.returncode == 0, out.stderr
    assert [c["name"] for c in json.loads(out.stdout)["columns"]] == ["Ville", "Âge", "Région"]


def test_run_writes_output_and_report(penguins, tmp_path):
    out, report = tmp_path / "synthetic.xlsx", tmp_path / "report.json"
    result = synthdesk("run", penguins, "-o", out, "--rows", 50, "--seed", 4, "--report", report)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert len(pd.read_excel(out)) == 50
    data = json.loads(report.read_text())
    assert data["output"]["rows"] == 50 and data["seed"] == 4
    # No --generator: SynthDesk chooses (80 rows are too few for trees) and says why.
    assert data["generator"] == "gaussian_copula" and "too few rows" in data["generator_reason"]
    assert result.stderr.strip().splitlines()[-1].startswith("Wrote 50 synthetic rows")


def test_choose_for_me_is_the_default_generator():
    from synthdesk.cli.main import build_parser

    args = build_parser().parse_args(["run", "in.csv", "-o", "out.csv"])
    assert args.generator == "auto"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "missing.csv", "-o", "{tmp}/o.csv"], "missing.csv does not exist."),
        (["run", "{data}/empty.csv", "-o", "{tmp}/o.csv"], "empty.csv is empty."),
        (["run", "{data}/not_a_workbook.xlsx", "-o", "{tmp}/o.csv"], "could not be opened as an Excel"),
        (["run", "{data}/two_sheets.xlsx", "--sheet", "Nope", "-o", "{tmp}/o.csv"], "no sheet named"),
        (["run", "{data}/penguins_80.csv", "-o", "{tmp}/o.txt"], "writes .csv and .xlsx"),
        (["run", "{data}/penguins_80.csv", "-o", "{data}/penguins_80.csv"], "is the input file"),
        (["run", "{data}/penguins_80.csv", "-o", "{tmp}/o.csv", "--generator", "magic"], "invalid choice"),
        (["run", "{data}/penguins_80.csv", "-o", "{tmp}/o.csv", "--rows", "0"], "must be 1 or more"),
        (["run", "{data}/penguins_80.csv", "-o", "{tmp}/o.csv", "--epochs", "x"], "not a whole number"),
        (["run", "{data}/penguins_80.csv"], "required: -o/--output"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_user_errors_exit_2_with_one_plain_line(data_dir, tmp_path, args, message):
    args = [a.format(data=data_dir, tmp=tmp_path) for a in args]
    result = synthdesk(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("synthdesk: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.slow
def test_ctrl_c_exits_cleanly_and_stops_training(penguins, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "synthdesk", "run", str(penguins), "-o", str(tmp_path / "o.csv"),
         "--generator", "ctgan", "--epochs", "100000", "--progress"],
        stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True,
        # A suite started in the background by a non-interactive shell ignores SIGINT, and
        # children inherit that; a terminal's job would not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    for line in proc.stderr:
        if "Epoch" in line:
            break
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the whole job on Ctrl-C
    try:
        _, rest = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        left = subprocess.run(["ps", "-o", "pid,ppid,stat,etime,args", "-g", str(proc.pid)],
                              capture_output=True, text=True).stdout
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"60 s after Ctrl-C the command's output was still open; left:\n{left}")
    assert proc.wait(timeout=10) == 130
    assert rest.strip().splitlines()[-1] == "Cancelled."
    assert "Traceback" not in rest
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and _group_alive(proc.pid):
        time.sleep(0.1)
    assert not _group_alive(proc.pid), "a training process outlived the command"
    assert not (tmp_path / "o.csv").exists()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
