"""SynthDesk's own files are package data: found installed, frozen or in a checkout."""

import os
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
from setuptools import find_packages

from synthdesk.core import resources

ROOT = Path(__file__).parents[1]


def test_every_package_is_listed_for_installing():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    assert sorted(listed) == sorted(find_packages(str(ROOT), include=["synthdesk*"])
                                    + ["synthdesk.resources"])


def test_the_one_lookup_finds_the_sample_and_the_icon():
    from synthdesk.gui import resources as gui_resources

    assert resources.SAMPLE_TABLE.is_file() and resources.ICON.is_file()
    assert resources.resource_path("sample", "penguins.csv") == resources.SAMPLE_TABLE
    assert gui_resources.ICON == resources.ICON  # one lookup, not two


@pytest.mark.slow
@pytest.mark.long
def test_a_plain_pip_install_runs_the_self_test(tmp_path):
    """Build a wheel, install it (not editable) in a fresh venv, run --self-test outside the repo.

    The fresh venv reuses the dependencies already installed for this interpreter (a .pth
    line), so nothing is downloaded; SynthDesk itself comes only from the wheel.
    """
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, cwd=tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run([str(python), "-c", "import sysconfig;print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "reuse-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    wheel = next(wheels.glob("synthdesk-*.whl"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "--ignore-installed", "-q", str(wheel)], check=True, cwd=tmp_path, env=env)
    env["QT_QPA_PLATFORM"] = "offscreen"
    where = subprocess.run([str(python), "-c", "import synthdesk.core.resources as r;"
                            "print(r.SAMPLE_TABLE)"], capture_output=True, text=True,
                           cwd=tmp_path, env=env)
    assert where.returncode == 0, where.stderr
    where = where.stdout.strip()
    assert Path(where).is_relative_to(site), where
    done = subprocess.run([str(python), "-m", "synthdesk", "--self-test"], capture_output=True,
                          text=True, cwd=tmp_path, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test passed" in done.stdout
    tour = tmp_path / "tour"
    done = subprocess.run([str(python), "-m", "synthdesk", "--tour", str(tour)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list(tour.glob("*.png"))) >= 6
    icon = subprocess.run([str(python), "-c", "from synthdesk.gui.app import create_application;"
                           "app = create_application([]); print(app.windowIcon().isNull())"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert icon.stdout.strip().splitlines()[-1] == "False", icon.stdout + icon.stderr
