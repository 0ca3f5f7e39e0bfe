"""Flag columns that may identify a person, say why, and choose a safe treatment.

The header is weak evidence and the values confirm it: a header alone flags a column
only where its values cannot be checked (identifiers, dates of birth). Columns that
identify a person on their own are replaced by default; quasi-identifiers (age, ZIP
code, city, gender, job) are learned but marked, because together they can single
someone out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pandas as pd

from synthdesk.schema import detectors as d
from synthdesk.schema.columns import Action, ColumnSpec, Kind

__all__ = ["detect_pii", "name_tokens", "PII_LABELS"]

_SAMPLE_ROWS = 500

# What each kind of personal data is called in the app.
PII_LABELS = {
    "email": "e-mail addresses",
    "phone_number": "phone numbers",
    "first_name": "first names",
    "last_name": "last names",
    "name": "person names",
    "street_address": "street addresses",
    "ssn": "US social security numbers",
    "national_id": "national identifiers",
    "iban": "bank account numbers (IBAN)",
    "credit_card_number": "payment card numbers",
    "ip_address": "IP addresses",
    "url": "web addresses",
    "date_of_birth": "dates of birth",
    "id": "record identifiers",
    "free_text": "free text",
}

_FIRST = {"first", "given", "vorname", "prenom", "forename", "fname", "nombre", "voornaam",
          "primo"}
_LAST = {"last", "surname", "family", "nachname", "apellido", "apellidos", "lname",
         "achternaam", "cognome", "familienname"}
_NAME = {"name", "nom", "nombre", "fullname", "naam", "cognome", "nome"}
_PERSON = {"full", "middle", "maiden", "nick", "customer", "client", "patient", "person",
           "contact", "employee", "user", "owner", "member", "holder", "account", "of", "the",
           "sur", "given", "kunde", "kunden", "cliente", "nom", "de", "famille", "complet"}
_EMAIL = {"email", "mail", "courriel", "correo", "e"}
_PHONE = {"phone", "telephone", "telefon", "telefono", "tel", "mobile", "cell", "fax", "handy",
          "movil", "celular", "portable", "numero", "number", "no", "nr", "telefonnummer"}
_PHONE_CORE = {"phone", "telephone", "telefon", "telefono", "tel", "mobile", "cell", "fax",
               "handy", "movil", "celular", "portable", "telefonnummer"}
_ADDRESS = {"address", "street", "adresse", "strasse", "direccion", "indirizzo", "rue",
            "calle", "addr", "anschrift", "domicilio"}
_NATIONAL = {"ssn", "sin", "nino", "passport", "national", "social", "security", "tax", "steuer",
             "nir", "dni", "nif", "nie", "bsn", "codice", "fiscale", "insee", "personalausweis",
             "idnr", "svnr", "ahv"}
_BANK = {"iban", "bank", "account", "konto", "cuenta", "compte", "bic"}
_CARD = {"card", "credit", "cc", "pan", "karte", "tarjeta", "carte"}
_BIRTH = {"birth", "birthdate", "birthday", "dob", "born", "geburtsdatum", "geburtstag",
          "nacimiento", "naissance", "nascita", "geboortedatum"}
_QUASI = {
    "age": "age", "alter": "age", "edad": "age", "zip": "ZIP code", "zipcode": "ZIP code",
    "postal": "postal code", "postcode": "postal code", "plz": "postal code",
    "postleitzahl": "postal code", "cp": "postal code", "city": "city", "town": "city",
    "ville": "city", "ciudad": "city", "stadt": "city", "ort": "city", "citta": "city",
    "gender": "gender", "sex": "sex", "geschlecht": "gender", "sexe": "sex", "sexo": "sex",
    "job": "job", "occupation": "job", "profession": "job", "beruf": "job", "title": "job title",
    "race": "ethnicity", "ethnicity": "ethnicity", "nationality": "nationality",
}
_LOCATION = {"state", "country", "city", "zip", "postal", "region", "county", "code"}
_ID_WORDS = {"id", "ids", "identifier", "ident", "key", "uid", "uuid", "guid", "kennung"}
# A value held by fewer rows than this is rare (privacy.protection.MIN_ROWS: rare categories
# are hidden as "(other)"). A code column made mostly of rare values is an identifier.
FEW_ROWS = 5
_CODE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9_\-./#:]*$")


def name_tokens(name: str) -> list[str]:
    """Split a header into plain lower-case words: ``"nameFirst"`` -> ``["name", "first"]``."""
    spaced = re.sub(r"([a-zà-ÿ])([A-Z])", r"\1 \2", str(name))
    plain = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    return [t for t in re.split(r"[^0-9A-Za-z]+", plain.lower()) if t]


def detect_pii(column: pd.Series, spec: ColumnSpec, sample_rows: int = _SAMPLE_ROWS,
               ) -> ColumnSpec:
    """Return ``spec`` with sensitivity, reason, kind of personal data and treatment filled in.

    Args:
        column: The column's values.
        spec: The column as profiled so far.
        sample_rows: How many of the first non-missing values are checked
            (:func:`synthdesk.schema.profile_columns` uses fewer on very wide tables).

    """
    if spec.kind is Kind.EMPTY:
        return spec
    tokens = set(name_tokens(spec.name))
    header = f"the header {spec.name!r}"
    textual = spec.kind in (Kind.CATEGORY, Kind.TEXT, Kind.IDENTIFIER)
    phone_hint = bool(tokens & _PHONE_CORE) or bool(tokens & _PHONE and tokens & {"tel", "phone"})

    # Only text columns, and numbers headed as phone or card numbers, are checked by value.
    found = None
    if textual or phone_hint:
        text = _sample_text(column, sample_rows)
        if text:
            found = _by_values(text, tokens, header, spec.kind, textual, phone_hint)
    if found:
        pii_type, reason = found
        action = Action.DROP if pii_type == "free_text" else Action.FAKE
        return spec.with_changes(sensitive=True, reason=reason, pii_type=pii_type, action=action)

    if tokens & _BIRTH and spec.kind in (Kind.DATE, Kind.DATETIME, Kind.INTEGER):
        part = "" if spec.kind is not Kind.INTEGER else " (part of one)"
        return spec.with_changes(
            sensitive=True, quasi_identifier=True, pii_type="date_of_birth",
            reason=f"{header} says it holds a date of birth{part}; it is learned, not copied",
        )
    if tokens & _NATIONAL and spec.kind in (Kind.IDENTIFIER, Kind.CATEGORY, Kind.INTEGER) and \
            not tokens & _LOCATION:
        return spec.with_changes(sensitive=True, reason=f"{header} suggests a national or tax "
                                 "identifier", pii_type="national_id", action=Action.FAKE)
    if spec.kind is Kind.IDENTIFIER:
        return spec.with_changes(
            sensitive=True, reason="every row has its own value: a record identifier",
            pii_type="id", action=Action.FAKE,
        )
    if spec.kind is Kind.CATEGORY:
        rare = _rare_code_share(column, hinted=bool(tokens & _ID_WORDS))
        if rare is not None:
            why = f"{header} and its codes" if tokens & _ID_WORDS else "its codes"
            return spec.with_changes(
                sensitive=True, pii_type="id", action=Action.FAKE,
                reason=f"{why}: {rare:.0%} of rows hold a code fewer than {FEW_ROWS} rows "
                "share, so each points at one or a few records (an identifier)",
            )
    quasi = next((label for token, label in _QUASI.items() if token in tokens), None)
    if quasi:
        return spec.with_changes(
            quasi_identifier=True,
            reason=f"{header} suggests {quasi}: not identifying alone, but it can single "
            "someone out together with other columns",
        )
    return spec


def _rare_code_share(column: pd.Series, hinted: bool) -> float | None:
    """The share of rows holding a rare code, if the column is made of such codes, else None.

    With a header naming an identifier, half the rows must hold a rare value; without one,
    nine in ten. Either way nearly all values must look like codes (letters and digits,
    no spaces, at least one digit).
    """
    values = column.dropna()
    if values.empty:
        return None
    counts = values.astype(str).value_counts()
    rare = float(counts[counts < FEW_ROWS].sum()) / len(values)
    if rare < (0.5 if hinted else 0.9):
        return None
    distinct = counts.index[:500]
    codes = sum(bool(_CODE.match(value)) for value in distinct) / len(distinct)
    return rare if codes >= 0.9 else None


def _sample_text(column: pd.Series, rows: int) -> Counter:
    """Up to ``rows`` of the column's non-missing values as stripped, non-empty text, counted."""
    # numpy rather than pandas: this runs once per column, thousands of times on wide tables.
    every = column.to_numpy()
    head = every[:rows * 4]
    values = head[~pd.isna(head)]
    if len(values) < rows and len(head) < len(every):
        values = every[~pd.isna(every)]
    text = Counter(str(v).strip() for v in values[:rows].tolist())
    text.pop("", None)
    return text


