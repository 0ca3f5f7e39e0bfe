"""Bad input and bad surroundings, one class at a time: exit 2, one plain line, nothing left.

Every file is made here, in tmp_path, from the real files in tests/data. The refusals
tested through the command line come before any training, so each case takes seconds.
"""

import os
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from synthdesk.core.job import TrainingPlan
from synthdesk.core.runner import MAX_LEARNED_COLUMNS, check_training_size
from synthdesk.errors import ExportFailed, ImportFailed, InvalidChoice
from synthdesk.export.writers import StagedOutputs, check_outputs, write_json, write_table
from synthdesk.io import read_table
from synthdesk.io.excel import _unpacks_past
from synthdesk.schema import profile_columns

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data"
AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] \
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("setpriv") else []


def synthdesk(*args, prefix=(), **kwargs):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": "/tmp"}
    return subprocess.run([*prefix, sys.executable, "-m", "synthdesk", *map(str, args)],
                          capture_output=True, text=True, cwd="/tmp", env=env, timeout=120,
                          **kwargs)


def assert_refused(done, out: Path, words: str):
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr and words in lines[0], lines
    assert not out.exists() or not any(out.iterdir()), list(out.iterdir())


@pytest.fixture
def tmp_path():
    """A folder every user may open (pytest's own sits in a folder only its owner may)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="synthdesk-test-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        path.chmod(0o777)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    folder.chmod(0o777)
    return folder


# --- Native readers, encodings, permissions: one plain line -------------------------

@pytest.mark.parametrize("share", [0.5, 0.75, 0.97])
def test_a_truncated_legacy_workbook_is_refused_not_a_panic(tmp_path, out, share):
    raw = (DATA / "legacy.xls").read_bytes()
    cut = tmp_path / "cut.xls"
    cut.write_bytes(raw[:int(len(raw) * share)])
    assert_refused(synthdesk("run", cut, "-o", out / "s.csv"), out, "could not be read")


def test_calamines_panic_is_caught_where_calamine_is_called(tmp_path):
    raw = (DATA / "legacy.xls").read_bytes()
    for share in (0.75, 0.97):
        cut = tmp_path / f"cut{share}.xls"
        cut.write_bytes(raw[:int(len(raw) * share)])
        with pytest.raises(ImportFailed, match="damaged"):
            read_table(cut)


def test_utf16_without_a_byte_order_mark(tmp_path, out):
    text = (DATA / "penguins_80.csv").read_text(encoding="utf-8")
    for name, raw in (("le.csv", text.encode("utf-16-le")), ("utf8.csv", text.encode())):
        path = tmp_path / name
        path.write_bytes(raw)
        assert_refused(synthdesk("run", path, "-o", out / "s.csv", "--encoding", "utf-16"),
                       out, "byte-order mark")


@pytest.mark.skipif(not AS_NOBODY and os.name != "posix", reason="needs POSIX permissions")
def test_an_input_the_user_may_not_read(tmp_path, out):
    locked = tmp_path / "locked.csv"
    shutil.copyfile(DATA / "penguins_80.csv", locked)
    locked.chmod(0)
    assert_refused(synthdesk("run", locked, "-o", out / "s.csv", prefix=AS_NOBODY), out,
                   "may not read")


@pytest.mark.skipif(not AS_NOBODY and os.name != "posix", reason="needs POSIX permissions")
def test_a_read_only_output_folder_is_refused_before_reading(tmp_path):
    shutil.copyfile(DATA / "penguins_80.csv", tmp_path / "in.csv")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    assert_refused(synthdesk("run", tmp_path / "in.csv", "-o", locked / "s.csv",
                             prefix=AS_NOBODY), locked, "may not write")


def test_a_missing_output_folder(penguins, tmp_path):
    done = synthdesk("run", penguins, "-o", tmp_path / "nope" / "s.csv")
    assert_refused(done, tmp_path / "nope", "does not exist")


def test_too_little_room_is_found_before_the_work(tmp_path, monkeypatch):
    import synthdesk.export.writers as writers

    source = tmp_path / "in.csv"
    shutil.copyfile(DATA / "penguins_80.csv", source)
    monkeypatch.setattr(writers.shutil, "disk_usage", lambda folder: shutil._ntuple_diskusage(
        10, 10, 1000))
    with pytest.raises(ExportFailed, match="MB free"):
        check_outputs(source, tmp_path / "s.csv")


# --- Options checked before any work ---------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["--seed", "-1"], "between 0 and 4,294,967,295"),
    (["--seed", str(2**32)], "between 0 and 4,294,967,295"),
    (["--delimiter", '"'], "quote character"),
])
def test_bad_options_are_refused_at_once(penguins, out, args, words):
    assert_refused(synthdesk("run", penguins, "-o", out / "s.csv", *args), out, words)


def test_each_output_its_own_file(penguins, out):
    assert_refused(synthdesk("run", penguins, "-o", out / "same.csv", "--report",
                             out / "same.csv"), out, "give each file its own name")
    assert_refused(synthdesk("run", penguins, "-o", out / "s.csv", "--report", penguins), out,
                   "input file")


def test_more_rows_than_excel_holds_is_refused_before_training(penguins, out):
    assert_refused(synthdesk("run", penguins, "-o", out / "s.xlsx", "--rows", "1100000"), out,
                   "at most 1,048,575 rows")


# --- Bounded resources -----------------------------------------------------------------

_PEAK = """
import resource, sys
from synthdesk.io import read_table
from synthdesk.errors import ImportFailed
try:
    read_table(sys.argv[1])
    print("read")
