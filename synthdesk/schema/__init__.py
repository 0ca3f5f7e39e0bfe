"""Column kinds, sensitive-column detection and SDV metadata."""

from synthdesk.schema.columns import Action, ColumnSpec, Kind, detect_kind, profile_columns
from synthdesk.schema.metadata import modelled_columns, table_metadata, to_sdv_metadata
from synthdesk.schema.pii import detect_pii

__all__ = [
    "Action",
    "ColumnSpec",
    "Kind",
    "detect_kind",
    "detect_pii",
    "modelled_columns",
    "profile_columns",
    "table_metadata",
    "to_sdv_metadata",
]
