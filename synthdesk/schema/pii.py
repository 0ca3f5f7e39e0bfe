"""Flag columns that may identify a person, and say why.

The column name is weak evidence; the values confirm it. A column flagged here is
replaced with realistic fakes (or fresh identifiers) rather than learned, so no
real value of it reaches the synthetic table.
"""

from __future__ import annotations

import re

import pandas as pd

from synthdesk.schema.columns import Action, ColumnSpec, Kind

__all__ = ["detect_pii", "name_tokens"]

_SAMPLE_ROWS = 2000
_EMAIL = re.compile(r"^[\w.+'-]+@[\w-]+(\.[\w-]+)+$")
_PHONE = re.compile(r"^\+?[\d\s().\-/]{7,20}$")
_SSN = re.compile(r"^\d{3}-\d{2}-\d{4}$")
_PERSON_WORD = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’.\-]*$")

_FIRST = {"first", "given", "vorname", "prenom", "prénom", "nombre", "forename", "fname"}
_LAST = {"last", "sur", "surname", "family", "nachname", "apellido", "apellidos", "lname"}
_NAME = {"name", "nom", "nombre", "fullname"}
_NAME_OK = _FIRST | _LAST | _NAME | {
    "full", "middle", "maiden", "nick", "customer", "client", "patient", "person",
    "contact", "employee", "user", "owner", "member", "holder", "account", "of", "the",
}
_EMAIL_WORDS = {"email", "mail", "courriel", "correo"}
_PHONE_WORDS = {"phone", "telephone", "téléphone", "telefon", "telefono", "tel", "mobile",
                "cell", "fax", "handy", "movil"}
_ADDRESS_WORDS = {"address", "street", "adresse", "strasse", "straße", "direccion", "dirección"}
_PLACE_WORDS = {"state", "country", "city", "zip", "postal", "postcode", "region", "county"}
_SSN_WORDS = {"ssn", "sin", "nino", "passport", "national", "social", "tax", "steuer"}


def name_tokens(name: str) -> list[str]:
    """Split a header into lower-case words: ``"nameFirst"`` -> ``["name", "first"]``."""
    spaced = re.sub(r"([a-zà-ÿ])([A-Z])", r"\1 \2", str(name))
    return [t for t in re.split(r"[^0-9A-Za-zÀ-ÖØ-öø-ÿ]+", spaced.lower()) if t]


def detect_pii(column: pd.Series, spec: ColumnSpec) -> ColumnSpec:
    """Return ``spec`` with ``sensitive``, ``reason``, ``pii_type`` and ``action`` filled in."""
    values = column.dropna().head(_SAMPLE_ROWS)
    if values.empty:
        return spec
    text = values.astype(str).str.strip()
    tokens = set(name_tokens(spec.name))
    header = f"the header {spec.name!r}"

    share = text.str.match(_EMAIL).mean()
    if share >= 0.8:
        return _flag(spec, "email", f"{share:.0%} of values look like e-mail addresses")
    if tokens & _EMAIL_WORDS and share >= 0.3:
        return _flag(spec, "email", f"{header} and {share:.0%} e-mail-like values")

    share = text.str.match(_SSN).mean()
    if share >= 0.8:
        return _flag(spec, "ssn", f"{share:.0%} of values look like US social security numbers")

    if tokens & _PHONE_WORDS:
        share = text.str.match(_PHONE).mean()
        if share >= 0.6:
            return _flag(spec, "phone_number", f"{header} and {share:.0%} phone-like values")

    if tokens & _ADDRESS_WORDS and not tokens & _PLACE_WORDS and spec.kind in (
        Kind.CATEGORY, Kind.TEXT, Kind.IDENTIFIER
    ):
        share = (text.str.contains(r"\d") & text.str.contains(r"[A-Za-z]{2}")).mean()
        if share >= 0.5:
            return _flag(spec, "street_address", f"{header} and {share:.0%} street-like values")

    if tokens & (_FIRST | _LAST | _NAME) and tokens <= _NAME_OK and spec.kind in (
        Kind.CATEGORY, Kind.TEXT, Kind.IDENTIFIER
    ):
        words = text.str.split()
        share = words.map(lambda ws: 0 < len(ws) <= 4 and all(_PERSON_WORD.match(w) for w in ws))
        share = share.mean()
        if share >= 0.8:
            pii_type = (
                "first_name" if tokens & _FIRST else "last_name" if tokens & _LAST else "name"
            )
            label = {"first_name": "first names", "last_name": "last names", "name": "names"}
            reason = f"{header} and {share:.0%} values shaped like {label[pii_type]}"
            return _flag(spec, pii_type, reason)

    if tokens & _SSN_WORDS and spec.kind in (Kind.IDENTIFIER, Kind.CATEGORY, Kind.INTEGER):
        return _flag(spec, "id", f"{header} suggests a national or tax identifier")

    if spec.kind is Kind.IDENTIFIER:
        return spec.with_changes(
            sensitive=True,
            reason="every row has its own value: a record identifier",
            pii_type="id",
            action=Action.FAKE,
        )
    return spec


def _flag(spec: ColumnSpec, pii_type: str, reason: str) -> ColumnSpec:
    return spec.with_changes(sensitive=True, reason=reason, pii_type=pii_type, action=Action.FAKE)
