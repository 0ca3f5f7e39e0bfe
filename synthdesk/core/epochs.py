"""Epochs and losses of the neural generators, as the Train page reads and draws them."""

from __future__ import annotations

import re

__all__ = ["parse_epoch", "loss_by_epoch"]

_EPOCH = re.compile(r"Epoch (\d+) of (\d+)(?: \(loss ([^)]*)\))?")


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
