"""Can a classifier tell real rows from synthetic ones? 0.5 is ideal, 1.0 is obvious."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthdesk.evaluation.models import model_frames, new_classifier, one_thread, quiet_fit

__all__ = ["discriminator_auc", "MAX_ROWS"]

MAX_ROWS = 5_000


def discriminator_auc(real: pd.DataFrame, synthetic: pd.DataFrame, *, seed: int = 0,
                      max_rows: int = MAX_ROWS) -> float | None:
    """Area under the ROC curve of a gradient-boosting model telling real from synthetic.

    Equal numbers of real and synthetic rows (at most ``max_rows`` each) are split 70/30;
    the model learns on 70% and is scored on the rest. None when there are too few rows.
    """
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    rows = min(len(real), len(synthetic), max_rows)
    if rows < 20:
        return None
    columns = [c for c in synthetic.columns if c in real.columns]
    sample_real = real[columns].sample(rows, random_state=seed)
    sample_synth = synthetic[columns].sample(rows, random_state=seed)
    features, _ = model_frames(pd.concat([sample_real, sample_synth], ignore_index=True),
                               sample_real.head(1))
    labels = np.r_[np.zeros(rows), np.ones(rows)]
    train_x, test_x, train_y, test_y = train_test_split(
        features, labels, test_size=0.3, stratify=labels, random_state=seed
    )
    with one_thread():
        model = quiet_fit(new_classifier(seed), train_x, train_y)
        scores = model.predict_proba(test_x)[:, 1]
    return round(float(roc_auc_score(test_y, scores)), 4)
