"""Who holds a value: counts of distinct subjects (people), and the rule for a rare value.

A value is rare when fewer than :data:`MIN_SUBJECTS` distinct subjects hold it. A
subject is the person a row belongs to: the customer of an invoice, the patient of a
visit. When a table has one row per person, every row is its own subject. The same
rule decides what the generator may learn (``synthdesk.privacy.protection``), what the
leak guard replaces and what reports and plots may show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthdesk.schema.rows import MIN_ROWS

__all__ = ["MIN_SUBJECTS", "RARE_LABEL", "RARE_VALUES_LABEL", "SUBJECT_REASON", "holders",
           "rare_values", "subject_keys"]

# What a learned category held by fewer than MIN_SUBJECTS people becomes.
RARE_LABEL = "(other)"
MIN_SUBJECTS = MIN_ROWS  # k: the fewest people a value shown or learned must have
# What reports and plots show in place of values held by fewer than MIN_SUBJECTS subjects.
RARE_VALUES_LABEL = "(rare values)"
# Why the column naming each row's person is treated as it is (the report's treatment table).
SUBJECT_REASON = ("the key of the person each row belongs to: replaced by new keys, the same "
                  "new key on every row of one person")


def subject_keys(index: pd.Index, subjects: pd.Series | None) -> pd.Series:
    """One label per row of ``index``: its subject, or the row itself when there is none.

    Rows whose subject is missing count as subjects of their own.
    """
    rows = pd.Series(np.arange(len(index)).astype(str), index=index)
    if subjects is None:
        return "row:" + rows
    labels = subjects.reindex(index)
    return ("s:" + labels.astype(str)).where(labels.notna(), "row:" + rows)


def subject_codes(index: pd.Index, subjects: pd.Series | None) -> np.ndarray:
    """One integer per row of ``index`` naming its subject (as :func:`subject_keys`, cheaper).

    Rows whose subject is missing, and every row when there are no subjects, are
    subjects of their own. Codes are only comparable within one call.
    """
    if subjects is None:
        return np.arange(len(index), dtype=np.int64)
    codes, uniques = pd.factorize(subjects.reindex(index))
    codes = codes.astype(np.int64)
    alone = codes < 0
    codes[alone] = len(uniques) + np.arange(int(alone.sum()))
    return codes


def holders(column: pd.Series, subjects: pd.Series | None = None) -> pd.Series:
    """How many distinct subjects hold each value of ``column`` (missing values left out)."""
    present = column.dropna()
    if subjects is None:
        return present.value_counts()
    keys = subject_keys(present.index, subjects)
    pairs = pd.DataFrame({"value": present.to_numpy(), "subject": keys.to_numpy()})
    return pairs.drop_duplicates()["value"].value_counts()


def rare_values(column: pd.Series, subjects: pd.Series | None = None,
                threshold: int = MIN_SUBJECTS) -> set:
    """The values of ``column`` that fewer than ``threshold`` distinct subjects hold."""
    counts = holders(column, subjects)
    return set(counts[counts < threshold].index)

