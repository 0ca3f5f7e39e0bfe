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
    "postcode": "postal codes",
    "city": "cities and places",
    "id": "record identifiers",
    "free_text": "free text",
}
# Kinds of personal data that are learned (marked as quasi-identifiers), not replaced.
LEARNED = frozenset({"postcode", "city"})

_FIRST = {"first", "given", "vorname", "prenom", "forename", "fname", "nombre", "voornaam",
          "primo", "firstname", "givenname", "forenames"}
_LAST = {"last", "surname", "family", "nachname", "apellido", "apellidos", "lname",
         "achternaam", "cognome", "familienname", "lastname", "familyname", "surnames"}
_NAME = {"name", "nom", "nombre", "fullname", "naam", "cognome", "nome", "names", "namen"}
_PERSON = {"full", "middle", "maiden", "nick", "customer", "client", "patient", "person",
           "contact", "employee", "user", "owner", "member", "holder", "account", "of", "the",
           "sur", "given", "kunde", "kunden", "cliente", "nom", "de", "famille", "complet",
           "fake", "real", "display", "legal", "preferred", "birth", "billing", "shipping",
           "ship", "bill", "primary", "mother", "father", "spouse", "emergency", "and", "name"}
# Headers that say, on their own, that a column names people (when its values are shaped
# like names): the roles people have in a table.
_WHO = {"author", "authors", "maintainer", "maintainers", "uploader", "uploaders", "director",
        "directors", "passenger", "passengers", "senator", "recipient", "empfaenger",
        "empfanger", "destinataire", "destinatario", "titular", "beneficiary", "insured",
        "policyholder", "applicant", "signatory", "signatories", "attendee", "guest", "tenant",
        "landlord", "contact", "person", "people", "persons", "employee", "patient",
        "customer", "client", "owner", "holder", "member", "driver", "physician", "doctor",
        "student", "candidate", "witness", "victim", "composer", "artist", "actor", "writer",
        "editor", "reviewer", "assignee", "reporter", "sender", "addressee", "kunde",
        "cliente", "auteur", "autor", "klant", "inhaber", "ansprechpartner", "kontakt",
        "contacto", "contatto"}
_EMAIL = {"email", "mail", "courriel", "correo", "e"}
_PHONE = {"phone", "telephone", "telefon", "telefono", "tel", "mobile", "cell", "fax", "handy",
          "movil", "celular", "portable", "numero", "number", "no", "nr", "telefonnummer"}
_PHONE_CORE = {"phone", "telephone", "telefon", "telefono", "tel", "mobile", "cell", "fax",
               "handy", "movil", "celular", "portable", "telefonnummer"}
_ADDRESS = {"address", "street", "adresse", "strasse", "direccion", "indirizzo", "rue",
            "calle", "addr", "anschrift", "domicilio", "adres", "straat", "endereco", "morada",
            "ulica", "address1", "address2", "line1", "line2"}
_POSTAL = {"zip", "zipcode", "postal", "postcode", "postalcode", "plz", "postleitzahl", "cp",
           "cap", "cep", "codepostal", "postnummer", "postnr", "pincode", "eircode", "zip4"}
_SHORT_POSTAL = {"cp", "cap"}  # postal only beside text that confirms it
_CITY = {"city", "town", "ville", "ciudad", "stadt", "ort", "citta", "woonplaats", "plaats",
         "localidad", "localite", "municipio", "municipality", "gemeinde", "cidade", "comune",
         "locality", "village", "birthplace", "hometown", "residence", "wohnort", "miasto",
         "poblacion"}
