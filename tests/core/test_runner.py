"""Training in a child process: results, errors, crashes and cancel."""

import multiprocessing
import threading
import time

import pandas as pd
import pytest

from synthdesk.core.job import TrainingPlan
from synthdesk.core.pipeline import run_training_isolated
from synthdesk.core.progress import CancelToken
from synthdesk.errors import Cancelled, ImportFailed, TrainingCrashed, TrainingFailed
from synthdesk.schema import profile_columns


def training_children():
    return [p for p in multiprocessing.active_children() if p.name == "synthdesk-training"]


def test_isolated_training_returns_the_result(small_frame):
    events = []
    result = run_training_isolated(small_frame, profile_columns(small_frame),
                                   TrainingPlan(rows=25), progress=lambda f, m: events.append(f))
    assert result.synthetic.shape == (25, small_frame.shape[1])
    assert 0 < result.quality.overall <= 1
    assert events[0] == 0.0 and events[-1] == 1.0
    assert training_children() == []


def test_child_is_gone_within_a_second_of_finishing(small_frame, monkeypatch):
    import synthdesk.core.runner as runner

    seen = {}
    real_stop = runner._stop

    def timed_stop(child, graceful):
        started = time.perf_counter()
        child.join(5)
        seen["exit_s"] = time.perf_counter() - started
        seen["exitcode"] = child.exitcode
        real_stop(child, graceful)

    monkeypatch.setattr(runner, "_stop", timed_stop)
    run_training_isolated(small_frame, profile_columns(small_frame), TrainingPlan(rows=10))
    assert seen["exitcode"] == 0
    assert seen["exit_s"] < 1.0


@pytest.mark.slow
def test_cancel_stops_a_neural_fit_within_two_seconds(small_frame):
    cancel = CancelToken()
    epochs_seen = threading.Event()

    def progress(fraction, message):
        if message.startswith("Epoch"):
            epochs_seen.set()

    def cancel_when_training():
        epochs_seen.wait(120)
        cancel_at[0] = time.perf_counter()
        cancel.cancel()

    cancel_at = [0.0]
    canceller = threading.Thread(target=cancel_when_training)
    canceller.start()
    plan = TrainingPlan(generator="ctgan", epochs=100_000)
    with pytest.raises(Cancelled):
        run_training_isolated(small_frame, profile_columns(small_frame), plan,
                              progress=progress, cancel=cancel)
    stopped_after = time.perf_counter() - cancel_at[0]
    canceller.join()
    assert epochs_seen.is_set()
    assert stopped_after < 2.0
    assert training_children() == []
    # The process stays usable: a new job runs to the end.
    result = run_training_isolated(small_frame, profile_columns(small_frame), TrainingPlan(rows=5))
    assert len(result.synthetic) == 5


def test_a_refused_table_is_a_training_failure(small_frame):
    plan = TrainingPlan(generator="tests.fakes:RefusingSynthesizer")
    with pytest.raises(TrainingFailed, match="could not learn from this table") as info:
        run_training_isolated(small_frame, profile_columns(small_frame), plan)
    assert not isinstance(info.value, TrainingCrashed)


def test_an_unexpected_error_in_training_is_reported_with_details(small_frame):
    plan = TrainingPlan(generator="tests.fakes:ExplodingSynthesizer")
    with pytest.raises(TrainingCrashed, match="unexpected error: RuntimeError: the model blew up") as info:
        run_training_isolated(small_frame, profile_columns(small_frame), plan)
    assert "Traceback" in info.value.details
    assert "Traceback" not in str(info.value)
    assert training_children() == []


def test_a_training_process_that_dies_is_reported(small_frame):
    plan = TrainingPlan(generator="tests.fakes:VanishingSynthesizer")
    with pytest.raises(TrainingCrashed, match="stopped unexpectedly") as info:
        run_training_isolated(small_frame, profile_columns(small_frame), plan)
    assert "exit code 9" in info.value.details