def _by_values(text: Counter, tokens: set[str], header: str, kind: Kind, textual: bool,
               phone_hint: bool):
    """Return ``(pii_type, reason)`` when the values confirm a kind of personal data."""

    def evidence(share: float, pii_type: str, hinted: bool) -> tuple[str, str]:
        label = PII_LABELS[pii_type]
        if hinted:
            return pii_type, f"{header} and {share:.0%} of values look like {label}"
        return pii_type, f"{share:.0%} of values look like {label}"

    if textual:
        share = d.email_share(text)
        if share >= 0.8 or (tokens & _EMAIL and share >= 0.3):
            return evidence(share, "email", bool(tokens & _EMAIL))
        share = d.ssn_share(text)
        if share >= 0.8:
            return evidence(share, "ssn", bool(tokens & _NATIONAL))
        share = d.iban_share(text)
        if share >= 0.8:
            return evidence(share, "iban", bool(tokens & _BANK))
        share = d.national_id_share(text)
        if share >= 0.8 or (tokens & _NATIONAL and share >= 0.5):
            return evidence(share, "national_id", bool(tokens & _NATIONAL))
        share = d.ip_share(text)
        if share >= 0.8:
            return evidence(share, "ip_address", False)
        share = d.url_share(text)
        if share >= 0.8:
            return evidence(share, "url", False)

    if textual or phone_hint:
        share = d.card_share(text)
        card_hint = bool(tokens & _CARD)
        if share >= 0.9 or (card_hint and share >= 0.5):
            return evidence(share, "credit_card_number", card_hint)
        share = d.phone_share(text)
        # Without a header hint, only international or bracketed numbers count:
        # product and stock codes are often shaped like local phone numbers.
        shaped = sum(n for t, n in text.items() if t.startswith("+") or "(" in t) >= \
            0.5 * text.total()
        if (phone_hint and share >= 0.5) or (textual and shaped and share >= 0.9):
            return evidence(share, "phone_number", phone_hint)

    if not textual:
        return None

    address_hint = bool(tokens & _ADDRESS) and not tokens & _LOCATION
    share = d.street_share(text)
    if (address_hint and share >= 0.5) or share >= 0.8:
        return evidence(share, "street_address", address_hint)

    name_hint = bool(tokens & (_FIRST | _LAST | _NAME)) and tokens <= (_FIRST | _LAST | _NAME |
                                                                     _PERSON)
    shaped = d.person_name_share(text)
    if name_hint and shaped >= 0.8:
        pii_type = "first_name" if tokens & _FIRST else "last_name" if tokens & _LAST else "name"
        return evidence(shaped, pii_type, True)
    # Without a header hint, only a column with many different name-like values counts:
    # counties, races or product lines also hold words found in name lists.
    other_meaning = tokens & (_LOCATION | set(_QUASI) | {"type", "category", "group", "class"})
    varied = len(text) >= 20
    if shaped >= 0.8 and varied and not other_meaning and kind is not Kind.IDENTIFIER:
        first = d.first_name_share(text)
        last = d.last_name_share(text)
        multi = sum(n for t, n in text.items() if len(t.split()) > 1) >= 0.8 * text.total()
        if multi and first >= 0.5:
            return evidence(first, "name", False)
        if first >= 0.6 and first >= last:
            return evidence(first, "first_name", False)
        if last >= 0.6:
            return evidence(last, "last_name", False)

    if kind is Kind.TEXT:
        share, what = d.mentions_share(text)
        if share >= 0.05:
            return "free_text", f"{share:.0%} of these texts mention {what}"
    return None
