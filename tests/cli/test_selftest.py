"""``synthdesk --self-test``: the check the installers run on the frozen app."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_self_test_trains_every_kind_of_generator_and_opens_the_window():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "synthdesk", "--self-test"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    # The copula, the trees and both neural networks (so torch's pieces are all there).
    for generator in ("gaussian_copula", "cart", "ctgan", "tvae"):
        assert any(line.startswith(f"ok   {generator}: 200 rows") for line in lines), generator
    assert any(line.startswith("ok   about: ") and "Business Source License" in line
               for line in lines)
    assert any(line.startswith("ok   window: opened and closed") for line in lines)
    assert lines[-1] == "self-test passed"
    assert "Traceback" not in result.stderr
