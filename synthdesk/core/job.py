"""The user's choices for one job: which file, which generator, where to write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from synthdesk.generators.registry import DEFAULT_GENERATOR
from synthdesk.io.options import ReadOptions
from synthdesk.schema.columns import ColumnSpec
from synthdesk.schema.overrides import ColumnOverrides

__all__ = ["TrainingPlan", "Job"]


@dataclass(frozen=True)
class TrainingPlan:
    """How to train and sample.

    Attributes:
        generator: A name from :data:`synthdesk.generators.GENERATORS`.
        rows: Synthetic rows to generate; as many as the input when None.
        seed: Seed for every random choice; the same seed gives the same output.
        epochs: Epochs for the neural generators; their default when None.

    """

    generator: str = DEFAULT_GENERATOR
    rows: int | None = None
    seed: int = 0
    epochs: int | None = None


@dataclass(frozen=True)
class Job:
    """A whole run: read ``input``, train, write ``output`` (and a report).

    Attributes:
        input: The user's file; only ever read.
        output: Where the synthetic table goes (``.csv`` or ``.xlsx``).
        sheet: Excel sheet to read; the first non-empty one when None.
        plan: Training choices.
        report: Where the JSON report goes, if anywhere.
        columns: The user's column choices; detected from the data when None.
        overrides: Corrections applied to the detected columns (when ``columns`` is None).
        read: How to read ``input`` where detection is overridden (header row,
            delimiter, encoding, decimal mark).

    """

    input: Path
    output: Path
    sheet: str | None = None
    plan: TrainingPlan = field(default_factory=TrainingPlan)
    report: Path | None = None
    columns: tuple[ColumnSpec, ...] | None = None
    overrides: ColumnOverrides = field(default_factory=ColumnOverrides)
    read: ReadOptions = field(default_factory=ReadOptions)
