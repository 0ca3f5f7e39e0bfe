"""Turn column specs into the metadata dictionary SDV understands.

This module builds a plain dict; only ``synthdesk.generators`` loads it into SDV.
Replaced (``fake``) and dropped columns never reach SDV: SynthDesk fills replaced
columns itself, so no real value of them is in any model or metadata.
"""

from __future__ import annotations

from collections.abc import Sequence

from synthdesk.schema.columns import Action, ColumnSpec, Kind

__all__ = ["METADATA_VERSION", "to_sdv_metadata", "table_metadata", "modelled_columns"]

METADATA_VERSION = "V1"


def modelled_columns(specs: Sequence[ColumnSpec]) -> list[ColumnSpec]:
    """The columns a generator learns: synthesized or consistent ones that are not empty."""
    learned = (Action.SYNTHESIZE, Action.CONSISTENT)
    return [s for s in specs if s.action in learned and s.kind is not Kind.EMPTY]


def table_metadata(specs: Sequence[ColumnSpec]) -> dict:
    """SDV's description of one table: its modelled columns and their sdtypes."""
    return {"columns": {spec.name: _column_metadata(spec) for spec in modelled_columns(specs)}}


def to_sdv_metadata(specs: Sequence[ColumnSpec], table: str = "table") -> dict:
    """Return SDV's metadata dict (version ``MULTI_TABLE_V1``) for one table named ``table``.

    A job's metadata comes from its dataset
    (:meth:`synthdesk.core.dataset.Dataset.to_sdv_metadata`), which names each table.
    """
    return {
        "METADATA_SPEC_VERSION": METADATA_VERSION,
        "tables": {table: table_metadata(specs)},
        "relationships": [],
    }


def _column_metadata(spec: ColumnSpec) -> dict:
    if spec.action is Action.CONSISTENT:
        return {"sdtype": "categorical"}
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
