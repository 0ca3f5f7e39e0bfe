"""Value checks for personal data: what share of a column's values look like X.

Each check takes the column's non-missing values as stripped text (a list, a pandas
Series of ``str`` or a ``collections.Counter`` of them) and returns the share (0..1) that
pass; each distinct value is checked once. Validation is done by
maintained libraries where one exists: phonenumbers for phone numbers, python-stdnum for
identifiers, IBANs and card numbers. The checks loop over a few hundred values in plain
Python: per value that is as fast as pandas' string methods, and it saves their fixed
cost on each of the thousands of columns of a wide table.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

__all__ = [
    "email_share", "phone_share", "ssn_share", "national_id_share", "iban_share", "card_share",
    "ip_share", "url_share", "street_share", "person_name_share", "first_name_share",
    "last_name_share", "mentions_share",
]

_EMAIL = re.compile(r"^[\w.+'-]+@[\w-]+(?:\.[\w-]+)+$")
_EMAIL_INSIDE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_SHAPE = re.compile(r"^\+?[\d\s().\-/]{7,22}$")
_PHONE_INSIDE = re.compile(r"(?<!\w)\+?\d[\d\s().\-/]{7,18}\d(?!\w)")
_URL = re.compile(r"^(https?://|www\.)\S+$", re.I)
_STREET_WORDS = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|place|pl|court|ct|"
    r"terrace|parkway|pkwy|highway|hwy|square|sq|straße|strasse|str|weg|gasse|platz|allee|"
    r"rue|avenida|calle|via|viale|piazza|straat|laan|plein"
)
_STREET = re.compile(
    rf"(?:^\d+[a-z]?\s+.*\b(?:{_STREET_WORDS})\b\.?)|(?:\b(?:{_STREET_WORDS})\.?\s+.*\d+)|"
    rf"(?:^\d+[a-z]?\s+[a-z]+(?:\s+[a-z]+)*$)|"
    r"(?:\w+(?:straße|strasse|weg|gasse|platz|allee|ring|damm|laan|straat)\.?\s+\d+)",
    re.I,
)
_LETTERS = re.compile(r"[A-Za-z]{2}")
_DIGIT = re.compile(r"\d")
# Shapes a value must have before a validator is asked (validators are slow): one word of
# letters and digits (codice fiscale, DNI, NIR), or digits in groups (NHS, NIR).
_NATIONAL_SHAPE = re.compile(r"^(?:[A-Za-z0-9\-.]{8,20}|[\d \-.]{9,24})$")
_IBAN_SHAPE = re.compile(r"^[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{11,36}$")
_TITLES = re.compile(r"^(mr|mrs|ms|miss|dr|prof|sir|herr|frau|m|mme|mlle|sr|sra|srta)\.?\s+", re.I)
_NAME_WORD = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’.\-]*$")
_PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "CA", "AU", "IN", "BR", "CH", "BE")
# Locales whose first and last names SynthDesk knows, to recognise names without a header.
NAME_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR")


Values = Iterable[str]


def _share(values: Values, check) -> float:
    """Share of values passing ``check``, each distinct value checked once."""
    counts = values if isinstance(values, Counter) else Counter(values)
    total = sum(counts.values())
    if not total:
        return 0.0
    return sum(n for value, n in counts.items() if check(value)) / total


def email_share(values: Values) -> float:
    """Share of values that are e-mail addresses."""
    return _share(values, lambda t: "@" in t and _EMAIL.match(t) is not None)


def phone_share(values: Values) -> float:
    """Share of values that are valid phone numbers in a common region (phonenumbers)."""
    import phonenumbers

    def check(text: str) -> bool:
        if not _PHONE_SHAPE.match(text) or sum(c.isdigit() for c in text) < 7:
            return False
        for region in _PHONE_REGIONS:
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(text, region)):
                    return True
            except phonenumbers.NumberParseException:
                return False
        return False

    return _share(values, check)


def ssn_share(values: Values) -> float:
    """Share of values that are valid US social security numbers written ``123-45-6789``."""
    from stdnum.us import ssn

    return _share(values, lambda t: len(t) == 11 and t[3] == "-" and ssn.is_valid(t))


def national_id_share(values: Values) -> float:
    """Share of values that validate as a national identifier with a structured format."""
    from stdnum.es import dni
    from stdnum.fr import nir
    from stdnum.gb import nhs
    from stdnum.it import codicefiscale

    # Formats with letters or separators, so that plain numbers do not pass by chance.
    validators = (codicefiscale.is_valid, dni.is_valid, nir.is_valid,
                  lambda t: " " in t and nhs.is_valid(t))
    return _share(values, lambda t: _NATIONAL_SHAPE.match(t) is not None and
                  _DIGIT.search(t) is not None and any(v(t) for v in validators))


def iban_share(values: Values) -> float:
    """Share of values that are valid IBANs."""
    from stdnum import iban

    return _share(values, lambda t: _IBAN_SHAPE.match(t) is not None and iban.is_valid(t))


def card_share(values: Values) -> float:
    """Share of values that look like payment card numbers: 13-19 digits passing Luhn."""
    from stdnum import luhn

    def check(text: str) -> bool:
        if len(text) < 13 or not text[0].isdigit():
            return False
        digits = re.sub(r"[\s\-]", "", text)
        return digits.isdigit() and 13 <= len(digits) <= 19 and luhn.is_valid(digits)

    return _share(values, check)


def ip_share(values: Values) -> float:
    """Share of values that are IPv4 or IPv6 addresses."""

    def check(text: str) -> bool:
        if "." not in text and ":" not in text:
            return False
        try:
            ipaddress.ip_address(text)
        except ValueError:
            return False
        return True

    return _share(values, check)


def url_share(values: Values) -> float:
    """Share of values that are web addresses."""
    return _share(values, lambda t: _URL.match(t) is not None)


def street_share(values: Values) -> float:
    """Share of values shaped like a street address: a house number and a street."""
    return _share(values, lambda t: _LETTERS.search(t) is not None and
                  _STREET.search(t) is not None)


def person_name_share(values: Values) -> float:
    """Share of values shaped like a person's name: 1-4 capitalised words, no digits."""

    def check(text: str) -> bool:
        words = _TITLES.sub("", text).replace(",", " ").split()
        return 0 < len(words) <= 4 and all(_NAME_WORD.match(w) for w in words) and \
            words[0][0].isupper()

    return _share(values, check)


