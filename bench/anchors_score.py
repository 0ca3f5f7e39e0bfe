"""Scores for ``bench/anchors.py``: every synthetic table of one real table, on shared columns.

Runs in the anchors venv (``bench/anchors_setup.sh``), which holds mostlyai-qa and SDMetrics::

    bench/.venv-anchors/bin/python bench/anchors_score.py SPEC.json

SPEC.json names the training and holdout CSVs, the columns every generator kept, the target
column and its positive class, and one synthetic CSV per generator. Written to the spec's
``out`` path, one record per generator plus ``holdout`` (the real 20% scored the same way,
the ceiling):

- ``acc``, ``disc``, ``dcr``: mostlyai-qa's overall accuracy, discriminator AUC (training vs
  synthetic) and DCR share (synthetic rows closer to training than to holdout rows; 0.5 is
  ideal). For ``holdout``: qa's own holdout references (``overall_max``,
  ``discriminator_auc_training_holdout``) and 0.5;
- ``sdm``: SDMetrics' quality report score against the training rows;
- ``auc``, ``tstr``: a HistGradientBoosting classifier for the target, trained on the rows
  scored, tested on the real holdout: AUC, and its ratio over the model trained on real rows;
- ``copies``: share of rows equal to a training row on the shared columns (``holdout``: the
  share of real holdout rows that equal a training row, the reference).
"""

from __future__ import annotations

import json
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

MAX_CATEGORIES = 250  # HistGradientBoosting's categorical limit is 255 bins


def _aligned(frame: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """FRAME's columns in LIKE's types: numbers as numbers, everything else as text."""
    out = {}
    for name in like.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(like[name]) and not pd.api.types.is_bool_dtype(like[name]):
            out[name] = pd.to_numeric(column, errors="coerce")
        else:
            out[name] = column.where(column.isna(), column.astype(str)).astype(object)
    return pd.DataFrame(out)


def _row_keys(frame: pd.DataFrame) -> pd.Series:
    parts = []
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column):
            column = column.astype(float).round(9)
        parts.append(column.astype(str))
    if not parts:
        return pd.Series(dtype=object)
    return pd.Series(list(zip(*parts, strict=True)), index=frame.index)


def _copies(frame: pd.DataFrame, train_keys: set) -> float:
    return float(_row_keys(frame).isin(train_keys).mean())


def _labels(frame: pd.DataFrame, target: str, positive: str, median: float) -> np.ndarray:
    if positive == "above median":
        return (pd.to_numeric(frame[target], errors="coerce") > median).to_numpy()
    return frame[target].astype(str).str.strip().str.startswith(positive).to_numpy()


def _features(frame: pd.DataFrame, train: pd.DataFrame, target: str) -> pd.DataFrame:
    out = {}
    for name in train.columns:
        if name == target:
            continue
        if pd.api.types.is_numeric_dtype(train[name]):
            out[name] = pd.to_numeric(frame[name], errors="coerce")
        else:
            top = train[name].value_counts().index[:MAX_CATEGORIES]
            out[name] = pd.Categorical(frame[name], categories=list(top))
    return pd.DataFrame(out, index=frame.index)


def _tstr_auc(rows, train, holdout, target, positive, median) -> float:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score

    labels = _labels(rows, target, positive, median)
    if len(np.unique(labels)) < 2:
        return float("nan")
    model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=0)
    model.fit(_features(rows, train, target), labels)
    scores = model.predict_proba(_features(holdout, train, target))[:, 1]
    return float(roc_auc_score(_labels(holdout, target, positive, median), scores))


def _sdmetrics(real: pd.DataFrame, rows: pd.DataFrame) -> float:
    from sdmetrics.reports.single_table import QualityReport

    kinds = {name: "numerical" if pd.api.types.is_numeric_dtype(real[name]) else "categorical"
             for name in real.columns}
    metadata = {"columns": {name: {"sdtype": kind} for name, kind in kinds.items()}}
    report = QualityReport()
    report.generate(real, rows, metadata, verbose=False)
    return float(report.get_score())


def _qa(synthetic, train, holdout, folder: Path, name: str) -> dict:
    from mostlyai import qa

    _, metrics = qa.report(syn_tgt_data=synthetic, trn_tgt_data=train, hol_tgt_data=holdout,
                           report_path=folder / f"{name}.html")
    return {"acc": metrics.accuracy.overall, "acc_max": metrics.accuracy.overall_max,
            "disc": metrics.similarity.discriminator_auc_training_synthetic,
            "disc_holdout": metrics.similarity.discriminator_auc_training_holdout,
            "dcr": metrics.distances.dcr_share}


def main(spec_path: str) -> None:
    warnings.filterwarnings("ignore", category=FutureWarning)
    spec = json.loads(Path(spec_path).read_text())
    columns, target, positive = spec["columns"], spec["target"], spec["positive"]
    raw_train = pd.read_csv(spec["train"])[columns]
    train = _aligned(raw_train, raw_train)
    holdout = _aligned(pd.read_csv(spec["holdout"]), train)
    train_keys = set(_row_keys(train))
    has_target = target in columns
    median = float(pd.to_numeric(train[target], errors="coerce").median()) \
        if has_target and positive == "above median" else float("nan")
    real_auc = _tstr_auc(train, train, holdout, target, positive, median) if has_target else None
    records = {}
    with tempfile.TemporaryDirectory(prefix="anchors-qa-") as folder:
        for name, path in spec["synthetic"].items():
            rows = _aligned(pd.read_csv(path), train)
            record = _qa(rows, train, holdout, Path(folder), name)
            record["sdm"] = _sdmetrics(train, rows)
            record["copies"] = _copies(rows, train_keys)
            if has_target:
                auc = _tstr_auc(rows, train, holdout, target, positive, median)
                record.update(auc=auc, tstr=auc / real_auc)
            records[name] = record
    reference = next(iter(records.values()), {})
    records["holdout"] = {"acc": reference.get("acc_max"), "disc": reference.get("disc_holdout"),
                          "dcr": 0.5, "sdm": _sdmetrics(train, holdout),
                          "copies": _copies(holdout, train_keys),
                          **({"auc": real_auc, "tstr": 1.0} if has_target else {})}
    Path(spec["out"]).write_text(json.dumps(records))


if __name__ == "__main__":
    main(sys.argv[1])
