"""MOSTLY AI's open engine (TabularARGN) on one training table, for ``bench/anchors.py``.

Runs in the anchors venv that ``bench/anchors_setup.sh`` builds, on CPU, with a training-time
cap in minutes (the engine stops at the cap or at its own early stopping)::

    bench/.venv-anchors/bin/python bench/anchors_engine.py TRAIN.csv OUT.csv CAP_MINUTES SEED

The engine treats only datetime-typed columns as dates, so text columns whose values all read
as dates are parsed before it sees them. The last line printed is a JSON object with the
epochs reached.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pandas as pd


def _with_dates(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object:
            continue
        present = column.dropna().astype(str)
        if present.empty or not present.str.contains(r"\d{4}-\d{2}-\d{2}|\d+/\d+/\d{2}").all():
            continue
        parsed = pd.to_datetime(column, errors="coerce")
        if parsed.notna().sum() == len(present):
            frame[name] = parsed
    return frame


def _epochs_reached(workspace: Path) -> float | None:
    progress = workspace / "ModelStore" / "model-data" / "progress-messages.csv"
    if not progress.exists():
        return None
    messages = pd.read_csv(progress)
    return float(messages["epoch"].max()) if "epoch" in messages else None


def main(train_path: str, out_path: str, cap_minutes: float, seed: int) -> None:
    from mostlyai import engine

    engine.set_random_state(seed)
    train = _with_dates(pd.read_csv(train_path))
    with tempfile.TemporaryDirectory(prefix="anchors-engine-") as folder:
        workspace = Path(folder)
        engine.split(workspace_dir=workspace, tgt_data=train, model_type="TABULAR")
        engine.analyze(workspace_dir=workspace)
        engine.encode(workspace_dir=workspace)
        engine.train(workspace_dir=workspace, max_training_time=cap_minutes, device="cpu")
        engine.generate(workspace_dir=workspace, sample_size=len(train), device="cpu")
        synthetic = pd.concat(pd.read_parquet(part) for part in
                              sorted((workspace / "SyntheticData").glob("*.parquet")))
        epochs = _epochs_reached(workspace)
    synthetic.to_csv(out_path, index=False)
    print(json.dumps({"epochs": epochs}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
