"""Rough training-time estimates, so the window can say "seconds" or "minutes" honestly."""

from __future__ import annotations

from synthdesk.generators.choice import estimate_fit_seconds
from synthdesk.generators.registry import get_generator

__all__ = ["estimate_seconds", "describe_duration", "parse_epoch", "loss_by_epoch"]

import re

# Measured orders of magnitude on a 2-core laptop, not promises: starting the training
# process and loading SDV, the copula per cell, a neural epoch per cell, scoring per cell.
_START_S = 15.0
_COPULA_S_PER_CELL = 4e-6
_EPOCH_S_PER_CELL = 3e-6
_EPOCH_MIN_S = 0.12
_EPOCH_FACTOR = {"tvae": 0.5}  # the autoencoder trains one network, the GANs two
_SCORE_S_PER_CELL = 2e-6
_SCORED_ROWS = 20_000

_EPOCH = re.compile(r"Epoch (\d+) of (\d+)(?: \(loss ([^)]*)\))?")


def estimate_seconds(generator: str, rows: int, columns: int, epochs: int | None = None) -> float:
    """A rough figure for how long training, generating and scoring will take."""
    info = get_generator(generator)
    cells = max(rows, 1) * max(columns, 1)
    scored = min(rows, _SCORED_ROWS) * max(columns, 1)
    if info.neural:
        per_epoch = max(cells * _EPOCH_S_PER_CELL, _EPOCH_MIN_S) * _EPOCH_FACTOR.get(generator, 1)
        work = (epochs or info.default_epochs or 300) * per_epoch
        if generator == "copulagan":
            work += cells * _COPULA_S_PER_CELL
    else:
        work = estimate_fit_seconds(generator, rows, columns)
    return _START_S + work + scored * _SCORE_S_PER_CELL


def describe_duration(seconds: float) -> str:
    """Say a duration the way a person would: "about 20 seconds", "about 3 minutes"."""
    if seconds < 60:
        return f"about {max(5, round(seconds / 5) * 5):.0f} seconds"
    if seconds < 3600:
        minutes = round(seconds / 60)
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours = seconds / 3600
    return f"about {hours:.1f} hours"


def parse_epoch(message: str) -> tuple[int, int, list[float]] | None:
    """Read "Epoch 3 of 300 (loss 1.23, -0.45)" as (3, 300, [1.23, -0.45]); None otherwise."""
    match = _EPOCH.search(message)
    if not match:
        return None
    losses = []
    for part in (match.group(3) or "").split(","):
        try:
            losses.append(float(part))
        except ValueError:
            continue
    return int(match.group(1)), int(match.group(2)), losses


def loss_by_epoch(records: list[dict]) -> list[list[float]]:
    """Per-epoch loss values from a generator's loss records, averaging batches of one epoch.

    CTGAN records one row per epoch (generator and discriminator loss); TVAE one per batch.
    """
    by_epoch: dict[object, list[list[float]]] = {}
    for position, record in enumerate(records):
        values = [float(v) for k, v in record.items() if "loss" in str(k).lower()]
        by_epoch.setdefault(record.get("Epoch", position), []).append(values)
    epochs = []
    for rows in by_epoch.values():
        width = min(len(r) for r in rows)
        epochs.append([sum(r[i] for r in rows) / len(rows) for i in range(width)])
    return epochs
