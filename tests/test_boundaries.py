"""The core must never load Qt: the CLI and CI machines have no display."""

import subprocess
import sys
from pathlib import Path

CORE_MODULES = [
    "synthdesk.core.pipeline", "synthdesk.core.runner", "synthdesk.io", "synthdesk.schema",
    "synthdesk.generators", "synthdesk.evaluation", "synthdesk.evaluation.report",
    "synthdesk.export", "synthdesk.cli.main", "synthdesk.errors",
]


def test_core_and_cli_import_no_qt():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "from synthdesk.cli.main import build_parser; build_parser()\n"
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'shiboken6') or m.startswith('synthdesk.gui'))\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_core_imports_sdv_lazily():
    """``import sdv`` takes seconds and loads boto3: only training may pay for it."""
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "print(','.join(sorted(m for m in ('sdv', 'torch', 'boto3') if m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_import_contract_holds():
    lint = Path(sys.executable).with_name("lint-imports")
    root = Path(__file__).parents[1]
    out = subprocess.run([str(lint)], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 kept, 0 broken" in out.stdout  # Qt stays in gui; the layers hold


def test_each_fact_about_files_is_stated_once():
    from synthdesk.export import writers
    from synthdesk.formats import EXCEL_MAX_ROWS, QUOTED_FORMULA
    from synthdesk.io import values

    assert writers.EXCEL_MAX_ROWS is EXCEL_MAX_ROWS
    assert values.QUOTED_FORMULA is QUOTED_FORMULA
    assert writers._QUOTED_FORMULA.pattern == QUOTED_FORMULA
