"""Realistic replacement values: Faker for personal data, fresh keys for identifiers.

No replacement value ever equals a real value of the column it replaces.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from synthdesk.schema.columns import ColumnSpec
from synthdesk.schema.detectors import NAME_LOCALES

__all__ = ["FAKER_METHODS", "guess_locale", "fake_column", "consistent_column",
           "fresh_identifiers", "normalise"]

# pii_type -> Faker method that makes one value of that kind.
FAKER_METHODS = {
    "email": "email",
    "phone_number": "phone_number",
    "first_name": "first_name",
    "last_name": "last_name",
    "name": "name",
    "street_address": "street_address",
    "ssn": "ssn",
    "national_id": "ssn",
    "iban": "iban",
    "credit_card_number": "credit_card_number",
    "ip_address": "ipv4",
    "url": "url",
    "postcode": "postcode",
    "city": "city",
}
_POOL_ROWS = 50_000
# Kinds of personal data many people share: a consistent fake of one may stand for several.
_SHARED_KINDS = ("first_name", "last_name", "city", "postcode")
_MAX_TRIES = 20


def normalise(values: Iterable) -> set[str]:
    """Real values as compared for leaks: text, trimmed, case-folded; whole floats as integers."""
    out = set()
    for value in values:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            continue
        if isinstance(value, float | np.floating) and float(value).is_integer():
            value = int(value)
        text = str(value).strip().casefold()
        if text:
            out.add(text)
    return out


def guess_locale(frame: pd.DataFrame, specs: Sequence[ColumnSpec]) -> str:
    """Pick the Faker locale whose names best match the table's name columns (``en_US`` if none)."""
    names = [s.name for s in specs if s.pii_type in ("first_name", "last_name", "name")]
    if not names:
        return "en_US"
    words = set()
    for name in names:
        for value in frame[name].dropna().astype(str).head(2000):
            words.update(w.casefold() for w in value.split())
    if not words:
        return "en_US"
    scores = {}
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        known = {str(n).casefold() for n in (*provider.first_names, *provider.last_names)}
        scores[locale] = len(words & known) / len(words)
    best = max(scores, key=scores.get)
    # English lists are the largest; another locale must beat them clearly.
    return best if scores[best] > scores["en_US"] * 1.2 else "en_US"


def fake_column(spec: ColumnSpec, real: pd.Series, rows: int, seed: int, locale: str,
                taken: set[str] | None = None) -> pd.Series:
    """Return ``rows`` fakes for a replaced column, with its share of missing values.

    Identifiers get fresh unique keys of the same shape; other kinds get Faker values.
    No fake equals a real value of the column, nor any value in ``taken``.
    """
    rng = np.random.default_rng(seed)
    taken = normalise(real) | (taken or set())
    if spec.pii_type not in FAKER_METHODS:
        values = fresh_identifiers(real, rows, rng, taken)
    else:
        pool = _faker_pool(spec.pii_type, min(rows, _POOL_ROWS), seed, locale, taken)
        values = pd.Series(rng.choice(np.array(pool, dtype=object), size=rows), dtype="object")
    missing = float(real.isna().mean()) if len(real) else 0.0
    if missing > 0:
        values = values.where(rng.random(rows) >= missing)
    return values


def consistent_column(spec: ColumnSpec, synthetic: pd.Series, real: pd.Series, seed: int,
                      locale: str, taken: set[str] | None = None) -> pd.Series:
    """Map each value of a learned column to one fake, the same fake every time it occurs."""
    distinct = pd.unique(synthetic.dropna())
    rng = np.random.default_rng(seed)
    taken = normalise(real) | (taken or set())
    if spec.pii_type in FAKER_METHODS:
        # Many people share a first name, a city: those fakes may repeat, others may not.
        fakes = _faker_pool(spec.pii_type, len(distinct), seed, locale, taken,
                            unique=spec.pii_type not in _SHARED_KINDS)
    else:
        fakes = list(fresh_identifiers(real, len(distinct), rng, taken))
    mapping = dict(zip(distinct, fakes, strict=True))
    return synthetic.map(mapping).astype("object")


def fresh_identifiers(real: pd.Series, rows: int, rng: np.random.Generator,
                      taken: set[str] | None = None) -> pd.Series:
    """Return ``rows`` unique keys shaped like the real ones (same digits, letters, separators).

    None equals a real key, nor any value in ``taken``.
    """
    present = real.dropna()
    taken = normalise(present) | (taken or set())
    if pd.api.types.is_numeric_dtype(present) and len(present):
        return _fresh_numbers(present, rows, rng, taken)
    shapes = present.astype(str).head(1000).tolist() or ["id-000000"]
    out: list[str] = []
    seen: set[str] = set()
    for _ in range(_MAX_TRIES):
        templates = rng.choice(np.array(shapes, dtype=object), size=rows - len(out))
        for template in templates:
            value = _reshape(str(template), rng)
            key = value.casefold()
            if key not in taken and key not in seen:
                seen.add(key)
                out.append(value)
        if len(out) == rows:
            break
        shapes = [s + "0" for s in shapes]  # too few combinations: lengthen the keys
    return pd.Series(out, dtype="object")


