"""SDV's single-table synthesizers behind SynthDesk's generator interface.

Fitting and sampling use SDV's public API (``preprocess``, ``fit_processed_data``,
``reset_sampling``, ``sample``). SDV offers no progress callback and no public way to
seed sampling, so this module, and only this one, reaches into private parts:

- CTGAN and TVAE drive their epochs through ``tqdm`` (``ctgan.synthesizers.ctgan.tqdm``
  and ``ctgan.synthesizers.tvae.tqdm``): we swap it for an iterable that reports each
  epoch and honours the cancel token;
- the Gaussian copula fits one distribution per column in
  ``copulas.multivariate.gaussian.GaussianMultivariate._fit_columns`` through
  ``_fit_column``: we count those;
- ``BaseSingleTableSynthesizer._set_random_state`` seeds sampling (SDV otherwise samples
  from one fixed seed).

:data:`PRIVATE_HOOKS` lists them; :func:`check_private_hooks` fails loudly when an SDV
release moves one (a test runs it). All patches are undone on exit.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import random
import re
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from synthdesk.errors import InvalidChoice, TrainingFailed
from synthdesk.generators import base
from synthdesk.generators.base import Generator, table_columns
from synthdesk.progress import NEVER, CancelToken, ProgressFn, no_progress, scaled

__all__ = ["SdvGenerator", "PRIVATE_HOOKS", "check_private_hooks", "fit_progress",
           "seed_everything"]

# (module, attribute path) of every private part of SDV and its libraries used here.
PRIVATE_HOOKS = (
    ("ctgan.synthesizers.ctgan", "tqdm"),
    ("ctgan.synthesizers.tvae", "tqdm"),
    ("copulas.multivariate.gaussian", "GaussianMultivariate._fit_columns"),
    ("copulas.multivariate.gaussian", "GaussianMultivariate._fit_column"),
    ("sdv.single_table.base", "BaseSingleTableSynthesizer._set_random_state"),
)

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_FEW_VALUES = 30


def check_private_hooks() -> None:
    """Raise ``AssertionError`` naming any private hook SDV no longer has."""
    missing = []
    for module_name, path in PRIVATE_HOOKS:
        owner: Any = importlib.import_module(module_name)
        for part in path.split("."):
            if not hasattr(owner, part):
                missing.append(f"{module_name}.{path}")
                break
            owner = getattr(owner, part)
    if missing:
        raise AssertionError("SDV changed private parts SynthDesk relies on: "
                             + ", ".join(missing))


def seed_everything(seed: int, neural: bool) -> None:
    """Seed every random number generator an SDV fit may draw from."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    if neural:
        import torch

        torch.manual_seed(seed)


class SdvGenerator(Generator):
    """One of SDV's single-table synthesizers.

    Args:
        synthesizer: Dotted path of the SDV class (e.g.
            ``"sdv.single_table.GaussianCopulaSynthesizer"``).
        label: What the user calls it, for messages.
        neural: Whether it trains epoch by epoch (CTGAN, TVAE, CopulaGAN).
        epochs: Epochs for neural synthesizers.
        seed: Seed of the fit.

    Attributes:
        synthesizer_: The fitted SDV synthesizer.
        columns_: The fitted columns, in order.

    """

    def __init__(self, synthesizer: str, label: str = "", neural: bool = False,
                 epochs: int | None = None, seed: int = 0):
        self.synthesizer = synthesizer
        self.label = label
        self.neural = neural
        self.epochs = epochs
        self.seed = seed

    def fit(self, data: pd.DataFrame, metadata: Mapping, progress: ProgressFn = no_progress,
            cancel: CancelToken = NEVER) -> SdvGenerator:
        """Fit the SDV synthesizer; returns self."""
        label = self.label or self.synthesizer.rsplit(".", 1)[-1]
        cancel.raise_if_set()
        progress(0.0, "Preparing the data")
        model = self._build(metadata, data)
        seed_everything(self.seed, self.neural)
        table = next(iter(metadata["tables"]))
        # joblib runs in this process, one job after another: worker processes outlive the
        # fit and litter stderr when ended, and threads race on NumPy's global random state
        # inside RDT's transformers, so the same seed would no longer give the same model.
        with warnings.catch_warnings(), fit_progress(scaled(progress, 0.2, 1.0), cancel), \
                _joblib_sequential():
            warnings.simplefilter("ignore")
            try:
                processed = model.preprocess({table: data})
                cancel.raise_if_set()
                progress(0.2, "Learning")
                model.fit_processed_data(processed)
            except _sdv_errors() as exc:
                raise TrainingFailed(f"{label} could not learn from this table: {exc}") from exc
        progress(1.0, "Learned")
        self.loss_ = _losses(model) if self.neural else []
        self.columns_ = list(data.columns)
        self.synthesizer_ = model
        return self

    def sample(self, rows: int, seed: int = 0, progress: ProgressFn = no_progress,
               cancel: CancelToken = NEVER, conditions=None) -> pd.DataFrame:
        """Draw ``rows`` rows in chunks; the same seed gives the same rows."""
        import sdv.errors

        if conditions is not None:
            raise InvalidChoice("Generating rows to conditions is not offered yet.")
        if rows < 1:
            raise TrainingFailed("The number of rows to generate must be at least 1.")
        model = self.synthesizer_
        model.reset_sampling()
        seed_everything(seed, self.neural)
        model._set_random_state(seed)  # private: SDV otherwise samples from one fixed seed
        chunks = []
        done = 0
        while done < rows:
            cancel.raise_if_set()
            size = min(base.CHUNK_ROWS, rows - done)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    chunk = model.sample(size)
                except (sdv.errors.SamplingError, ValueError) as exc:
                    raise TrainingFailed(f"Generating rows failed: {exc}") from exc
            chunks.append(next(iter(chunk.values())) if isinstance(chunk, dict) else chunk)
            done += size
            progress(done / rows, f"Generated {done:,} of {rows:,} rows")
        return pd.concat(chunks, ignore_index=True)

    def _build(self, metadata: Mapping, data: pd.DataFrame):
        from sdv.metadata import Metadata

        module_name, class_name = self.synthesizer.rsplit(".", 1)
        cls = getattr(importlib.import_module(module_name), class_name)
        kwargs: dict[str, Any] = {"enforce_min_max_values": True}
        if self.neural:
            kwargs["epochs"] = self.epochs
            kwargs["verbose"] = True  # CTGAN reports its losses through our progress bar
            kwargs["enable_gpu"] = False
        if "numerical_distributions" in inspect.signature(cls).parameters:
            kwargs["numerical_distributions"] = {
                name: "truncnorm" for name in _few_valued_numbers(data, metadata)
            }
        return cls(Metadata.load_from_dict(dict(metadata)), **kwargs)


