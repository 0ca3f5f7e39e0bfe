"""Writing synthetic tables and reports."""

from synthdesk.export.writers import (
    OUTPUT_SUFFIXES,
    CsvStyle,
    check_output_path,
    neutralise_formulas,
    write_json,
    write_table,
)

__all__ = [
    "OUTPUT_SUFFIXES", "CsvStyle", "check_output_path", "neutralise_formulas", "write_json",
    "write_table",
]
