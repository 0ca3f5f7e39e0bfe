"""Fit one of SDV's synthesizers, with real progress and a cancel token."""

from __future__ import annotations

import importlib
import random
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from synthdesk.core.progress import NEVER, CancelToken, ProgressFn, no_progress, scaled
from synthdesk.errors import TrainingFailed
from synthdesk.generators.hooks import fit_progress
from synthdesk.generators.registry import GeneratorInfo, get_generator
from synthdesk.schema.metadata import TABLE_NAME

__all__ = ["FittedGenerator", "fit_generator", "seed_everything"]


@dataclass
class FittedGenerator:
    """A trained generator, ready to sample.

    Attributes:
        info: Which generator it is.
        model: The fitted SDV synthesizer.
        loss: Per-epoch loss values (neural generators only).

    """

    info: GeneratorInfo
    model: Any
    loss: list[dict] = field(default_factory=list)


_FEW_VALUES = 30


def seed_everything(seed: int, neural: bool) -> None:
    """Seed every random number generator a fit may draw from."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    if neural:
        import torch

        torch.manual_seed(seed)


def fit_generator(
    data: pd.DataFrame,
    metadata: dict,
    generator: str,
    *,
    epochs: int | None = None,
    seed: int = 0,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
) -> FittedGenerator:
    """Fit ``generator`` to ``data``.

    Args:
        data: The rows to learn from, with only the modelled columns.
        metadata: SDV metadata dict from :func:`synthdesk.schema.to_sdv_metadata`.
        generator: A name from :data:`synthdesk.generators.GENERATORS`.
        epochs: Training epochs for the neural generators; their default if None.
        seed: Seed for every random choice, so the same inputs give the same model.
        progress: Receives the fraction done and a message.
        cancel: Checked between columns and between epochs.

    Returns:
        The fitted generator.

    Raises:
        TrainingFailed: SDV could not learn from this table.
        Cancelled: ``cancel`` was set.

    """
    info = get_generator(generator)
    if epochs is not None and epochs < 1:
        raise TrainingFailed("The number of epochs must be at least 1.")
    cancel.raise_if_set()
    progress(0.0, "Preparing the data")
    model = _build(info, metadata, epochs, data)
    seed_everything(seed, info.neural)
    # joblib runs in this process, one job after another: worker processes outlive the
    # fit and litter stderr when ended, and threads race on NumPy's global random state
    # inside RDT's transformers, so the same seed would no longer give the same model.
    with warnings.catch_warnings(), fit_progress(scaled(progress, 0.2, 1.0), cancel), \
            _joblib_threads():
        warnings.simplefilter("ignore")
        try:
            processed = model.preprocess({TABLE_NAME: data})
            cancel.raise_if_set()
            progress(0.2, "Learning")
            model.fit_processed_data(processed)
        except _sdv_errors() as exc:
            raise TrainingFailed(f"{info.label} could not learn from this table: {exc}") from exc
    progress(1.0, "Learned")
    loss = []
    if info.neural and getattr(model, "_model", None) is not None:
        values = getattr(model._model, "loss_values", None)
        if isinstance(values, pd.DataFrame):
            loss = values.to_dict("records")
    return FittedGenerator(info=info, model=model, loss=loss)


def _build(info: GeneratorInfo, metadata: dict, epochs: int | None, data: pd.DataFrame):
    import inspect

    from sdv.metadata import Metadata

    module_name, class_name = info.sdv_class.rsplit(".", 1)
    cls = getattr(importlib.import_module(module_name), class_name)
    sdv_metadata = Metadata.load_from_dict(metadata)
    kwargs: dict[str, Any] = {"enforce_min_max_values": True}
    if info.neural:
        kwargs["epochs"] = epochs or info.default_epochs
        kwargs["verbose"] = True  # makes CTGAN report its losses through our progress bar
        kwargs["enable_gpu"] = False
    if "numerical_distributions" in inspect.signature(cls).parameters:
        kwargs["numerical_distributions"] = {
            name: "truncnorm" for name in _few_valued_numbers(data, metadata)
        }
    return cls(sdv_metadata, **kwargs)


def _few_valued_numbers(data: pd.DataFrame, metadata: dict) -> list[str]:
    """Numeric columns with few distinct values (counts, months, flags).

    The copula's default beta distribution collapses on them (a column of 99% zeros came
    back as all ones; a month column half missing came back as one month); a truncated
    normal keeps their spread.
    """
    columns = next(iter(metadata["tables"].values()))["columns"]
    return [
        name for name, meta in columns.items()
        if meta.get("sdtype") == "numerical" and data[name].nunique() <= _FEW_VALUES
    ]


def _joblib_threads():
    import joblib

    return joblib.parallel_config(backend="sequential")


def _sdv_errors() -> tuple[type[BaseException], ...]:
    import sdv.errors

    return (sdv.errors.SynthesizerInputError, sdv.errors.InvalidDataError,
            sdv.errors.SamplingError, ValueError)
