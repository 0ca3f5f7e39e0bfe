"""Reading tables from CSV and Excel files."""

from synthdesk.io.readers import Table, TableSource, list_sheets, read_table

__all__ = ["Table", "TableSource", "list_sheets", "read_table"]