# Headers whose values are checked as "City, ST" places: where someone lives or goes.
_HOME = {"home", "dest", "destination", "place", "lieu", "origin", "from", "hometown"}
_AGE = {"age", "alter", "edad", "eta", "leeftijd", "idade", "wiek", "ages"}
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
_WIDER = {"state", "country", "county", "region", "province", "land", "pays", "pais", "staat",
          "provincia", "prov", "district", "continent"}
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
    numeric = spec.kind in (Kind.INTEGER, Kind.DECIMAL)
    phone_hint = bool(tokens & _PHONE_CORE) or bool(tokens & _PHONE and tokens & {"tel", "phone"})
    postal_hint = bool(tokens & _POSTAL) and not tokens & _ID_WORDS - {"code"}
    if numeric and not tokens & _POSTAL - _SHORT_POSTAL:
        postal_hint = False  # "cp" (chest pain type) or "cap" (capacity) in a number column
    national_hint = bool(tokens & _NATIONAL) and not tokens & _LOCATION

    # Text columns, and numbers headed as phone, card, postal or national numbers, are
    # checked by value. A number is an identifier only when its values validate.
    found = None
    text = None
    if textual or phone_hint or (numeric and (postal_hint or national_hint)):
        text = _sample_text(column, sample_rows)
        if text:
            found = _by_values(text, tokens, header, spec.kind, textual, phone_hint,
                               postal_hint, national_hint)
    if found:
        pii_type, reason = found
        if pii_type in LEARNED:
            return spec.with_changes(quasi_identifier=True, pii_type=pii_type, reason=reason)
        if pii_type == "date_of_birth":
            return spec.with_changes(sensitive=True, quasi_identifier=True, pii_type=pii_type,
                                     reason=reason)
        action = Action.DROP if pii_type == "free_text" else Action.FAKE
        return spec.with_changes(sensitive=True, reason=reason, pii_type=pii_type, action=action)

    if tokens & _BIRTH and spec.kind in (Kind.DATE, Kind.DATETIME, Kind.INTEGER):
        part = "" if spec.kind is not Kind.INTEGER else " (part of one)"
        return spec.with_changes(
            sensitive=True, quasi_identifier=True, pii_type="date_of_birth",
            reason=f"{header} says it holds a date of birth{part}; it is learned, not copied",
        )
    # Ages, and dates written as text, are never record identifiers.
    def dated() -> bool:
        return tokens & _AGE or (textual and text is not None and d.birth_text_share(text) >= 0.8)

    if national_hint and spec.kind is Kind.IDENTIFIER and not dated():
        return spec.with_changes(sensitive=True, reason=f"{header} suggests a national or tax "
                                 "identifier and every row has its own value",
                                 pii_type="national_id", action=Action.FAKE)
    if spec.kind is Kind.IDENTIFIER and not dated():
        return spec.with_changes(
            sensitive=True, reason="every row has its own value: a record identifier",
            pii_type="id", action=Action.FAKE,
        )
    if spec.kind is Kind.CATEGORY:
        rare = _rare_code_share(column, hinted=bool(tokens & _ID_WORDS))
        if rare is not None and not dated():
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
               phone_hint: bool, postal_hint: bool = False, national_hint: bool = False):
    """Return ``(pii_type, reason)`` when the values confirm a kind of personal data."""

    def evidence(share: float, pii_type: str, hinted: bool) -> tuple[str, str]:
        label = PII_LABELS[pii_type]
        if hinted:
            return pii_type, f"{header} and {share:.0%} of values look like {label}"
        return pii_type, f"{share:.0%} of values look like {label}"

    def learned(share: float, pii_type: str, hinted: bool) -> tuple[str, str]:
        what = next((label for token, label in _QUASI.items() if token in tokens),
                    PII_LABELS[pii_type])
        pii_type, why = evidence(share, pii_type, hinted)
        return pii_type, (f"{why} ({what}): learned, not copied; not identifying alone, but "
                          "it can single someone out together with other columns")

    if tokens & _BIRTH and textual:
        share = d.birth_text_share(text)
        if share >= 0.8:
            return "date_of_birth", (f"{header} and {share:.0%} of values look like dates: "
                                     "a date of birth, learned, not copied")
    if not textual:
        if national_hint:
            share = d.numeric_id_share(text, tokens)
            if share >= 0.8 and len(text) >= 0.5 * text.total():
                return evidence(share, "national_id", True)
        if postal_hint:
            share = d.postcode_share(text)
            if share >= 0.8:
                return learned(share, "postcode", True)
        if not phone_hint:
            return None
    age = bool(tokens & _AGE)

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
        if national_hint:
            share = d.numeric_id_share(text, tokens)
            if share >= 0.8:
                return evidence(share, "national_id", True)
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

    if postal_hint or not tokens & (_ID_WORDS | _WIDER | {"date", "time", "code", "sku"}):
        share = d.postcode_share(text, distinctive=not postal_hint)
        if (postal_hint and share >= 0.8) or (share >= 0.9 and len(text) >= 10):
            return learned(share, "postcode", postal_hint)

    address_hint = bool(tokens & _ADDRESS) and not tokens & _LOCATION
    share = d.street_share(text, number_last=address_hint)
    if not age and ((address_hint and share >= 0.5) or share >= 0.8):
        return evidence(share, "street_address", address_hint)

    if not tokens & _WIDER:
        if tokens & _CITY:
            share = d.place_name_share(text)
            if share >= 0.8:
                return learned(share, "city", True)
        share = d.place_share(text)
        if share >= 0.8 and not tokens & (_FIRST | _LAST | _NAME | _WHO):
            return learned(share, "city", bool(tokens & (_CITY | _HOME)))

    return _names(text, tokens, kind, evidence)


