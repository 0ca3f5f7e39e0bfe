"""Writing synthetic tables and reports."""

from synthdesk.export.writers import OUTPUT_SUFFIXES, check_output_path, write_json, write_table

__all__ = ["OUTPUT_SUFFIXES", "check_output_path", "write_json", "write_table"]
