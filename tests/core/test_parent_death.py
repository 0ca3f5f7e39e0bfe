"""The reading and training children end within 2 s when the process that started them dies."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)")

PARENT = textwrap.dedent("""
    import multiprocessing, sys, time
    from synthdesk.core.progress import CancelToken

    told = []

    def progress(fraction, message):
        if not told and message.startswith(sys.argv[2]):
            told.append(True)
            child = multiprocessing.active_children()[0]
            print(child.pid, flush=True)

    def main():
        if sys.argv[1] == "read":
            from synthdesk.core.isolated_load import load_table_isolated
            load_table_isolated(sys.argv[3], progress=progress)
        else:
            import pandas as pd
            from synthdesk.core.job import TrainingPlan
            from synthdesk.core.pipeline import run_training_isolated
            from synthdesk.schema import profile_columns
            data = pd.read_csv(sys.argv[3])
            if sys.argv[1] == "chunks":  # many rows: chunks kept on disk when it dies
                from synthdesk.core.spill import CHUNK_ROWS
                plan = TrainingPlan(rows=CHUNK_ROWS * 4)
            else:
                plan = TrainingPlan(generator="tests.fakes:SleepingSynthesizer")
            run_training_isolated(data, profile_columns(data), plan, progress=progress)
        time.sleep(120)

    if __name__ == "__main__":
        main()
""")


def _group(pgid: int) -> list[int]:
    """The live processes of process group ``pgid`` (zombies count as gone)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def _kill_parent_and_time_the_child(tmp_path, mode, waits_for, table, how):
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp)}
    parent = subprocess.Popen([sys.executable, str(script), mode, waits_for, str(table)],
                              stdout=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        line = parent.stdout.readline()
        assert line, "the parent never reported its child"
        child = int(line)
        time.sleep(0.3)  # well into the work
        assert _group(child), "the child had already ended"
        if mode == "chunks":
            assert list(temp.glob("synthdesk-rows-*")), "no chunks were kept yet"
        parent.send_signal(how)
        killed = time.monotonic()
        parent.wait(10)
        while _group(child) and time.monotonic() - killed < 10:
            time.sleep(0.05)
        gone_after = time.monotonic() - killed
        assert not _group(child), "the child outlived its parent by 10 s"
        assert gone_after < 2.0
        # Nothing the child kept on disk (rows generated in chunks) outlives it.
        assert not list(temp.glob("synthdesk-rows-*"))
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_reading_child_dies_with_its_parent(tmp_path):
    rows = 1_500_000  # long enough that the child is still reading when its parent dies
    rng = np.random.default_rng(0)
    big = tmp_path / "big.csv"
    pd.DataFrame({"a": rng.integers(0, 10**6, rows), "b": rng.normal(size=rows),
                  "c": rng.choice(["north", "south", "east"], rows),
                  "d": rng.integers(0, 10**6, rows).astype(str)}).to_csv(big, index=False)
    _kill_parent_and_time_the_child(tmp_path, "read", "Reading", big, signal.SIGKILL)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_training_child_dies_with_its_parent(tmp_path, data_dir, how):
    _kill_parent_and_time_the_child(tmp_path, "train", "Training", data_dir / "penguins_80.csv",
                                    how)


def test_training_child_generating_chunks_dies_with_its_parent_and_leaves_no_rows(
        tmp_path, data_dir):
    _kill_parent_and_time_the_child(tmp_path, "chunks", "Generating rows",
                                    data_dir / "penguins_80.csv", signal.SIGKILL)