def _names(text: Counter, tokens: set[str], kind: Kind, evidence):
    """``(pii_type, reason)`` when the values are the names of people, else free text or None."""
    named = tokens & (_FIRST | _LAST | _NAME)
    name_hint = bool(named) and tokens <= (_FIRST | _LAST | _NAME | _PERSON | _WHO)
    who = bool(tokens & _WHO) and tokens <= (_FIRST | _LAST | _NAME | _PERSON | _WHO)
    other_meaning = tokens & (_LOCATION | _WIDER | set(_QUASI) |
                              {"type", "category", "group", "class"})
    shaped = d.person_name_share(text)
    first = d.first_name_share(text) if shaped >= 0.5 or name_hint else 0.0
    last = d.last_name_share(text) if shaped >= 0.5 or name_hint else 0.0
    contacts = d.contact_share(text)

    def named_as(share: float, hinted: bool):
        pii_type = "first_name" if tokens & _FIRST and not tokens & _LAST else \
            "last_name" if tokens & _LAST and not tokens & _FIRST else "name"
        if not hinted:
            pii_type = "name" if multi else "first_name" if first >= last else "last_name"
        pii_type, reason = evidence(share, pii_type, hinted)
        if contacts >= 0.3:
            reason += f", {contacts:.0%} with contact details beside them"
        return pii_type, reason

    multi = sum(n for t, n in text.items() if len(t.split()) > 1) >= 0.8 * text.total()
    titled = d.title_share(text) if shaped >= 0.8 else 0.0
    # A header that is only "name" is weak (towns, products, stations have names too):
    # the values must hold known first names, surnames or titles.
    weak = not tokens & (_FIRST | _LAST) and tokens <= _NAME | {"of", "the", "de", "and"}
    known = max(first, last, titled) >= 0.3
    if name_hint and shaped >= 0.8 and (not weak or known):
        return named_as(shaped, True)
    if (who or titled >= 0.5) and shaped >= 0.8 and not other_meaning:
        return named_as(shaped, who)
    # Lowercase or uppercase names: only under a name header, and mostly known names.
    # A header that names first names or surnames is enough for many different words.
    if name_hint and not weak:
        share = d.person_name_share(text, any_case=True)
        if (share >= 0.8 and max(first, last) >= 0.3) or (share >= 0.9 and len(text) >= 10):
            return named_as(share, True)
    # Without a header hint, only a column with many different name-like values counts:
    # counties, races or product lines also hold words found in name lists.
    varied = len(text) >= 20
    if shaped >= 0.8 and varied and not other_meaning and kind is not Kind.IDENTIFIER:
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
