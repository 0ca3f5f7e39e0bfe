"""Subjects: the person each row belongs to, when a table has several rows per person.

An invoices table repeats its customer on every invoice; a visits table repeats its
patient. Privacy is about people, not rows: a value that belongs to one customer is
rare even when it is on seven of their invoices. The subject is a repeating key
(``customer_id``, ``patient``, ``account``) whose rows share person-level attributes
(the same name, city or birth year on every row of that key).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from synthdesk.errors import InvalidChoice
from synthdesk.schema.columns import Action, ColumnSpec, Kind
from synthdesk.schema.rarity import SUBJECT_REASON, subject_keys

__all__ = ["detect_subject", "choose_subject", "treat_subject", "subject_labels",
           "split_by_subject", "person_level_columns", "SUBJECT_REASON"]


_KEY_KINDS = (Kind.IDENTIFIER, Kind.CATEGORY, Kind.INTEGER, Kind.TEXT)
_KEY_WORDS = re.compile(
    r"(^|[^a-z])(id|key|no|nr|num|number|code|ref)([^a-z]|$)|id$|key$|"
    r"customer|client|patient|account|member|person|player|user|employee|subject|"
    r"passenger|student|holder|owner|buyer|seller|kunde|cliente|patient|persona",
    re.IGNORECASE,
)
# A key repeats when it has at most this share of distinct values among its rows...
_MAX_DISTINCT_SHARE = 0.85
# ...and at least this many distinct values (a handful of values is a category).
_MIN_SUBJECTS = 10
# ...and at most this many rows per value on average: a person has a few or a few dozen
# rows (invoices, seasons, visits); a key over hundreds of rows each is a group (a team,
# a code such as education-num beside its label), not a person. Choose it by hand then.
_MAX_ROWS_PER_SUBJECT = 50
# A person-level attribute takes at least one value per this many keys.
_ATTRIBUTE_SPREAD = 10
# An attribute is person-level when it is the same on every row of at least this share
# of the keys that have several rows.
_SHARED_SHARE = 0.9
_SCAN_ROWS = 50_000


def detect_subject(data: pd.DataFrame, specs: Sequence[ColumnSpec]) -> str | None:
    """Return the column that names the person each row belongs to, or None.

    A candidate is a column headed like a key (``customer_id``, ``patient``) or detected
    as an identifier, that repeats (fewer distinct values than rows) and has at least
    ten distinct values and at most 50 rows per value on average. Among candidates, the
    one on which most other columns are constant (person-level attributes) wins; a
    candidate with no such attribute is no subject. Tables with one row per person have
    none.
    """
    frame = data.head(_SCAN_ROWS)
    rows = len(frame)
    if rows < 2 * _MIN_SUBJECTS:
        return None
    learned = [s for s in specs if s.name in frame.columns and s.action is not Action.DROP
               and s.kind not in (Kind.EMPTY, Kind.CONSTANT)]
    best, best_score = None, (0, 0)
    for spec in learned:
        if spec.kind not in _KEY_KINDS:
            continue
        if not (_KEY_WORDS.search(spec.name) or spec.pii_type == "id"
                or spec.kind is Kind.IDENTIFIER):
            continue
        key = frame[spec.name]
        if key.isna().mean() > 0.05:
            continue
        distinct = key.nunique()
        if distinct < _MIN_SUBJECTS or distinct > rows * _MAX_DISTINCT_SHARE or \
                distinct * _MAX_ROWS_PER_SUBJECT < rows:
            continue
        others = [s.name for s in learned if s.name != spec.name]
        score = (_shared_attributes(frame, spec.name, others), distinct)
        if score[0] and score > best_score:
            best, best_score = spec.name, score
    return best


def _shared_attributes(frame: pd.DataFrame, key: str, others: list[str]) -> int:
    """How many columns describe the key's holder as a person would be described.

    They vary across keys, are the same on every row of one key, and take many values
    (at least a tenth as many as there are keys): a name, a birthplace, a date of birth.
    A column of a few values constant within the key (a team's league, a city's state)
    marks a group within a larger group, not a person.
    """
    keys = frame[key].nunique()
    return sum(1 for name in person_level_columns(frame, key, others)
               if frame[name].nunique() * _ATTRIBUTE_SPREAD >= keys)


def person_level_columns(data: pd.DataFrame, subject: str, columns: Sequence[str]) -> list[str]:
    """The ``columns`` that describe the person rather than the row.

    A column is person-level when it varies across people but is the same on every row
    of at least 90% of the people with several rows (a customer's name on each invoice).
    """
    others = [c for c in columns if c != subject and c in data.columns]
    if not others:
        return []
    frame = data.head(_SCAN_ROWS)
    repeated = frame[subject].map(frame[subject].value_counts()) > 1
    part = frame.loc[repeated.to_numpy(), [subject, *others]]
    if part.empty:
        return []
    per_key = part.groupby(subject, sort=False, observed=True)[others].nunique(dropna=False)
    shared = (per_key <= 1).mean()
    varies = frame[others].nunique() > 1  # noqa: PD101 - one pass over every column
    chosen = (shared >= _SHARED_SHARE) & varies.reindex(shared.index)
    return [name for name in others if bool(chosen.get(name, False))]


def choose_subject(data: pd.DataFrame, specs: Sequence[ColumnSpec],
                   chosen: str | None) -> str | None:
    """The user's subject column (``""``: none), or the detected one when ``chosen`` is None.

    Raises:
        InvalidChoice: ``chosen`` names a column the table does not have or that is dropped.

    """
    if chosen is None:
        return detect_subject(data, specs)
    if chosen == "":
        return None
    spec = next((s for s in specs if s.name == chosen), None)
    if spec is None or chosen not in data.columns:
        raise InvalidChoice(f"The table has no column named {chosen!r} to count people by.")
    if spec.action is Action.DROP or spec.kind is Kind.EMPTY:
        raise InvalidChoice(f"{chosen!r} is dropped or empty: it cannot say which person "
                            "each row belongs to.")
    return chosen


def treat_subject(specs: Sequence[ColumnSpec], subject: str | None) -> list[ColumnSpec]:
    """Learn the subject key as a repeating category and give it new keys afterwards.

    The synthetic table keeps several rows per (made-up) person, and no real key reaches
    it. A key set to be replaced by made-up values is treated the same way (it is
    replaced by fresh keys either way; this way a made-up person keeps several rows and
    one made-up name); a dropped key stays dropped.
    """
    out = []
    for spec in specs:
        if spec.name == subject and spec.action in (Action.SYNTHESIZE, Action.FAKE):
            spec = spec.with_changes(action=Action.CONSISTENT,
                                     reason=spec.reason or SUBJECT_REASON)
        out.append(spec)
    return out


def subject_labels(data: pd.DataFrame, subject: str | None) -> pd.Series | None:
    """One subject label per row of ``data`` (None when each row is its own subject)."""
    if subject is None:
        return None
    return data[subject]


def split_by_subject(data: pd.DataFrame, share: float, seed: int,
                     subjects: pd.Series | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set aside about ``share`` of the subjects, with all their rows.

    One person is never on both sides: a holdout that shares people with the training
    rows would make copies of them look like chance.
    """
    if share <= 0:
        return data, data.iloc[:0]
    if subjects is None:
        holdout = data.sample(frac=share, random_state=seed)
        return data.drop(index=holdout.index), holdout
    keys = subject_keys(data.index, subjects)
    distinct = pd.unique(keys)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(distinct, size=max(1, round(len(distinct) * share)), replace=False)
    aside = keys.isin(set(chosen)).to_numpy()
    return data[~aside], data[aside]
