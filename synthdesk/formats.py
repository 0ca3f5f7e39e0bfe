"""Facts about spreadsheet files that both reading and writing need, each stated once."""

__all__ = ["EXCEL_MAX_ROWS", "QUOTED_FORMULA"]

# The most data rows an Excel sheet holds (1,048,576 rows, one of them the header).
EXCEL_MAX_ROWS = 1_048_575

# Text a writer protected from running as a formula: one or more ' before = + - or @.
# The writer adds one '; the reader takes one away.
QUOTED_FORMULA = r"^'+[=+\-@]"
