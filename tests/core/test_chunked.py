"""Many rows: generated, checked and written in chunks, never all in memory at once."""

import json

import pandas as pd
import pytest

from synthdesk.core import spill
from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.pipeline import run_job, run_training
from synthdesk.core.progress import CancelToken
from synthdesk.errors import Cancelled
from synthdesk.export.writers import CsvStyle
from synthdesk.schema import Action, ColumnSpec, Kind, profile_columns
from synthdesk.schema.rows import copied_rows


def test_held_rows_fit_the_memory_budget():
    assert spill.held_rows(50, 10) == 50
    assert spill.held_rows(10_000_000, 20) == spill.CHUNK_ROWS
    wide = spill.held_rows(10_000_000, 2_000)
    assert wide * 2_000 * spill.BYTES_PER_CELL <= spill.MEMORY_BUDGET
    assert spill.held_rows(0, 5) == 1


def test_a_job_beyond_one_chunk_writes_exactly_the_rows_asked_for(tmp_path, small_frame,
                                                                   monkeypatch):
    monkeypatch.setattr(spill, "CHUNK_ROWS", 100)
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    small_frame.to_csv(source, index=False)
    events = []
    job = Job(input=source, output=output, report=tmp_path / "report.json",
              plan=TrainingPlan(rows=450, seed=3))
    result = run_job(job, progress=lambda f, m: events.append((f, m)), isolated=False)
    written = pd.read_csv(output)
    assert len(written) == 450 and list(written.columns) == list(small_frame.columns)
    assert not (written["age"].astype(str) == "age").any()  # one header, at the top
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["output"]["rows"] == 450 and report["output"]["scored_rows"] == 100
    assert len(result.training.synthetic) == 100
    # Chunks have streams of their own: they are not the first chunk again.
    assert not written.iloc[100:200].reset_index(drop=True).equals(written.iloc[:100])
    fractions = [f for f, _ in events]
    assert fractions == sorted(fractions)
    assert any("Generating rows 101 to 200 of 450" in m for _, m in events)
    # The chunks on disk are gone once the file is written.
    assert not result.training.more.folder.exists()


def test_every_chunk_is_protected_like_the_first(monkeypatch):
    monkeypatch.setattr(spill, "CHUNK_ROWS", 200)
    # Each row of the real table is a row of its own: copies of it must not come back,
    # and the replaced email column gets no real address, in any chunk.
    rows = 400
    real = pd.DataFrame({
        "email": [f"person{i}@example.org" for i in range(rows)],
        "band": ["a", "b", "c", "d"] * (rows // 4),
        "size": [i % 7 for i in range(rows)],
        "weight": [round(i * 0.37 % 11, 2) for i in range(rows)],
    })
    specs = [ColumnSpec("email", Kind.TEXT, pii_type="email", action=Action.FAKE),
             ColumnSpec("band", Kind.CATEGORY), ColumnSpec("size", Kind.INTEGER),
             ColumnSpec("weight", Kind.DECIMAL)]
    result = run_training(real, specs, TrainingPlan(rows=1_000, seed=1, holdout=0.0))
    assert result.rows == 1_000 and len(result.more.chunks) == 4
    everything = pd.concat([result.synthetic, *result.more.frames()], ignore_index=True)
    assert len(everything) == 1_000
    assert set(everything["email"]).isdisjoint(set(real["email"]))
    learned = ["band", "size", "weight"]
    assert not copied_rows(real[learned], everything[learned]).any()
    result.more.discard()
    assert not result.more.folder.exists()


def test_cancel_while_generating_chunks_leaves_nothing_behind(tmp_path, small_frame,
                                                              monkeypatch):
    monkeypatch.setattr(spill, "CHUNK_ROWS", 50)
    cancel = CancelToken()
    folders = []
    real_add = spill.SpilledRows.add

    def add_then_cancel(self, frame):
        real_add(self, frame)
        folders.append(self.folder)
        if len(self.chunks) == 2:
            cancel.cancel()

    monkeypatch.setattr(spill.SpilledRows, "add", add_then_cancel)
    with pytest.raises(Cancelled):
        run_training(small_frame, profile_columns(small_frame), TrainingPlan(rows=500),
                     cancel=cancel)
    assert folders and not folders[0].exists()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_chunks_cross_from_the_training_process(tmp_path, suffix):
    # A real child process: more rows than one chunk of the real size.
    rows = spill.CHUNK_ROWS + 1_500
    table = pd.DataFrame({"kind": ["x", "y", "z", "w"] * 50, "n": range(200)})
    source, output = tmp_path / "in.csv", tmp_path / f"out{suffix}"
    table.to_csv(source, index=False)
    if suffix == ".xlsx":
        rows = 2_000  # one chunk: Excel output goes in one piece
    result = run_job(Job(input=source, output=output, plan=TrainingPlan(rows=rows, seed=2)))
    if suffix == ".csv":
        written = pd.read_csv(output)
        assert result.training.more is not None
        assert not result.training.more.folder.exists()
    else:
        written = pd.read_excel(output)
    assert len(written) == rows
    assert set(written["kind"]) <= {"x", "y", "z", "w"}


def test_csv_style_applies_to_every_chunk(tmp_path, small_frame, monkeypatch):
    monkeypatch.setattr(spill, "CHUNK_ROWS", 40)
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    small_frame.to_csv(source, index=False)
    from synthdesk.core.pipeline import load_table, train, write

    table, specs = load_table(source)
    training = train(table.data, specs, TrainingPlan(rows=130), isolated=False)
    job = Job(input=source, output=output)
    write(job, table, specs, training, style=CsvStyle(delimiter=";", decimal=",", bom=True))
    raw = output.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    back = pd.read_csv(output, sep=";", decimal=",", encoding="utf-8-sig")
    assert len(back) == 130 and pd.api.types.is_float_dtype(back["income"])
    training.more.discard()


def test_rows_left_by_a_killed_job_are_removed_by_the_next(tmp_path, monkeypatch):
    import subprocess
    import sys
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    left = spill.SpilledRows()
    left.add(pd.DataFrame({"a": [1, 2]}))
    (left.folder / "owner.pid").write_text(gone.stdout.strip())  # its owner was killed
    mine = spill.SpilledRows()
    mine.add(pd.DataFrame({"a": [3]}))
    again = spill.SpilledRows()  # the live owner's folder stays
    assert not left.folder.exists()
    assert mine.folder.exists() and again.folder.exists()
    mine.discard()
    again.discard()


def test_augmenting_takes_the_rare_rows_of_every_chunk(tmp_path, monkeypatch):
    from pathlib import Path

    from synthdesk.generators.conditions import parse_rebalance

    monkeypatch.setattr(spill, "CHUNK_ROWS", 100)
    sample = Path(__file__).parents[2] / "resources" / "sample" / "penguins.csv"
    output = tmp_path / "train.csv"
    plan = TrainingPlan(rows=300, rebalance=parse_rebalance(["Island=Torgersen:0.5"]),
                        augment=True)
    run_job(Job(input=sample, output=output, plan=plan), isolated=False)
    written = pd.read_csv(output)
    synthetic = written[written["synthdesk_row"] == "synthetic"]
    assert len(synthetic) == 150 and (synthetic["Island"] == "Torgersen").all()
    assert (written["synthdesk_row"] == "real").sum() == len(pd.read_csv(sample))
