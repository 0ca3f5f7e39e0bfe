"""``synthdesk --self-test``: the check the installers run on the frozen app."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_self_test_runs_a_job_and_opens_the_window():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "synthdesk", "--self-test"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("ok   gaussian_copula: 200 rows") for line in lines)
    assert any(line.startswith("ok   window: opened and closed") for line in lines)
    assert lines[-1] == "self-test passed"
    assert "Traceback" not in result.stderr