def first_name_share(values: Values) -> float:
    """Share of values whose first word is a first name Faker knows in a common locale."""
    known = _known_names("first_names")
    return _share(values, lambda t: _first_word(t) in known)


def last_name_share(values: Values) -> float:
    """Share of values whose last word is a last name Faker knows in a common locale."""
    known = _known_names("last_names")
    return _share(values, lambda t: _last_word(t) in known)


def mentions_share(values: Values) -> tuple[float, str]:
    """Share of free-text values that mention an e-mail address or phone number, and which."""
    values = values if isinstance(values, Counter) else Counter(values)
    if not values:
        return 0.0, ""
    emails = _share(values, lambda t: "@" in t and _EMAIL_INSIDE.search(t) is not None)
    phones = _share(values, lambda t: _PHONE_INSIDE.search(t) is not None)
    return (emails, "e-mail addresses") if emails >= phones else (phones, "phone numbers")


def _first_word(text: str) -> str:
    words = _TITLES.sub("", text).replace(",", " ").split()
    return words[0].casefold() if words else ""


def _last_word(text: str) -> str:
    words = text.replace(",", " ").split()
    return words[-1].casefold() if words else ""


@cache
def _known_names(attribute: str) -> frozenset[str]:
    import importlib

    names: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for name in getattr(provider, attribute, ()):
            names.add(str(name).casefold())
    return frozenset(names)
