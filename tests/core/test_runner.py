"""Training in a child process: results, errors, crashes and cancel."""

import multiprocessing
import threading
import time

import pytest

from synthdesk.core.job import TrainingPlan
from synthdesk.core.progress import CancelToken
from synthdesk.core.runner import run_training_isolated
from synthdesk.errors import Cancelled, TrainingCrashed, TrainingFailed
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
