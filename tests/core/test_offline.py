"""The whole job runs with the network cable unplugged: every socket is refused."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).parents[2]

BLOCKER = textwrap.dedent('''
    import os, socket

    def _refuse(*args, **kwargs):
        with open(os.environ["NETWORK_ATTEMPTS"], "a") as log:
            log.write(repr(args[:2]) + "\\n")
        raise OSError("network is unplugged in this test")

    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
''')


@pytest.fixture
def unplugged(tmp_path):
    """Environment for a Python process (and every process it spawns) with no network."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER)
    attempts = tmp_path / "attempts.log"
    attempts.write_text("")
    env = {"PYTHONPATH": str(site), "NETWORK_ATTEMPTS": str(attempts), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    return env, attempts


def test_the_blocker_refuses_connections(unplugged):
    env, attempts = unplugged
    code = "import socket; socket.create_connection(('127.0.0.1', 9))"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "network is unplugged" in result.stderr
    assert attempts.read_text()


@pytest.mark.parametrize("generator", ["gaussian_copula", pytest.param("tvae", marks=pytest.mark.slow)])
def test_whole_pipeline_runs_offline(unplugged, penguins, tmp_path, generator):
    env, attempts = unplugged
    out, report = tmp_path / "synthetic.csv", tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "synthdesk", "run", str(penguins), "-o", str(out),
         "--report", str(report), "--generator", generator, "--epochs", "2"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert len(pd.read_csv(out)) == 80
    assert attempts.read_text() == "", "something tried to reach the network"
