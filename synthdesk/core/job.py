"""The user's choices for one job: which file, which generator, where to write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from synthdesk.generators.conditions import Condition, Rebalance
from synthdesk.generators.registry import DEFAULT_GENERATOR
from synthdesk.io.options import ReadOptions
from synthdesk.schema.columns import ColumnSpec
from synthdesk.schema.overrides import ColumnOverrides

__all__ = ["TrainingPlan", "Job", "DEFAULT_HOLDOUT", "HOLDOUT_MIN_ROWS", "HOLDOUT_MIN_PARENTS"]

DEFAULT_HOLDOUT = 0.2
HOLDOUT_MIN_ROWS = 1_000
# Related tables set parents aside, each with all its children, so a small parent table
# still has many rows to learn from: 20% of 250 parents is 50 people. Fewer make the
# holdout's figures mostly chance (9 cities of 46 held out: the parent-level DCR share
# moved between 0.22 and 0.63 with the random cut of the training cities alone).
HOLDOUT_MIN_PARENTS = 250


@dataclass(frozen=True)
class TrainingPlan:
    """How to train and sample.

    Attributes:
        generator: A name from :data:`synthdesk.generators.GENERATORS`, or ``"auto"``
            (the default) to let SynthDesk choose from the table's size; the report says
            which it chose and why.
        rows: Synthetic rows to generate; as many as the input when None.
        seed: Seed for every random choice; the same seed gives the same output.
        epochs: Epochs for the neural generators; their default when None.
        holdout: Share of real rows set aside, never learned, to measure privacy and
            usefulness against; 20% for tables of 1,000 rows or more when None, else none.
        target: A column to predict, to measure whether the synthetic rows teach a model
            as much as the real ones.
        conditions: Fixed values or ranges every generated row meets (``COL=VALUE``,
            ``COL=LOW..HIGH``).
        rebalance: The share each value of one column gets in the output.
        augment: Write the real rows plus the synthetic rows of the rebalanced column's
            rare group (marked), instead of the synthetic table: a training set for a
            model, which holds real rows and is never for sharing.
        subject: The column naming the person each row belongs to (``customer_id``):
            privacy counts people, not rows. Detected when None; ``""`` says each row is
            its own person.

    """

    generator: str = DEFAULT_GENERATOR
    rows: int | None = None
    seed: int = 0
    epochs: int | None = None
    holdout: float | None = None
    target: str | None = None
    conditions: tuple[Condition, ...] = ()
    rebalance: Rebalance | None = None
    augment: bool = False
    subject: str | None = None

    def conditioned_columns(self) -> tuple[str, ...]:
        """The columns rows are generated to conditions on, in the order they are learned."""
        names = [c.column for c in self.conditions]
        if self.rebalance is not None:
            names.append(self.rebalance.column)
        return tuple(dict.fromkeys(names))

    def holdout_share(self, rows: int, minimum: int = HOLDOUT_MIN_ROWS) -> float:
        """The share of ``rows`` real rows (or parents) to set aside.

        Without a chosen share, :data:`DEFAULT_HOLDOUT` from ``minimum`` rows up
        (:data:`HOLDOUT_MIN_PARENTS` for the parents of related tables), else none.
        """
        if self.holdout is not None:
            return self.holdout
        return DEFAULT_HOLDOUT if rows >= minimum else 0.0


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
