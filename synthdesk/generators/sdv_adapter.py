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

Rows to conditions (:class:`synthdesk.generators.conditions.RowConditions`) use SDV's
public conditional sampling: fixed category, yes/no or number values go to
``sample_from_conditions`` with ``sdv.sampling.Condition`` (the Gaussian copula conditions
on them exactly; the neural synthesizers sample and reject). SDV has no range condition,
so ranges are met by rejection, in small batches with a cap: rows are drawn (to the fixed
values, if any) and those outside the range are thrown away. Conditioning instead on real
values drawn from inside the range would copy real people's numbers into the output. When
fewer than one row in :data:`_MAX_DRAWS_PER_ROW` meets the conditions, the condition is
too rare for the generator: :class:`~synthdesk.errors.ConditionTooRare` says so and points
to the decision trees, which generate to conditions exactly. Cancel is checked between
batches.

:data:`PRIVATE_HOOKS` lists them; :func:`check_private_hooks` fails loudly when an SDV
release moves one (a test runs it). All patches are undone on exit.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import math
import random
import re
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from synthdesk.errors import ConditionTooRare, InvalidChoice, TrainingFailed
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

# Rows asked of SDV in one call while generating to conditions: small, so that Cancel is
# answered within a moment even on a wide table.
_CONDITION_BATCH = 1_000
# SDV's own tries within one call for a fixed value it cannot condition on natively (the
# neural synthesizers reject); the batches above try again.
_SDV_TRIES = 3
# A condition is too rare for an SDV generator when fewer than one row in this many meets it.
_MAX_DRAWS_PER_ROW = 100
# Rows asked before a low rate of rows meeting the conditions is trusted enough to stop.
_PROBE_ROWS = 5_000


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

        if rows < 1:
            raise TrainingFailed("The number of rows to generate must be at least 1.")
        model = self.synthesizer_
        model.reset_sampling()
        seed_everything(seed, self.neural)
        model._set_random_state(seed)  # private: SDV otherwise samples from one fixed seed
        if conditions is not None:
            return self._sample_to(conditions, rows, progress, cancel)
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

    def _sample_to(self, conditions, rows: int, progress: ProgressFn,
                   cancel: CancelToken) -> pd.DataFrame:
        """``rows`` rows meeting ``conditions`` (a ``RowConditions``), in its row order.

        Rows with the same fixed values are drawn together; each row lands where its
        conditions stand, so a rebalanced column's shuffled values keep their places.
        """
        names = list(conditions.fixed)
        for name in [*names, *conditions.ranges]:
            if name not in self.columns_:
                raise InvalidChoice(f"{name!r} is not a learned column of the table, so rows "
                                    "cannot be generated to a condition on it.")
        columns = [conditions.fixed[name] for name in names]
        groups: dict[tuple, list[int]] = {}
        for position, key in enumerate(zip(*columns, strict=True) if names else [()] * rows):
            groups.setdefault(key, []).append(position)
        parts, done = [], 0
        for key, positions in groups.items():
            values = dict(zip(names, key, strict=True))
            part = self._draw_to(values, conditions, len(positions),
                                 scaled(progress, done / rows, (done + len(positions)) / rows),
                                 cancel)
            part.index = positions
            parts.append(part)
            done += len(positions)
        return pd.concat(parts).sort_index().reset_index(drop=True)[self.columns_]

    def _draw_to(self, values: dict, conditions, count: int, progress: ProgressFn,
                 cancel: CancelToken) -> pd.DataFrame:
        """``count`` rows holding ``values`` and inside ``conditions``' ranges.

        Raises:
            ConditionTooRare: Fewer than one row in :data:`_MAX_DRAWS_PER_ROW` meets them.
            Cancelled: ``cancel`` was set (checked between batches).

        """
        kept: list[pd.DataFrame] = []
        have = asked = 0
        while have < count:
            cancel.raise_if_set()
            left = count - have
            rate = have / asked if asked else 1.0
            ask = min(_CONDITION_BATCH, math.ceil(left / max(rate, 1 / _MAX_DRAWS_PER_ROW)))
            batch = self._draw_batch(values, ask)
            asked += ask
            if len(batch):
                inside = conditions.satisfied(batch)
                for name, value in values.items():
                    inside &= (batch[name] == value).to_numpy()
                batch = batch[inside]
            kept.append(batch)
            have += len(batch)
            progress(min(have, count) / count, f"Generated {min(have, count):,} of "
                     f"{count:,} rows meeting the conditions")
            rare = asked >= _PROBE_ROWS and have * _MAX_DRAWS_PER_ROW < asked
            if have < count and (rare or asked >= _MAX_DRAWS_PER_ROW * count + _PROBE_ROWS):
                raise ConditionTooRare(self._too_rare(values, conditions, have, asked))
        return pd.concat(kept, ignore_index=True).head(count)

    def _draw_batch(self, values: dict, size: int) -> pd.DataFrame:
        """Up to ``size`` rows from SDV, conditioned on ``values`` when there are any."""
        import sdv.errors
        from sdv.sampling import Condition

        model = self.synthesizer_
        # SDV prints a progress bar of its own for conditional sampling; ours is enough.
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            try:
                if values:
                    out = model.sample_from_conditions(
                        [Condition(dict(values), num_rows=size)],
                        max_tries_per_batch=_SDV_TRIES, batch_size=size)
                else:
                    out = model.sample(size)
            except (sdv.errors.SamplingError, sdv.errors.ConstraintsNotMetError,
                    ValueError) as exc:
                if "Unable to sample any rows" in str(exc):
                    return pd.DataFrame(columns=self.columns_)
                raise TrainingFailed(f"Generating rows to the conditions failed: {exc}") \
                    from exc
        frame = next(iter(out.values())) if isinstance(out, dict) else out
        return frame.reset_index(drop=True)

    def _too_rare(self, values: dict, conditions, have: int, asked: int) -> str:
        label = self.label or self.synthesizer.rsplit(".", 1)[-1]
        wanted = [f"{name} = {value}" for name, value in values.items()]
        for name, (low, high) in conditions.ranges.items():
            if high is None:
                wanted.append(f"{name} from {_shown(low)}")
            elif low is None:
                wanted.append(f"{name} up to {_shown(high)}")
            else:
                wanted.append(f"{name} from {_shown(low)} to {_shown(high)}")
        share = f"{have:,} of {asked:,}" if have else f"none of {asked:,}"
        return (f"The condition {' and '.join(wanted)} is too rare for the {label} "
                f"generator: {share} rows it generated met it, so it cannot make enough such "
                "rows. Choose the decision trees (Best quality, the default), which generate "
                "rows to conditions exactly.")

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


def _shown(end) -> str:
    """A range's end as the user would write it (400000.0 -> 400,000; dates as dates)."""
    if isinstance(end, float):
        return f"{end:,.10g}"
    if isinstance(end, pd.Timestamp) and end == end.normalize():
        return end.strftime("%Y-%m-%d")
    return str(end)


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
