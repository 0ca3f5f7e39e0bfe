"""Turn column specs into the metadata dictionary SDV understands.

This module builds a plain dict; only ``synthdesk.generators`` loads it into SDV.
"""

from __future__ import annotations

from collections.abc import Sequence

from synthdesk.schema.columns import Action, ColumnSpec, Kind

__all__ = ["TABLE_NAME", "to_sdv_metadata", "modelled_columns"]

TABLE_NAME = "table"

# Faker-backed SDV sdtypes; anything else flagged as personal becomes a fresh identifier.
_FAKER_SDTYPES = {
    "email", "phone_number", "first_name", "last_name", "name", "street_address", "ssn",
}


def modelled_columns(specs: Sequence[ColumnSpec]) -> list[ColumnSpec]:
    """The columns a generator sees: not dropped, not empty."""
    return [s for s in specs if s.action is not Action.DROP and s.kind is not Kind.EMPTY]


def to_sdv_metadata(specs: Sequence[ColumnSpec]) -> dict:
    """Return SDV's metadata dict (version ``MULTI_TABLE_V1``) for one table."""
    columns = {spec.name: _column_metadata(spec) for spec in modelled_columns(specs)}
    return {
        "METADATA_SPEC_VERSION": "V1",
        "tables": {TABLE_NAME: {"columns": columns}},
        "relationships": [],
    }


def _column_metadata(spec: ColumnSpec) -> dict:
    if spec.action is Action.FAKE:
        if spec.pii_type in _FAKER_SDTYPES:
            return {"sdtype": spec.pii_type, "pii": True}
        return {"sdtype": "id"}
    if spec.kind in (Kind.INTEGER, Kind.DECIMAL):
        return {"sdtype": "numerical"}
    if spec.kind in (Kind.DATE, Kind.DATETIME):
        meta = {"sdtype": "datetime"}
        if spec.date_format:
            meta["datetime_format"] = spec.date_format
        return meta
    if spec.kind is Kind.IDENTIFIER:
        return {"sdtype": "id"}
    return {"sdtype": "categorical"}
