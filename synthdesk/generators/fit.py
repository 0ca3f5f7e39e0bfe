"""Fit one of SynthDesk's generators, with real progress and a cancel token."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from synthdesk.errors import InvalidChoice, TrainingFailed
from synthdesk.generators.base import Generator
from synthdesk.generators.derived import with_relations
from synthdesk.generators.registry import GeneratorInfo, get_generator
from synthdesk.progress import NEVER, CancelToken, ProgressFn, no_progress

__all__ = ["FittedGenerator", "fit_generator", "make_generator"]


@dataclass
class FittedGenerator:
    """A trained generator, ready to sample.

    Attributes:
        info: Which generator it is.
        model: The fitted :class:`synthdesk.generators.base.Generator`.
        loss: Per-epoch loss values (neural generators only).
        relations: The relations of the table kept in the generated rows
            (:mod:`synthdesk.generators.derived`).

    """

    info: GeneratorInfo
    model: Generator
    loss: list[dict] = field(default_factory=list)
    relations: tuple = ()


def make_generator(info: GeneratorInfo, epochs: int | None = None, seed: int = 0,
                   first_columns: tuple[str, ...] = (),
                   strata_column: str | None = None) -> Generator:
    """A new, unfitted generator for ``info``.

    ``info.class_path`` names a :class:`Generator` (built with ``seed``) or one of SDV's
    single-table synthesizers (wrapped in :class:`~synthdesk.generators.sdv_adapter.SdvGenerator`).

    Raises:
        InvalidChoice: The class cannot be imported or is neither kind.

    """
    module_name, _, class_name = info.class_path.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError, ValueError):
        raise InvalidChoice(f"The generator {info.name!r} cannot be loaded.") from None
    if isinstance(cls, type) and issubclass(cls, Generator):
        if first_columns:
            import inspect

            if "first_columns" not in inspect.signature(cls).parameters:
                raise InvalidChoice(f"{info.label} cannot generate rows to conditions: choose "
                                    "the decision trees (Best quality).")
            return cls(seed=seed, first_columns=first_columns, strata_column=strata_column)
        return cls(seed=seed)
    # SDV's synthesizers take conditions when sampling (see SdvGenerator.sample): nothing
    # needs to be learned first, and they have no strata.
    from sdv.single_table.base import BaseSingleTableSynthesizer

    from synthdesk.generators.sdv_adapter import SdvGenerator

    if not (isinstance(cls, type) and issubclass(cls, BaseSingleTableSynthesizer)):
        raise InvalidChoice(f"{info.name!r} is not a generator SynthDesk can run.")
    return SdvGenerator(info.class_path, label=info.label, neural=info.neural,
                        epochs=(epochs or info.default_epochs) if info.neural else None,
                        seed=seed)


def fit_generator(
    data: pd.DataFrame,
    metadata: Mapping,
    generator: str,
    *,
    epochs: int | None = None,
    seed: int = 0,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
    first_columns: tuple[str, ...] = (),
    strata_column: str | None = None,
    people: pd.Series | None = None,
    keep_relations: bool = True,
    unclipped: pd.DataFrame | None = None,
) -> FittedGenerator:
    """Fit ``generator`` to ``data``.

    ``first_columns`` are learned before all others, so that rows can later be generated
    to conditions on them exactly (SynthDesk's own generators that cannot do that refuse
    them with InvalidChoice; SDV's synthesizers need nothing learned first: they take the
    conditions when sampling).

    Args:
        data: The rows to learn from, with only the modelled columns.
        metadata: SDV metadata dict from :func:`synthdesk.schema.to_sdv_metadata`.
        generator: A name from :data:`synthdesk.generators.GENERATORS`.
        epochs: Training epochs for the neural generators; their default if None.
        seed: Seed for every random choice, so the same inputs give the same model.
        progress: Receives the fraction done and a message.
        cancel: Checked between columns and between epochs.
        first_columns: Columns to learn first (see above).
        strata_column: A column whose every value also gets trees of its own (the
            rebalanced column), when the generator supports it.
        people: The person of each row of ``data`` (by index), when rows belong to
            people: a generator that can (the decision trees) counts people, not rows,
            in what it pools.
        keep_relations: Find the columns that follow from others on (nearly) every row
            and keep that in the generated rows (:mod:`synthdesk.generators.derived`).
        unclipped: The rows of ``data`` before extremes were pulled in: totals and other
            formulas are found on them (pulling in breaks them on the rows pulled in).

    Returns:
        The fitted generator.

    Raises:
        TrainingFailed: The generator could not learn from this table.
        Cancelled: ``cancel`` was set.

    """
    info = get_generator(generator)
    if epochs is not None and epochs < 1:
        raise TrainingFailed("The number of epochs must be at least 1.")
    cancel.raise_if_set()
    model = make_generator(info, epochs, seed, tuple(first_columns), strata_column)
    if keep_relations:
        progress(0.0, "Looking for columns that follow from others")
        model = with_relations(model, data, metadata, people=people, seed=seed,
                               unclipped=unclipped,
                               keep=(*first_columns, strata_column or ""))
    if people is not None and hasattr(model, "count_people"):
        model.count_people(people)
    model = model.fit(data, metadata, progress, cancel)
    return FittedGenerator(info=info, model=model, loss=list(model.loss_),
                           relations=tuple(getattr(model, "relations", ())))