except ImportFailed as exc:
    print("refused:", exc)
# The peak of this process's own memory: ru_maxrss would carry the high-water mark of
# the (large) test process it was forked from across exec.
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak * 1024)
"""


def _peak_reading(path: Path) -> tuple[str, int]:
    done = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    said, peak = done.stdout.strip().splitlines()
    return said, int(peak)


def test_one_huge_quoted_field_is_refused_within_the_budget(tmp_path):
    path = tmp_path / "field.csv"
    with path.open("w") as handle:
        handle.write('id,note\n1,"' + "x" * (50 << 20) + '"\n2,short\n')
    said, peak = _peak_reading(path)
    assert said.startswith("refused:") and "longer than" in said
    assert peak < 1 << 30


def test_a_quote_never_closed_over_many_lines_is_refused(tmp_path):
    path = tmp_path / "open.csv"
    path.write_text('a,b\n1,"never closed\n' + "x\n" * (3 << 20) + "2,3\n")
    with pytest.raises(ImportFailed):
        read_table(path)


def _bomb(path: Path, size: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/worksheets/sheet1.xml", b"<row><c><v>1</v></c></row>" * (size // 26))


def test_zip_members_are_bounded_by_what_they_really_unpack_to(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    _bomb(bomb, 4 << 20)
    with zipfile.ZipFile(bomb) as archive:
        members = archive.infolist()
    assert _unpacks_past(bomb, members, 1 << 20)
    assert not _unpacks_past(bomb, members, 8 << 20)
    # A member that declares 4 KB is inflated and counted all the same.
    liar = tmp_path / "liar.xlsx"
    data = bytearray(bomb.read_bytes())
    at = data.rfind(b"PK\x01\x02")
    data[at + 24:at + 28] = (4096).to_bytes(4, "little")
    liar.write_bytes(bytes(data))
    with zipfile.ZipFile(liar) as archive:
        lying = archive.infolist()
    assert lying[0].file_size == 4096
    assert _unpacks_past(liar, lying, 1 << 20)


def test_a_workbook_of_too_many_cells_is_refused(tmp_path, monkeypatch):
    import synthdesk.io.excel as excel

    source = tmp_path / "cells.xlsx"
    pd.DataFrame({"n": range(20_000), "m": range(20_000)}).to_excel(source, index=False)
    monkeypatch.setattr(excel, "MAX_SHEET_XML_BYTES", 64 << 10)
    with pytest.raises(ImportFailed, match="more cells than"):
        read_table(source)


def test_a_table_too_wide_to_learn_is_refused_with_advice():
    wide = pd.DataFrame({f"c{j}": [j, j + 1, j + 2] for j in range(MAX_LEARNED_COLUMNS + 1)})
    with pytest.raises(InvalidChoice, match="Drop the columns you do not need"):
        check_training_size(wide, profile_columns(wide), TrainingPlan())


def test_rows_beyond_the_disk_are_refused_before_training(tmp_path, small_frame):
    from synthdesk.export.writers import check_output_room

    source = tmp_path / "s.csv"
    small_frame.to_csv(source, index=False)
    # Many rows are not refused for memory (they are written in chunks)...
    check_training_size(small_frame, profile_columns(small_frame),
                        TrainingPlan(rows=100_000_000))
    check_output_room(source, len(small_frame), 100_000, tmp_path / "out.csv")
    # ...but rows the disk cannot hold are, with the sizes.
    with pytest.raises(ExportFailed, match="MB free; the output needs about"):
        check_output_room(source, len(small_frame), 10**12, tmp_path / "out.csv")


# --- All or nothing ----------------------------------------------------------------------

def test_a_job_writes_every_file_or_none(tmp_path, small_frame):
    table, report = tmp_path / "s.csv", tmp_path / "nested" / "r.json"  # r.json cannot be placed
    with pytest.raises(ExportFailed), StagedOutputs():
        write_table(small_frame, table)
        write_json({"a": 1}, report)
    assert list(tmp_path.iterdir()) == []
    with StagedOutputs():
        write_table(small_frame, table)
        write_json({"a": 1}, tmp_path / "r.json")
        assert list(tmp_path.iterdir()) == []  # nothing placed before the end
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "s.csv"]


_FULL_DISK = """
import resource, sys
import pandas as pd
from synthdesk.export.writers import write_table
from synthdesk.errors import ExportFailed
resource.setrlimit(resource.RLIMIT_FSIZE, (5000, 5000))
try:
    write_table(pd.read_csv(sys.argv[1]), sys.argv[2])
