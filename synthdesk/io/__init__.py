"""Reading tables from CSV and Excel files."""

from synthdesk.io.options import MISSING_MARKERS, ReadOptions
from synthdesk.io.readers import Table, TableSource, list_sheets, read_preview, read_table

__all__ = [
    "MISSING_MARKERS", "ReadOptions", "Table", "TableSource", "list_sheets", "read_preview",
    "read_table",
]