def _fresh_numbers(present: pd.Series, rows: int, rng: np.random.Generator,
                   taken_text: set[str]) -> pd.Series:
    digits = max(len(str(int(abs(present.max())))), 1)
    taken = set(present.astype("int64").tolist())
    taken |= {int(t) for t in taken_text if t.isdigit()}
    while True:
        low, high = (10 ** (digits - 1) if digits > 1 else 0), 10**digits
        if high - low - len(taken) >= rows * 2:
            break
        digits += 1
    chosen: list[int] = []
    seen: set[int] = set()
    while len(chosen) < rows:
        for value in rng.integers(low, high, size=(rows - len(chosen)) * 2).tolist():
            if value not in taken and value not in seen:
                seen.add(value)
                chosen.append(value)
                if len(chosen) == rows:
                    break
    return pd.Series(chosen, dtype="Int64")


def _reshape(template: str, rng: np.random.Generator) -> str:
    chars = []
    for char in template:
        if char.isdigit():
            chars.append(str(rng.integers(0, 10)))
        elif char.isalpha() and char.isascii():
            letter = chr(ord("a") + int(rng.integers(0, 26)))
            chars.append(letter.upper() if char.isupper() else letter)
        else:
            chars.append(char)
    return "".join(chars)


def _faker_pool(pii_type: str, size: int, seed: int, locale: str, taken: set[str],
                unique: bool = False) -> list[str]:
    """``size`` fakes of ``pii_type`` (distinct when ``unique``), none of them in ``taken``."""
    if pii_type in _NAME_LISTS:
        return _name_pool(pii_type, size, seed, locale, taken, unique)
    from faker import Faker

    faker = Faker(locale)
    faker.seed_instance(seed)
    make = getattr(faker, FAKER_METHODS[pii_type])
    pool: list[str] = []
    seen: set[str] = set()
    attempts = 0
    # A pool that may repeat values needs variety, not ``size`` draws: once Faker's new
    # values run low (most of them are real values of the column), repeat those found.
    patience = (size + 10) * (_MAX_TRIES if unique else 2)
    while len(pool) < size:
        value = str(make())
        attempts += 1
        key = value.strip().casefold()
        if key in taken or (unique and key in seen):
            if attempts <= patience:
                continue
            if not unique and pool:
                pool.extend(pool[i % len(pool)] for i in range(size - len(pool)))
                break
            # Faker ran out of new values: number the repeats, which stay distinct.
            value = f"{value} {len(pool) + 1}"
            key = value.casefold()
            if key in taken or key in seen:
                continue
        seen.add(key)
        pool.append(value)
    return pool


# Faker's person providers hold these as lists of words (with frequencies in some locales).
_NAME_LISTS = {"first_name": "first_names", "last_name": "last_names"}
# A pool of names that may repeat has at least this many distinct names (or ``size``).
_NAME_VARIETY = 500


def _name_pool(pii_type: str, size: int, seed: int, locale: str, taken: set[str],
               unique: bool) -> list[str]:
    """First or last names from the locale's list that no real row holds, then made-up ones.

    Drawn from the word list directly (weighted as Faker weighs them), not by asking Faker
    again and again: in a table of 20,000 American baseball players 938 of Faker's 1,000
    American last names are real players' names, and asking until 20,000 others came took
    most of a job's time. When the list's other names are too few for the pool's variety
    (or for ``size`` distinct names), made-up names are added: the first part of one listed
    name joined to the last part of another ("Hender" + "son"), none of them real either.
    """
    module = importlib.import_module(f"faker.providers.person.{locale}")
    words = getattr(module.Provider, _NAME_LISTS[pii_type], ())
    if not words:
        module = importlib.import_module("faker.providers.person.en_US")
        words = getattr(module.Provider, _NAME_LISTS[pii_type])
    weights = dict(words) if isinstance(words, dict) else dict.fromkeys(words, 1.0)
    rng = np.random.default_rng([seed, 7])
    names: dict[str, float] = {}
    for name, weight in weights.items():
        key = name.strip().casefold()
        if key not in taken and key not in names:
            names[key] = (name, float(weight))
    wanted = size if unique else min(size, _NAME_VARIETY)
    listed = [name for name, _ in weights.items()]
    median = float(np.median([w for _, w in names.values()])) if names else 1.0
    for _ in range(_MAX_TRIES * max(wanted, 1)):
        if len(names) >= wanted:
            break
        first, second = rng.choice(len(listed), size=2)
        made = _blend(listed[first], listed[second])
        key = made.casefold()
        if len(made) >= 3 and key not in taken and key not in names:
            names[key] = (made, median)
    values = np.array([name for name, _ in names.values()], dtype=object)
    if not len(values):
        return _numbered(listed[0], size, taken)
    if unique:
        order = rng.permutation(len(values))[:size]
        chosen = list(values[order])
        return chosen + _numbered(listed[0], size - len(chosen), taken | set(names))
    share = np.array([w for _, w in names.values()], dtype="float64")
    return list(rng.choice(values, size=size, p=share / share.sum()))


def _blend(a: str, b: str) -> str:
    """The start of ``a`` to its first syllable and the last syllable of ``b``: Hend+son."""
    start = re.match(r"[^aeiouy]*[aeiouy]+[^aeiouy]*", a.lower())
    end = re.search(r"[^aeiouy]?[aeiouy]+[^aeiouy]*$", b.lower())
    return ((start.group() if start else a.lower()) + (end.group() if end else "")).capitalize()


def _numbered(base: str, count: int, taken: set[str]) -> list[str]:
    """``count`` distinct names ``base 1``, ``base 2``... none in ``taken`` (a last resort)."""
    out, number = [], 0
    while len(out) < count:
        number += 1
        value = f"{base} {number}"
        if value.casefold() not in taken:
            out.append(value)
    return out
