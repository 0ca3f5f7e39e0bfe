"""The private parts of SDV that the adapter relies on: this fails loudly when SDV moves one."""

import pandas as pd
import pytest

from synthdesk.core.progress import CancelToken
from synthdesk.errors import Cancelled, InvalidChoice
from synthdesk.generators import Generator, fit_generator, get_generator
from synthdesk.generators.fit import make_generator
from synthdesk.generators.sdv_adapter import PRIVATE_HOOKS, SdvGenerator, check_private_hooks
from synthdesk.schema import profile_columns, to_sdv_metadata


def test_every_private_hook_is_still_where_the_adapter_reaches_for_it():
    check_private_hooks()
    assert len(PRIVATE_HOOKS) >= 4


def test_a_moved_hook_is_reported_by_name(monkeypatch):
    import copulas.multivariate.gaussian as gaussian

    monkeypatch.delattr(gaussian.GaussianMultivariate, "_fit_columns")
    with pytest.raises(AssertionError, match="GaussianMultivariate._fit_columns"):
        check_private_hooks()


def test_the_copula_reports_each_column_through_the_patched_hook():
    frame = pd.DataFrame({"a": [3, 9, 4, 1] * 15, "b": [1.5, 2.5, 3.5] * 20, "c": ["x", "y"] * 30})
    specs = profile_columns(frame)
    messages = []
    # The copula alone: here c follows from a, and kept relations would rebuild it.
    fit_generator(frame, to_sdv_metadata(specs), "gaussian_copula",
                  progress=lambda f, m: messages.append(m), keep_relations=False)
    assert any(m.startswith("Learning the shape of column 1 of") for m in messages)

    cancel = CancelToken()

    def stop(fraction, message):
        if message.startswith("Learning the shape of column 2"):
            cancel.cancel()

    with pytest.raises(Cancelled):
        fit_generator(frame, to_sdv_metadata(specs), "gaussian_copula", progress=stop,
                      cancel=cancel, keep_relations=False)


def test_generators_follow_the_estimator_shape():
    for name in ("cart", "gaussian_copula", "tvae"):
        generator = make_generator(get_generator(name), epochs=3, seed=5)
        assert isinstance(generator, Generator)
        assert not generator.is_fitted
        assert generator.get_params()["seed"] == 5
        assert not [k for k in vars(generator) if k.endswith("_")], "nothing learned yet"
    copula = make_generator(get_generator("gaussian_copula"))
    assert isinstance(copula, SdvGenerator)


def test_a_generator_of_our_own_without_first_columns_refuses_conditions():
    from synthdesk.generators.registry import GeneratorInfo

    info = GeneratorInfo("plain", "Plain", "tests.generators.test_sdv_adapter.PlainGenerator",
                         neural=False, default_epochs=None, summary="")
    with pytest.raises(InvalidChoice, match="cannot generate rows to conditions"):
        make_generator(info, first_columns=("b",))
    assert isinstance(make_generator(get_generator("gaussian_copula"), first_columns=("b",)),
                      SdvGenerator), "SDV's synthesizers take conditions when sampling"


class PlainGenerator(Generator):
    """A generator that knows nothing of conditions."""

    def __init__(self, seed=0):
        self.seed = seed

    def fit(self, data, metadata, progress=None, cancel=None):  # noqa: D102
        self.loss_ = []
        return self

    def sample(self, rows, seed=0, progress=None, cancel=None, conditions=None):  # noqa: D102
        return pd.DataFrame(index=range(rows))