def _priority_after_yielding(results):
    import os

    from synthdesk.core.runner import _yield_to_window

    before = os.nice(0) if hasattr(os, "nice") else 0
    _yield_to_window()
    import torch  # loads after the limits, as in the training process

    after = os.nice(0) if hasattr(os, "nice") else 0
    results.put((before, after, os.environ["OMP_NUM_THREADS"], torch.get_num_threads()))


def test_the_window_keeps_a_core_and_its_priority(small_frame):
    import os

    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_priority_after_yielding, args=(results,))
    child.start()
    before, after, variable, torch_threads = results.get(timeout=120)
    child.join(10)
    cores = os.cpu_count() or 1
    assert variable == str(max(1, cores - 1)) and torch_threads == max(1, cores - 1)
    if hasattr(os, "nice"):
        assert after >= before + 1 or after == 19  # lower priority (or already the lowest)
    # And training that way still works.
    result = run_training_isolated(small_frame, profile_columns(small_frame),
                                   TrainingPlan("gaussian_copula", rows=20), leave_a_core=True)
    assert result.synthetic.shape == (20, small_frame.shape[1])


# --- The one runner, used directly ---------------------------------------------------

def _quoting_reader(path, progress):
    progress(0.5, "half way")
    raise ValueError(f"could not parse {open(path).read().strip()!r}")


def _frames_back(rows, progress):
    from synthdesk.core.isolated_load import LoadedTable

    frame = pd.DataFrame({"n": range(rows), "t": pd.array(["x", None] * (rows // 2), "string")})
    frame.attrs["units"] = {"n": "%"}
    return LoadedTable(frame, ["spec"], (frame.iloc[:3], 7))


def _refuses_with_a_count(secret_path, progress):
    from synthdesk.errors import PrivacyCheckFailed

    raise PrivacyCheckFailed("344 cell(s) hold a real value; Smithson was one.",
                             details="Smithson 344")


def _scrub_secret(text, secret_path):
    return text.replace("Smithson", "<hidden>").replace("344", "<hidden>")


def test_run_in_child_brings_tables_back_whole():
    from synthdesk.core.runner import SLICE_ROWS, run_in_child

    rows = SLICE_ROWS + 10
    result = run_in_child(_frames_back, rows)
    assert result.table.shape == (rows, 2) and result.table.attrs == {"units": {"n": "%"}}
    assert str(result.table["t"].dtype) == "string" and result.table["t"].isna().sum() == rows // 2
    assert result.specs == ["spec"] and result.sparks[1] == 7 and len(result.sparks[0]) == 3


def test_an_unexpected_error_in_the_child_never_carries_its_message(tmp_path):
    from synthdesk.core.runner import run_in_child

    secret = tmp_path / "secret.txt"
    secret.write_text("Jane Roe 1970-01-02")
    events = []
    with pytest.raises(TrainingCrashed) as info:
        run_in_child(_quoting_reader, str(secret), progress=lambda f, m: events.append(m))
    assert events == ["half way"]
    assert "Jane Roe" not in str(info.value) and "Jane Roe" not in info.value.details
    assert "ValueError" in str(info.value) and "_quoting_reader" in info.value.details


def test_scrubbed_messages_keep_synthdesks_own_counts(tmp_path):
    from synthdesk.core.runner import run_in_child
    from synthdesk.errors import PrivacyCheckFailed

    with pytest.raises(PrivacyCheckFailed) as info:
        run_in_child(_refuses_with_a_count, "x", scrub=_scrub_secret)
    assert str(info.value) == "344 cell(s) hold a real value; <hidden> was one."
    assert info.value.details == "<hidden> <hidden>"


def test_reading_errors_hold_no_value_of_the_file(tmp_path):
    from synthdesk.core.isolated_load import load_table_isolated

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"Jane Roe secret " * 50)
    with pytest.raises(ImportFailed) as info:
        load_table_isolated(broken)
    assert "Jane Roe" not in str(info.value) and "Jane Roe" not in info.value.details
