"""Realistic replacement values: Faker for personal data, fresh keys for identifiers.

No replacement value ever equals a real value of the column it replaces.
"""

from __future__ import annotations

import importlib
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
        fakes = _faker_pool(spec.pii_type, len(distinct), seed, locale, taken, unique=True)
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
    from faker import Faker

    faker = Faker(locale)
    faker.seed_instance(seed)
    make = getattr(faker, FAKER_METHODS[pii_type])
    pool: list[str] = []
    seen: set[str] = set()
    attempts = 0
    while len(pool) < size:
        value = str(make())
        attempts += 1
        key = value.strip().casefold()
        if key in taken or (unique and key in seen):
            if attempts <= (size + 10) * _MAX_TRIES:
                continue
            # Faker ran out of new values: number the repeats, which stay distinct.
            value = f"{value} {len(pool) + 1}"
            key = value.casefold()
            if key in taken or key in seen:
                continue
        seen.add(key)
        pool.append(value)
    return pool
