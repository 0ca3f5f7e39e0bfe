"""``synthdesk --self-test``: prove an installed copy works, with no network and no window.

Runs the whole job on the bundled sample (read, detect, fit, sample, score, export) with
the Fast generator, the default one, the decision trees, and the two neural networks
(CTGAN and TVAE, for a couple of epochs: enough to prove that the bundled torch trains),
in a temporary folder that is removed after.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.pipeline import run_job
from synthdesk.core.resources import SAMPLE_TABLE
from synthdesk.errors import SynthDeskError
from synthdesk.generators.registry import DEFAULT_GENERATOR

__all__ = ["run_self_test", "SELF_TEST_ROWS", "SELF_TEST_EPOCHS", "SELF_TEST_GENERATORS"]

SELF_TEST_ROWS = 200
SELF_TEST_EPOCHS = 2
SELF_TEST_GENERATORS = ("gaussian_copula", DEFAULT_GENERATOR, "cart", "ctgan", "tvae")


def run_self_test(say) -> bool:
    """Run the checks, reporting each with ``say(line)``; True when all pass."""
    if not SAMPLE_TABLE.exists():
        say(f"FAIL the bundled sample is missing: {SAMPLE_TABLE}")
        return False
    generators = list(dict.fromkeys(SELF_TEST_GENERATORS))
    ok = True
    with tempfile.TemporaryDirectory(prefix="synthdesk-self-test-") as folder:
        for generator in generators:
            started = time.perf_counter()
            out, report = Path(folder) / f"{generator}.csv", Path(folder) / f"{generator}.json"
            job = Job(input=SAMPLE_TABLE, output=out, report=report,
                      plan=TrainingPlan(generator=generator, rows=SELF_TEST_ROWS, seed=1,
                                        epochs=SELF_TEST_EPOCHS))
            try:
                result = run_job(job)
            except SynthDeskError as exc:
                say(f"FAIL {generator}: {exc}")
                ok = False
                continue
            problems = _check(result, out, report)
            seconds = time.perf_counter() - started
            if problems:
                ok = False
                say(f"FAIL {generator}: {'; '.join(problems)}")
            else:
                say(f"ok   {generator}: {SELF_TEST_ROWS} rows, quality "
                    f"{result.training.quality.overall:.0%}, {seconds:.1f} s")
    return ok


def _check(result, out: Path, report: Path) -> list[str]:
    import pandas as pd

    problems = []
    written = pd.read_csv(out)
    expected = [c.name for c in result.columns if str(c.action) != "drop"]
    if list(written.columns) != expected:
        problems.append("the output's columns differ from the input's")
    if len(written) != SELF_TEST_ROWS:
        problems.append(f"{len(written)} rows written instead of {SELF_TEST_ROWS}")
    payload = json.loads(report.read_text(encoding="utf-8"))
    if payload["privacy"]["sensitive_values_leaked"] != 0:
        problems.append("a sensitive value reached the output")
    if not 0 < payload["quality"]["overall"] <= 1:
        problems.append("the quality score is missing")
    return problems
