"""Column kinds, sensitive-column detection and SDV metadata."""

from synthdesk.schema.columns import Action, ColumnSpec, Kind, detect_kind
from synthdesk.schema.metadata import modelled_columns, table_metadata, to_sdv_metadata
from synthdesk.schema.pii import detect_pii
from synthdesk.schema.profile import profile_columns

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
