"""Every generator fits and samples for real (small data, few epochs)."""

import pandas as pd
import pytest

from synthdesk.core.frames import training_frame
from synthdesk.core.progress import CancelToken
from synthdesk.errors import Cancelled, InvalidChoice, TrainingFailed
from synthdesk.generators import GENERATORS, fit_generator, get_generator, sample_rows
from synthdesk.schema import profile_columns, to_sdv_metadata

NEURAL = [name for name, info in GENERATORS.items() if info.neural]


def prepared(frame):
    specs = profile_columns(frame)
    return training_frame(frame, specs), to_sdv_metadata(specs)


def fit_and_sample(frame, generator, seed=0, epochs=2, rows=30, progress=None):
    real, metadata = prepared(frame)
    events = []
    fitted = fit_generator(real, metadata, generator, epochs=epochs, seed=seed,
                           progress=progress or (lambda f, m: events.append((f, m))))
    return sample_rows(fitted, rows, seed=seed), events, fitted


@pytest.mark.parametrize(
    "generator", [pytest.param(n, marks=pytest.mark.slow) if n in NEURAL else n for n in GENERATORS]
)
def test_every_generator_fits_and_samples(small_frame, generator):
    synthetic, events, _ = fit_and_sample(small_frame, generator)
    assert list(synthetic.columns) == list(small_frame.columns)
    assert len(synthetic) == 30
    assert set(synthetic["segment"].dropna()) <= set(small_frame["segment"])
    fractions = [f for f, _ in events]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_gaussian_copula_reports_each_column(small_frame):
    _, events, _ = fit_and_sample(small_frame, "gaussian_copula")
    messages = [m for _, m in events]
    assert f"Learning the shape of column 1 of {small_frame.shape[1]}" in messages


@pytest.mark.slow
@pytest.mark.parametrize("generator", NEURAL)
def test_neural_generators_report_every_epoch(small_frame, generator):
    _, events, fitted = fit_and_sample(small_frame, generator, epochs=3)
    epochs = [m.split(" (")[0] for _, m in events if m.startswith("Epoch")]
    assert epochs == ["Epoch 1 of 3", "Epoch 2 of 3", "Epoch 3 of 3"]
    assert fitted.loss, "neural generators expose their loss per epoch"


@pytest.mark.parametrize("generator", ["gaussian_copula", pytest.param("ctgan", marks=pytest.mark.slow)])
def test_same_seed_same_output(small_frame, generator):
    first, _, _ = fit_and_sample(small_frame, generator, seed=7)
    again, _, _ = fit_and_sample(small_frame, generator, seed=7)
    other, _, _ = fit_and_sample(small_frame, generator, seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_sampling_in_chunks_follows_the_seed(small_frame, monkeypatch):
    import synthdesk.generators.base as sample_module

    real, metadata = prepared(small_frame)
    fitted = fit_generator(real, metadata, "gaussian_copula")
    monkeypatch.setattr(sample_module, "CHUNK_ROWS", 7)
    events = []
    chunked = sample_rows(fitted, 30, seed=3, progress=lambda f, m: events.append(m))
    assert len(chunked) == 30
    assert events[0] == "Generated 7 of 30 rows" and events[-1] == "Generated 30 of 30 rows"
    assert chunked.equals(sample_rows(fitted, 30, seed=3))


@pytest.mark.slow
def test_cancel_between_epochs_stops_the_fit(small_frame):
    real, metadata = prepared(small_frame)
    cancel = CancelToken()

    def progress(fraction, message):
        if message.startswith("Epoch 2"):
            cancel.cancel()

    with pytest.raises(Cancelled):
        fit_generator(real, metadata, "tvae", epochs=50, progress=progress, cancel=cancel)


def test_unknown_generator_is_a_plain_error():
    with pytest.raises(InvalidChoice, match="Unknown generator 'magic'. Choose one of: gaussian_copula"):
        get_generator("magic")


def test_zero_epochs_is_refused(small_frame):
    real, metadata = prepared(small_frame)
    with pytest.raises(TrainingFailed, match="at least 1"):
        fit_generator(real, metadata, "ctgan", epochs=0)


def test_library_errors_become_training_failed(small_frame):
    real, metadata = prepared(small_frame)
    with pytest.raises(TrainingFailed, match="could not learn from this table: this data cannot"):
        fit_generator(real, metadata, "tests.fakes:RefusingSynthesizer")


@pytest.mark.slow
def test_same_seed_same_output_when_ctgan_transforms_in_parallel(small_frame):
    # From 500 rows, ctgan's transformer hands columns to joblib: it must not break seeds.
    frame = pd.concat([small_frame] * 10, ignore_index=True)
    first, _, _ = fit_and_sample(frame, "ctgan", seed=3, epochs=1)
    again, _, _ = fit_and_sample(frame, "ctgan", seed=3, epochs=1)
    pd.testing.assert_frame_equal(first, again)
