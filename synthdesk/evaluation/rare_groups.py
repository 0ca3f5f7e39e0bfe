"""Did making more of a rare group help? Three models, one holdout, in plain words.

For a rebalanced column (fraud yes/no, churned, a rare diagnosis) with one rare value:

(a) a model trained on the real training rows;
(b) the same real rows plus the synthetic rows of the rare group;
(c) the real rows oversampled with SMOTE (imbalanced-learn's SMOTENC for mixed columns),
    what a data scientist would otherwise do;

each tested on the real rows set aside, by average precision (the area under the
precision-recall curve) and by recall at the precision the real-trained model reaches
at its own threshold (how many of the rare cases are caught with the same false alarms).
The rare group's privacy is measured on its own: its few real rows are the easiest to
copy, so DCR share and exact copies compare synthetic rare rows with real rare rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from synthdesk.evaluation.distance import MAX_ROWS, MixedEncoder, dcr_share
from synthdesk.evaluation.models import model_frames, new_classifier, one_thread, quiet_fit
from synthdesk.evaluation.privacy import exact_copy_share

__all__ = ["RareGroupEvidence", "rare_group_evidence", "MIN_RARE_ROWS"]

# Below this many real rows a group is too small to learn: the output says so.
MIN_RARE_ROWS = 30
# The group's DCR share is the mean over this many draws of its real training rows (as
# many as it has held-out rows each time). A group has few held-out rows, and one draw of
# as few training rows moved the share by up to 0.05 from one seed to the next on the
# benchmark tables; the mean of ten is steady to about 0.01.
_DCR_DRAWS = 10


@dataclass(frozen=True)
class RareGroupEvidence:
    """What rebalancing did for the rare group.

    Attributes:
        column: The rebalanced column.
        value: Its rare value (the group).
        real_share: The group's share of the real rows.
        synthetic_share: Its share of the synthetic rows.
        rare_rows: Real training rows of the group.
        average_precision: ``real``, ``augmented`` (real + synthetic rare rows), ``smote``.
        recall: Recall of each model at the real-trained model's precision.
        precision: That precision.
        dcr_share: Synthetic rare rows nearer the real rare training rows than the held-out
            ones (0.5 ideal; None with fewer than 10 held-out rare rows), the mean over
            several draws of as many training rows as there are held-out ones.
        exact_copies: Share of synthetic rare rows equal to a real rare row.
        sentence: The result in plain words.
        warning: What the output cannot be trusted for ("" when the group is large enough).

    """

    column: str
    value: str
    real_share: float
    synthetic_share: float
    rare_rows: int
    average_precision: dict
    recall: dict
    precision: float | None
    dcr_share: float | None
    exact_copies: float
    sentence: str
    warning: str = ""

    def to_dict(self) -> dict:
        """Plain JSON-ready values."""
        return asdict(self)


def rare_group_evidence(train: pd.DataFrame, holdout: pd.DataFrame, synthetic: pd.DataFrame,
                        column: str, *, value: str | None = None,
                        seed: int = 0) -> RareGroupEvidence:
    """Compare (a), (b) and (c) above for ``value`` of ``column`` (its rarest when None).

    All three frames hold the learned columns in the generator's form. When the holdout
    is empty or does not hold both the rare value and another one, no model is compared
    (every score None), but the group's shares, copies and warning are still given.
    """
    labels = train[column].astype(str)
    counts = labels.value_counts()
    value = str(counts.index[-1]) if value is None else str(value)
    positive = (labels == value).to_numpy()
    test_y = (holdout[column].astype(str) == value).to_numpy()
    synth_y = (synthetic[column].astype(str) == value).to_numpy()
    rare_rows = int(positive.sum())
    warning = ""
    if rare_rows < MIN_RARE_ROWS:
        warning = (f"Only {rare_rows} real rows have {column} = {value}: too few to learn "
                   "that group's patterns. Its synthetic rows copy its broad shape only; "
                   "do not use them to measure how well a model finds such cases.")
    base = dict(column=column, value=value, real_share=round(float(positive.mean()), 4),
                synthetic_share=round(float(synth_y.mean()), 4), rare_rows=rare_rows,
                warning=warning)
    features = [c for c in train.columns if c != column]
    if not test_y.any() or test_y.all() or not features:
        # Nothing to test a model on; the group's size and copies are still said.
        _, copies = _rare_privacy(train, holdout, synthetic, column, value, seed)
        unmeasured = dict.fromkeys(("real", "augmented", "smote"))
        return RareGroupEvidence(
            **base, average_precision=unmeasured, recall=dict(unmeasured), precision=None,
            dcr_share=None, exact_copies=copies,
            sentence=(f"Whether the synthetic {column} = {value} rows help a model was not "
                      f"measured: {_unmeasured_because(holdout, test_y, features)}."))
    x_train, x_synth, x_test = model_frames(train[features], synthetic[features],
                                            holdout[features])
    augmented_x = pd.concat([x_train, x_synth[synth_y]], ignore_index=True)
    augmented_y = np.r_[positive, np.ones(int(synth_y.sum()), dtype=bool)]
    with one_thread():
        scores = {
            "real": _scores(x_train, positive, x_test, seed),
            "augmented": _scores(augmented_x, augmented_y, x_test, seed),
            "smote": _smote_scores(x_train, positive, x_test, seed),
        }
    from sklearn.metrics import average_precision_score

    average = {name: (round(float(average_precision_score(test_y, s)), 4)
                      if s is not None else None) for name, s in scores.items()}
    precision = _precision_at_threshold(test_y, scores["real"])
    recall = {name: (_recall_at(test_y, s, precision) if s is not None else None)
              for name, s in scores.items()}
    dcr, copies = _rare_privacy(train, holdout, synthetic, column, value, seed)
    return RareGroupEvidence(**base, average_precision=average, recall=recall,
                             precision=precision, dcr_share=dcr, exact_copies=copies,
                             sentence=_sentence(column, value, recall, precision, average))


def _unmeasured_because(holdout: pd.DataFrame, test_y: np.ndarray, features: list) -> str:
    if not features:
        return "the table has no other column to find the group by"
    if not len(holdout):
        return ("no real rows were set aside to test a model on (set some aside with "
                "--holdout, or on the Method page)")
    if not test_y.any():
        return "none of the real rows set aside belong to the group"
    return "every real row set aside belongs to the group"


def _scores(x: pd.DataFrame, y: np.ndarray, test: pd.DataFrame, seed: int) -> np.ndarray:
    if y.all() or not y.any():
        return np.full(len(test), float(y.mean()))
    model = quiet_fit(new_classifier(seed), x, y)
    return model.predict_proba(test)[:, list(model.classes_).index(True)]


def _smote_scores(x: pd.DataFrame, y: np.ndarray, test: pd.DataFrame,
                  seed: int) -> np.ndarray | None:
    """The real rows oversampled with SMOTE(NC) to equal classes, then the same model."""
    from imblearn.over_sampling import SMOTE, SMOTENC

    minority = int(y.sum())
    if minority < 2:
        return None
    categorical = [i for i, c in enumerate(x.columns) if isinstance(x[c].dtype,
                                                                    pd.CategoricalDtype)]
    encoded = pd.DataFrame(index=x.index)
    for name in x.columns:
        column = x[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            encoded[name] = column.cat.codes.astype("int64")  # missing is code -1
        else:
            values = pd.to_numeric(column, errors="coerce").astype("float64")
            encoded[name] = values.fillna(values.median() if values.notna().any() else 0.0)
    k = min(5, minority - 1)
    if categorical and len(categorical) < x.shape[1]:
        sampler = SMOTENC(categorical_features=categorical, k_neighbors=k, random_state=seed)
    elif categorical:
        return None  # SMOTE needs at least one number to interpolate
    else:
        sampler = SMOTE(k_neighbors=k, random_state=seed)
    x_new, y_new = sampler.fit_resample(encoded.to_numpy(), y)
    back = pd.DataFrame(x_new, columns=x.columns)
    for i, name in enumerate(x.columns):
        if i in categorical:
            categories = x[name].cat.categories
            codes = back[name].round().astype("int64")
            back[name] = pd.Categorical.from_codes(codes.clip(-1, len(categories) - 1),
                                                   categories=categories)
    return _scores(back, np.asarray(y_new, dtype=bool), test, seed)


def _precision_at_threshold(truth: np.ndarray, scores: np.ndarray) -> float | None:
    flagged = scores >= 0.5
    if not flagged.any():
        # The real model flags no case at 0.5: use its best-scored 1% instead.
        flagged = scores >= np.quantile(scores, 0.99)
    if not flagged.any():
        return None
    return round(float(truth[flagged].mean()), 4)


def _recall_at(truth: np.ndarray, scores: np.ndarray, precision: float | None) -> float | None:
    from sklearn.metrics import precision_recall_curve

    if precision is None:
        return None
    precisions, recalls, _ = precision_recall_curve(truth, scores)
    reachable = recalls[precisions >= precision - 1e-12]
    return round(float(reachable.max()) if len(reachable) else 0.0, 4)


def _rare_privacy(train, holdout, synthetic, column, value, seed):
    def rare(frame):
        return frame[frame[column].astype(str) == value].drop(columns=[column])

    real_rare, held_rare, synth_rare = rare(train), rare(holdout), rare(synthetic)
    if synth_rare.empty or real_rare.empty or synth_rare.shape[1] == 0:
        return None, 0.0
    copies = exact_copy_share(real_rare, synth_rare)
    if len(held_rare) < 10:
        return None, copies
    if len(synth_rare) > MAX_ROWS:
        synth_rare = synth_rare.sample(MAX_ROWS, random_state=seed)
    encoder = MixedEncoder().fit(pd.concat([real_rare, held_rare], ignore_index=True))
    real_x, held_x, synth_x = (encoder.transform(frame.reset_index(drop=True))
                               for frame in (real_rare, held_rare, synth_rare))
    shares = [dcr_share(real_x, held_x, synth_x, seed=seed + draw)
              for draw in range(_DCR_DRAWS)]
    return round(float(np.mean(shares)), 4), copies


def _sentence(column, value, recall, precision, average) -> str:
    real, augmented = recall.get("real"), recall.get("augmented")
    if real is None or augmented is None or precision is None:
        return (f"Average precision for {column} = {value}: real rows "
                f"{average['real']}, with synthetic {value} rows {average['augmented']}.")
    gained = round((augmented - real) * 100)
    better = average["augmented"] is not None and average["real"] is not None and \
        average["augmented"] > average["real"]
    if gained > 0 and better:
        return (f"With the synthetic {column} = {value} rows added, a model catches "
                f"{gained} more of every 100 such cases with the same false alarms "
                f"(precision {precision:.0%}): recall {real:.0%} -> {augmented:.0%}.")
    if better:
        return (f"With the synthetic {column} = {value} rows added, a model ranks such cases "
                f"better (average precision {average['real']:.3f} -> "
                f"{average['augmented']:.3f}), but at the real model's precision "
                f"({precision:.0%}) it catches no more of them ({real:.0%} -> "
                f"{augmented:.0%}).")
    return (f"Adding synthetic {column} = {value} rows did not help a model find such cases "
            f"(average precision {average['real']:.3f} -> {average['augmented']:.3f}; recall "
            f"at precision {precision:.0%}: {real:.0%} -> {augmented:.0%}).")
