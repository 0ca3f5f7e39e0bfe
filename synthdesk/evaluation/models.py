"""Standard scikit-learn models on mixed-type tables, for the discriminator and usefulness.

Numbers stay numbers, dates become numbers, everything else becomes a pandas category,
which scikit-learn's histogram gradient boosting handles natively.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

__all__ = ["model_frames", "new_classifier", "new_regressor", "quiet_fit", "one_thread"]

_MAX_CATEGORIES = 250


def model_frames(*frames: pd.DataFrame) -> list[pd.DataFrame]:
    """Encode several frames with the same columns the same way (shared category lists).

    A column missing in every row of every frame is left out: it tells the models nothing,
    and scikit-learn's histogram binning fails on a numeric column with no value at all
    ("window shape cannot be larger than input array shape").
    """
    joined = pd.concat(frames, keys=range(len(frames)))
    encoded = {}
    for name, column in joined.items():
        if not column.notna().any():
            continue
        if pd.api.types.is_bool_dtype(column):
            encoded[name] = column.astype("float64")
        elif pd.api.types.is_numeric_dtype(column):
            encoded[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif pd.api.types.is_datetime64_any_dtype(column):
            values = column.astype("int64").astype("float64")
            encoded[name] = values.where(column.notna())
        else:
            present = column.notna()
            text = column.astype(str).astype(object).where(present, np.nan)
            top = text.value_counts().index[: _MAX_CATEGORIES - 1]
            text = text.where(text.isin(top) | ~present, "(other)")
            encoded[name] = text.astype("category")
    out = pd.DataFrame(encoded, index=joined.index)
    return [out.xs(i).reset_index(drop=True) for i in range(len(frames))]


def new_classifier(seed: int):
    """A gradient-boosting classifier that takes categories as they are."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=100, early_stopping=True, random_state=seed,
                                          categorical_features="from_dtype")


def new_regressor(seed: int):
    """A gradient-boosting regressor that takes categories as they are."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(max_iter=100, early_stopping=True, random_state=seed,
                                         categorical_features="from_dtype")


def quiet_fit(model, features: pd.DataFrame, target: np.ndarray):
    """Fit, hiding scikit-learn's warnings about categories it meets only once."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(features, target)


def one_thread():
    """Run scikit-learn's OpenMP loops on one thread inside this block.

    The scoring models are small (at most a few thousand rows): a second thread saves
    little, and when the other core is busy (the window, another program) OpenMP's
    waiting threads made the discriminator 4 to 8 times slower (16 s against 2-4 s on
    8,602 x 56 rows at load 7). Use as ``with one_thread(): ...``.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="openmp")