except ExportFailed as exc:
    print(exc)
import gc
gc.collect()
"""


@pytest.mark.parametrize("name", ["s.xlsx", "s.csv"])
def test_a_full_disk_while_writing_is_one_line_and_no_file(tmp_path, name):
    done = subprocess.run([sys.executable, "-c", _FULL_DISK, str(DATA / "penguins_80.csv"),
                           str(tmp_path / name)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert "could not be written" in done.stdout
    assert done.stderr == "", done.stderr
    assert list(tmp_path.iterdir()) == []


def test_resource_limits_are_restored():
    assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] == resource.RLIM_INFINITY


def test_a_column_with_no_value_left_does_not_break_the_models():
    """Mangled text can leave a number column with no value at all: the models skip it."""
    from synthdesk.evaluation.discriminator import discriminator_auc

    real = pd.read_csv(DATA / "penguins_80.csv")
    number = real.select_dtypes("number").columns[0]
    real[number] = float("nan")
    synthetic = real.sample(frac=1.0, random_state=1).reset_index(drop=True)
    auc = discriminator_auc(real, synthetic, seed=0)
    assert auc is not None and 0 <= auc <= 1


@pytest.mark.parametrize("name", ["two_sheets.xlsx", "fruit.ods"])
def test_bit_flipped_workbooks_are_refused_in_one_line(tmp_path, name):
    import random

    raw = (DATA / name).read_bytes()
    for seed in range(3):
        flipped = bytearray(raw)
        local = random.Random(seed * 31 + len(raw))  # as bench/bad_input.py flips them
        for _ in range(12):
            at = local.randrange(len(flipped))
            flipped[at] ^= 1 << local.randrange(8)
        path = tmp_path / f"flip{seed}{Path(name).suffix}"
        path.write_bytes(bytes(flipped))
        try:
            read_table(path)
        except ImportFailed:
            pass