def _losses(model) -> list[dict]:
    """Per-epoch losses, from the public ``get_loss_values`` of CTGAN, TVAE and CopulaGAN."""
    get = getattr(model, "get_loss_values", None)
    values = get() if get is not None else None
    return values.to_dict("records") if isinstance(values, pd.DataFrame) else []


def _few_valued_numbers(data: pd.DataFrame, metadata: Mapping) -> list[str]:
    """Numeric columns with few distinct values (counts, months, flags).

    The copula's default beta distribution collapses on them (a column of 99% zeros came
    back as all ones; a month column half missing came back as one month); a truncated
    normal keeps their spread.
    """
    return [
        name for name, meta in table_columns(metadata).items()
        if meta.get("sdtype") == "numerical" and data[name].nunique() <= _FEW_VALUES
    ]


def _joblib_sequential():
    import joblib

    return joblib.parallel_config(backend="sequential")


def _sdv_errors() -> tuple[type[BaseException], ...]:
    import sdv.errors

    return (sdv.errors.SynthesizerInputError, sdv.errors.InvalidDataError,
            sdv.errors.SamplingError, ValueError)


# --- progress from inside SDV's fits -----------------------------------------------------


class _EpochBar:
    """Stands in for ``tqdm(range(epochs))``: reports each finished epoch, prints nothing."""

    def __init__(self, progress: ProgressFn, cancel: CancelToken, iterable=None, **_kwargs):
        self._iterable = iterable if iterable is not None else []
        self._progress = progress
        self._cancel = cancel
        self._total = len(self._iterable)
        self._done = 0
        self._losses: list[float] = []

    def __iter__(self) -> Iterator:
        for item in self._iterable:
            self._cancel.raise_if_set()
            yield item
            self._done += 1
            loss = f" (loss {', '.join(f'{x:g}' for x in self._losses)})" if self._losses else ""
            self._progress(self._done / max(self._total, 1),
                           f"Epoch {self._done} of {self._total}{loss}")

    def set_description(self, text: str, *_args, **_kwargs) -> None:
        self._losses = [float(x) for x in _NUMBER.findall(text)]

    def close(self) -> None:
        """Nothing to close."""


@contextlib.contextmanager
def fit_progress(progress: ProgressFn = no_progress, cancel: CancelToken = NEVER):
    """Patch SDV's dependencies so their fits report to ``progress`` and stop on ``cancel``."""
    import copulas.multivariate.gaussian as gaussian
    import ctgan.synthesizers.ctgan as ctgan_module
    import ctgan.synthesizers.tvae as tvae_module

    def bar(iterable=None, *args, **kwargs):
        return _EpochBar(progress, cancel, iterable, **kwargs)

    original_fit_columns = gaussian.GaussianMultivariate._fit_columns

    def fit_columns(self, frame):
        total = max(frame.shape[1], 1)
        fit_one = self._fit_column
        done = 0

        def fit_column(column, distribution, column_name):
            nonlocal done
            cancel.raise_if_set()
            progress(done / total, f"Learning the shape of column {done + 1} of {total}")
            done += 1
            return fit_one(column, distribution, column_name)

        self._fit_column = fit_column
        try:
            return original_fit_columns(self, frame)
        finally:
            del self._fit_column

    saved = (ctgan_module.tqdm, tvae_module.tqdm)
    ctgan_module.tqdm = bar
    tvae_module.tqdm = bar
    gaussian.GaussianMultivariate._fit_columns = fit_columns
    try:
        yield
    finally:
        ctgan_module.tqdm, tvae_module.tqdm = saved
        gaussian.GaussianMultivariate._fit_columns = original_fit_columns
