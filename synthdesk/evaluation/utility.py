"""Is the synthetic table useful? A model trained on it, tested on real rows it never saw."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from synthdesk.errors import InvalidChoice
from synthdesk.evaluation.models import (
    model_frames,
    new_classifier,
    new_regressor,
    one_thread,
    quiet_fit,
)

__all__ = ["UtilityScores", "utility_scores"]


@dataclass(frozen=True)
class UtilityScores:
    """One model trained on real training rows, one on synthetic rows, both tested on the holdout.

    Attributes:
        target: The column predicted.
        metric: ``"auc"`` for a category (one class against the rest), ``"r2"`` for a number.
        real: Score of the model trained on real rows.
        synthetic: Score of the model trained on synthetic rows.
        ratio: ``synthetic / real``: 1.0 means the synthetic rows teach as much.
        accuracy_real: Accuracy of the real-trained model (categories only).
        accuracy_synthetic: Accuracy of the synthetic-trained model (categories only).
        positive_class: For two classes, the one scored (the rarer one).

    """

    target: str
    metric: str
    real: float
    synthetic: float
    ratio: float | None
    accuracy_real: float | None = None
    accuracy_synthetic: float | None = None
    positive_class: str | None = None

    def to_dict(self) -> dict:
        """Plain JSON-ready values."""
        return asdict(self)


def utility_scores(train: pd.DataFrame, holdout: pd.DataFrame, synthetic: pd.DataFrame,
                   target: str, *, numeric: bool, seed: int = 0) -> UtilityScores:
    """Train on ``train`` and on ``synthetic``, test both on ``holdout``.

    Raises:
        InvalidChoice: ``target`` is not a learned column, or the holdout is empty.

    """
    if target not in synthetic.columns or target not in train.columns:
        raise InvalidChoice(f"{target!r} cannot be the target: it is not a learned column.")
    if holdout.empty:
        raise InvalidChoice("Usefulness needs real rows set aside: the table is too small.")
    train = train[train[target].notna()]
    synthetic = synthetic[synthetic[target].notna()]
    holdout = holdout[holdout[target].notna()]
    features = [c for c in synthetic.columns if c != target and c in train.columns]
    x_train, x_synth, x_test = model_frames(train[features], synthetic[features],
                                            holdout[features])
    with one_thread():
        if numeric:
            return _regression(target, (x_train, train[target]), (x_synth, synthetic[target]),
                               (x_test, holdout[target]), seed)
        return _classification(target, (x_train, train[target]),
                               (x_synth, synthetic[target]), (x_test, holdout[target]), seed)


def _regression(target, real, synth, test, seed) -> UtilityScores:
    from sklearn.metrics import r2_score

    scores = []
    for features, values in (real, synth):
        model = quiet_fit(new_regressor(seed), features, pd.to_numeric(values).to_numpy())
        scores.append(round(float(r2_score(pd.to_numeric(test[1]), model.predict(test[0]))), 4))
    return UtilityScores(target, "r2", scores[0], scores[1], _ratio(scores[1], scores[0]))


def _classification(target, real, synth, test, seed) -> UtilityScores:
    from sklearn.metrics import accuracy_score, roc_auc_score

    real_y = real[1].astype(str).to_numpy()
    test_y = test[1].astype(str).to_numpy()
    classes = pd.Series(real_y).value_counts()
    binary = len(classes) == 2
    positive = str(classes.index[-1]) if binary else None
    aucs, accuracies = [], []
    for features, values in (real, synth):
        labels = values.astype(str).to_numpy()
        if len(set(labels)) < 2:
            aucs.append(0.5)
            accuracies.append(round(float(np.mean(test_y == labels[0])), 4))
            continue
        model = quiet_fit(new_classifier(seed), features, labels)
        proba = model.predict_proba(test[0])
        accuracies.append(round(float(accuracy_score(test_y, model.predict(test[0]))), 4))
        aucs.append(round(_auc(roc_auc_score, test_y, proba, list(model.classes_), positive), 4))
    return UtilityScores(target, "auc", aucs[0], aucs[1], _ratio(aucs[1], aucs[0]),
                         accuracies[0], accuracies[1], positive)


def _auc(roc_auc_score, truth, proba, classes, positive) -> float:
    if positive is not None:
        if positive not in classes or len(set(truth)) < 2:
            return 0.5
        return float(roc_auc_score(truth == positive, proba[:, classes.index(positive)]))
    present = [c for c in classes if c in set(truth)]
    if len(present) < 2:
        return 0.5
    # One class against the rest, weighted by how often each class occurs.
    weights = pd.Series(truth).value_counts()
    total = 0.0
    for name in present:
        total += weights[name] * roc_auc_score(truth == name, proba[:, classes.index(name)])
    return total / weights[present].sum()


def _ratio(synthetic: float, real: float) -> float | None:
    return round(synthetic / real, 4) if real > 0 else None
