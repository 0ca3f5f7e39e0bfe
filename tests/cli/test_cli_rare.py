"""--rebalance and --condition on the command line."""

import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "resources" / "sample" / "penguins.csv"


def synthdesk(*args):
    return subprocess.run([sys.executable, "-m", "synthdesk", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_rebalance_and_condition_reach_the_output(tmp_path):
    out = tmp_path / "out.csv"
    done = synthdesk("run", SAMPLE, "-o", out, "--rows", 400, "--quiet",
                     "--rebalance", "Island", "--condition", "Body Mass (g)=3000..4500")
    assert done.returncode == 0, done.stderr
    written = pd.read_csv(out)
    shares = written["Island"].value_counts(normalize=True)
    assert len(shares) == 3 and (abs(shares - 1 / 3) <= 0.02).all()
    assert written["Body Mass (g)"].between(3000, 4500).all()


def test_bad_rebalance_or_condition_is_one_plain_line(tmp_path):
    out = tmp_path / "out.csv"
    for options in (("--rebalance", "Island=Atlantis:0.5"), ("--condition", "Island"),
                    ("--condition", "Body Mass (g)=9000..8000"),
                    ("--rebalance", "Island", "--rebalance", "Sex")):
        done = synthdesk("run", SAMPLE, "-o", out, "--quiet", *options)
        assert done.returncode == 2, (options, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert not out.exists()


def test_augment_writes_real_rows_and_marked_synthetic_rare_rows(tmp_path):
    out = tmp_path / "train.csv"
    done = synthdesk("run", SAMPLE, "-o", out, "--quiet", "--rows", 300,
                     "--rebalance", "Island=Torgersen:0.5", "--augment")
    assert done.returncode == 0, done.stderr
    written = pd.read_csv(out)
    real = pd.read_csv(SAMPLE)
    marks = written["synthdesk_row"].value_counts()
    assert marks["real"] == len(real)
    synthetic = written[written["synthdesk_row"] == "synthetic"]
    assert len(synthetic) == 150 and (synthetic["Island"] == "Torgersen").all()
    # Replaced columns (identifiers) are left out, so no real key is in the file.
    assert "Individual ID" not in written.columns
    refused = synthdesk("run", SAMPLE, "-o", tmp_path / "x.csv", "--quiet", "--augment")
    assert refused.returncode == 2 and "--rebalance" in refused.stderr


def test_sdv_generator_meets_conditions_or_says_the_condition_is_too_rare(tmp_path):
    out = tmp_path / "out.csv"
    done = synthdesk("run", SAMPLE, "-o", out, "--rows", 300, "--quiet",
                     "--generator", "gaussian_copula", "--rebalance", "Island",
                     "--condition", "Body Mass (g)=3000..4500")
    assert done.returncode == 0, done.stderr
    written = pd.read_csv(out)
    assert (written["Island"].value_counts() == 100).all()
    assert written["Body Mass (g)"].between(3000, 4500).all()
    out.unlink()
    done = synthdesk("run", SAMPLE, "-o", out, "--rows", 200, "--quiet",
                     "--generator", "gaussian_copula", "--condition", "Body Mass (g)=5900..")
    assert done.returncode == 2, done.stderr
    line, = done.stderr.strip().splitlines()
    assert "too rare for the Fast generator" in line and "decision trees" in line
    assert not out.exists()


def test_a_group_too_small_to_learn_is_warned_of_even_with_no_rows_set_aside(tmp_path):
    out, report = tmp_path / "out.csv", tmp_path / "report.json"
    small = ROOT / "tests" / "data" / "penguins_80.csv"  # 20 penguins from Dream
    done = synthdesk("run", small, "-o", out, "--rows", 200, "--quiet", "--report", report,
                     "--rebalance", "Island=Dream:0.5")
    assert done.returncode == 0, done.stderr
    warning = [line for line in done.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warning) == 1 and "Only 20 real rows have Island = Dream" in warning[0]
    assert "too few to learn" in warning[0] and "do not use them" in warning[0]
    import json

    rare = json.loads(report.read_text(encoding="utf-8"))["rare_group"]
    assert rare["rare_rows"] == 20 and rare["warning"] == warning[0][len("Warning: "):]
    assert rare["average_precision"] == {"real": None, "augmented": None, "smote": None}
    assert "not measured" in rare["sentence"] and "set aside" in rare["sentence"]
    assert rare["synthetic_share"] == 0.5
